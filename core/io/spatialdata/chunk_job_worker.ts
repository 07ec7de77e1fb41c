/**
 * Module worker of {@link ChunkJobPool}: runs `runChunkJob` on jobs posted as `{id, job}` and
 * posts back `{id, result}` (buffers transferred) or `{id, error}`. Needs no permissions.
 * @module
 */
import { type ChunkJob, runChunkJob } from "./chunk_job.ts";

const scope = self as unknown as Worker;

scope.addEventListener("message", async (event: MessageEvent<{ id: number; job: ChunkJob }>) => {
  const { id, job } = event.data;
  try {
    const result = await runChunkJob(job);
    // zlib may return a view into a shared pool buffer: copy it before transferring
    const own = result.bytes;
    if (own.byteOffset !== 0 || own.byteLength !== own.buffer.byteLength) {
      result.bytes = own.slice();
    }
    const transfer = new Set<ArrayBuffer>([result.bytes.buffer as ArrayBuffer]);
    for (const block of result.reduced) transfer.add(block.data.buffer as ArrayBuffer);
    scope.postMessage({ id, result }, [...transfer]);
  } catch (error) {
    scope.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
