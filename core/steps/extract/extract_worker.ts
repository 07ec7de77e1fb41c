/**
 * Worker entry for extraction: receives a {@link TileTask}, replies with its compressed chunks
 * (transferred).
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
    const out = computeTile(event.data);
    const transfer = [out.data.buffer, out.sizes.buffer, out.masks.buffer] as ArrayBuffer[];
    scope.postMessage({ ok: true, data: out }, transfer);
  } catch (error) {
    scope.postMessage({ ok: false, error: String(error) });
  }
};
