/**
 * A pool of module Workers that run chunk jobs (pad, widen, compress, pyramid-reduce) off the main
 * thread. Pixel buffers can be transferred in, encoded bytes and reduced blocks are transferred
 * back. At most `maxInFlight` jobs are posted at once; further `run` calls wait for a free slot,
 * so a fast producer is held back (backpressure) instead of queueing unbounded memory.
 * @module
 */
import { ScportraitError } from "../../errors.ts";
import type { ChunkJob, ChunkJobResult } from "./chunk_job.ts";

const WORKER_URL = new URL("./chunk_job_worker.ts", import.meta.url);

interface Pending {
  resolve: (r: ChunkJobResult) => void;
  reject: (e: unknown) => void;
}

/** Options of {@link ChunkJobPool}. */
export interface ChunkJobPoolOptions {
  /** Workers (default: the number of cores, at most 8). */
  workers?: number;
  /** Jobs posted at once (default 4 per worker); further `run` calls wait (backpressure). */
  maxInFlight?: number;
  /**
   * A directory the workers may read and write (a store root), so jobs can store their chunk
   * files themselves; without it the workers have no permissions at all.
   */
  writeRoot?: string;
}

/** Runs {@link ChunkJob}s on a fixed set of Workers with no (or store-only) permissions. */
export class ChunkJobPool {
  /** Number of workers. */
  readonly size: number;
  /** Jobs posted to workers at most at once. */
  readonly maxInFlight: number;
  /** The directory the workers may write, if any. */
  readonly writeRoot: string | undefined;
  readonly #workers: Worker[] = [];
  readonly #pending = new Map<number, Pending>();
  readonly #load: number[];
  readonly #waiting: (() => void)[] = [];
  #nextId = 1;
  #inFlight = 0;
  #closed = false;

  /** Starts the workers. */
  constructor(options: ChunkJobPoolOptions = {}) {
    this.size = Math.max(1, options.workers ?? Math.min(8, navigator.hardwareConcurrency || 2));
    this.maxInFlight = Math.max(1, options.maxInFlight ?? 4 * this.size);
    this.#load = new Array(this.size).fill(0);
    const root = options.writeRoot;
    this.writeRoot = root;
    const permissions: Deno.PermissionOptions = root === undefined ? "none" : {
      read: [root],
      write: [root],
      net: false,
      env: false,
      run: false,
      ffi: false,
      sys: false,
      import: false,
    };
    for (let i = 0; i < this.size; i++) {
      const worker = new Worker(WORKER_URL, { type: "module", deno: { permissions } });
      worker.onmessage = (event) => this.#onMessage(i, event.data);
      worker.onerror = (event) => {
        event.preventDefault();
        this.#failAll(
          new ScportraitError(
            "WRITE_FAILED",
            `A chunk encoder worker crashed (${event.message}); the element stays unfinished ` +
              "and the write can be resumed.",
          ),
        );
      };
      this.#workers.push(worker);
    }
  }

  /**
   * Runs `job` in a worker. With `transfer`, `job.data`'s buffer is moved to the worker (the
   * caller's array becomes empty) when the array spans its whole buffer, and comes back as the
   * result's `band` for reuse; otherwise it is copied.
   */
  async run(job: ChunkJob, options: { transfer?: boolean } = {}): Promise<ChunkJobResult> {
    while (this.#inFlight >= this.maxInFlight) {
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
    if (this.#closed) {
      throw new ScportraitError("USAGE", "The chunk encoder pool is closed: create a new one.");
    }
    this.#inFlight++;
    let target = 0;
    for (let i = 1; i < this.size; i++) if (this.#load[i] < this.#load[target]) target = i;
    this.#load[target]++;
    const id = this.#nextId++;
    const data = job.data;
    const owns = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
    const transfer = options.transfer && owns ? [data.buffer as ArrayBuffer] : [];
    try {
      const result = await new Promise<ChunkJobResult>((resolve, reject) => {
        this.#pending.set(id, { resolve, reject });
        this.#workers[target].postMessage({ id, job }, transfer);
      });
      if (transfer.length === 0) delete result.band; // a copy: the caller still has its array
      return result;
    } finally {
      this.#load[target]--;
      this.#inFlight--;
      this.#waiting.shift()?.();
    }
  }

  /** Terminates the workers; jobs still running are rejected. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const worker of this.#workers) worker.terminate();
    this.#failAll(new ScportraitError("USAGE", "The chunk encoder pool was closed."));
    for (const wake of this.#waiting.splice(0)) wake();
  }

  #onMessage(_worker: number, message: { id: number; result?: ChunkJobResult; error?: string }) {
    const pending = this.#pending.get(message.id);
    if (pending === undefined) return;
    this.#pending.delete(message.id);
    if (message.result !== undefined) pending.resolve(message.result);
    else {
      pending.reject(
        new ScportraitError("WRITE_FAILED", `Encoding a chunk failed: ${message.error}`),
      );
    }
  }

  #failAll(error: ScportraitError): void {
    for (const pending of this.#pending.values()) pending.reject(error);
    this.#pending.clear();
  }
}
