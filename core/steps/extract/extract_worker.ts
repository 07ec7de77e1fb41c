/**
 * Worker entry for extraction: receives a {@link TileTask}, replies with the stacks (transferred).
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
    scope.postMessage({ ok: true, data: out }, [out.buffer as ArrayBuffer]);
  } catch (error) {
    scope.postMessage({ ok: false, error: String(error) });
  }
};
