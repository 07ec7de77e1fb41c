/**
 * Worker entry for extraction: receives a {@link TileTask}, replies with its compressed chunks and
 * hands the tile buffers back (all transferred), so the main thread reads the next tiles into them.
 * @module
 */
import { computeTile, type TileTask } from "./tile_compute.ts";

interface WorkerScope {
  onmessage: ((event: MessageEvent<TileTask>) => void) | null;
  postMessage(message: unknown, transfer?: Transferable[]): void;
}

const scope = self as unknown as WorkerScope;
scope.onmessage = (event) => {
  try {
    const task = event.data;
    const out = computeTile(task);
    const { labels, image } = task;
    const transfer = new Set<ArrayBuffer>(
      [out.data, out.sizes, out.masks, ...labels, ...image].map((a) => a.buffer as ArrayBuffer),
    );
    scope.postMessage({ ok: true, data: out, labels, image }, [...transfer]);
  } catch (error) {
    scope.postMessage({ ok: false, error: String(error) });
  }
};
