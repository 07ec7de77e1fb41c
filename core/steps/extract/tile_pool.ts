/**
 * A small pool of plain Deno Workers running {@link computeTile}; tiles are transferred in, and
 * results and the tile buffers transferred out (for reuse). With one thread the work runs
 * in-process.
 * @module
 */
import { ScportraitError } from "../../errors.ts";
import { computeTile, type TileTask } from "./tile_compute.ts";
import type { EncodedChunks } from "../../io/h5sc/chunk_codec.ts";

/** A computed tile: its chunks and the tile buffers, free to be read into again. */
export interface TileResult {
  /** Compressed chunks, (cell, channel) order; `data.buffer` can be reused as an `outBuffer`. */
  chunks: EncodedChunks;
  /** The task's label tiles, handed back. */
  labels: (BigUint64Array | Uint32Array)[];
  /** The task's image tiles, handed back. */
  image: Uint16Array[];
}

/** Runs tile tasks on `threads` workers. */
export class TilePool {
  readonly #workers: Worker[] = [];
  readonly #idle: Worker[] = [];
  readonly #waiting: ((w: Worker) => void)[] = [];

  /** Starts `threads` workers (none when threads ≤ 1). */
  constructor(threads: number) {
    if (threads <= 1) return;
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(new URL("./extract_worker.ts", import.meta.url).href, {
        type: "module",
      });
      this.#workers.push(worker);
      this.#idle.push(worker);
    }
  }

  /** Number of parallel workers (1 when in-process). */
  get size(): number {
    return Math.max(1, this.#workers.length);
  }

  /** Computes one tile. */
  async run(task: TileTask): Promise<TileResult> {
    if (this.#workers.length === 0) {
      return { chunks: computeTile(task), labels: task.labels, image: task.image };
    }
    const worker = this.#idle.pop() ?? await new Promise<Worker>((r) => this.#waiting.push(r));
    try {
      return await new Promise<TileResult>((resolve, reject) => {
        worker.onmessage = (e) => {
          if (e.data.ok) {
            resolve({ chunks: e.data.data, labels: e.data.labels, image: e.data.image });
          } else reject(new ScportraitError("PLUGIN_FAILED", `extraction worker: ${e.data.error}`));
        };
        worker.onerror = (e) => {
          e.preventDefault();
          reject(new ScportraitError("PLUGIN_FAILED", `extraction worker crashed: ${e.message}`));
        };
        const buffers = [...task.labels, ...task.image].map((a) => a.buffer as ArrayBuffer);
        if (task.outBuffer) buffers.push(task.outBuffer);
        worker.postMessage(task, [...new Set(buffers)]);
      });
    } finally {
      const next = this.#waiting.shift();
      if (next) next(worker);
      else this.#idle.push(worker);
    }
  }

  /** Stops all workers. */
  close(): void {
    for (const w of this.#workers) w.terminate();
  }
}
