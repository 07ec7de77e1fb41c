/**
 * A small pool of plain Deno Workers running {@link computeTile}; tiles are transferred in and
 * results transferred out. With one thread the work runs in-process.
 * @module
 */
import { ScportraitError } from "../../errors.ts";
import { computeTile, type TileTask } from "./tile_compute.ts";
import type { EncodedChunks } from "../../io/h5sc/chunk_codec.ts";

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
  async run(task: TileTask): Promise<EncodedChunks> {
    if (this.#workers.length === 0) return computeTile(task);
    const worker = this.#idle.pop() ?? await new Promise<Worker>((r) => this.#waiting.push(r));
    try {
      return await new Promise<EncodedChunks>((resolve, reject) => {
        worker.onmessage = (e) => {
          if (e.data.ok) resolve(e.data.data);
          else reject(new ScportraitError("PLUGIN_FAILED", `extraction worker: ${e.data.error}`));
        };
        worker.onerror = (e) => {
          e.preventDefault();
          reject(new ScportraitError("PLUGIN_FAILED", `extraction worker crashed: ${e.message}`));
        };
        const transfer = [...task.labels, ...task.image].map((a) => a.buffer as ArrayBuffer);
        worker.postMessage(task, transfer);
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
