/**
 * Module worker of {@link ChunkJobPool}: runs `runChunkJob` on jobs posted as `{id, job}` and
 * posts back `{id, result}` (buffers transferred) or `{id, error}`. Needs no permissions, or
 * read/write on the store when it writes the chunk files itself.
 * @module
 */
import { type ChunkJob, runChunkJob } from "./chunk_job.ts";

const scope = self as unknown as Worker;

scope.addEventListener("message", async (event: MessageEvent<{ id: number; job: ChunkJob }>) => {
  const { id, job } = event.data;
  try {
    const result = await runChunkJob(job);
    const transfer = new Set<ArrayBuffer>();
    result.bytes = result.bytes.map((bytes) => {
      // zlib may return a view into a shared pool buffer, raw chunks view the band: copy those
      const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength &&
        !transfer.has(bytes.buffer as ArrayBuffer);
      const out = own ? bytes : bytes.slice();
      transfer.add(out.buffer as ArrayBuffer);
      return out;
    });
    for (const blocks of result.reduced) {
      for (const block of blocks) transfer.add(block.data.buffer as ArrayBuffer);
    }
    // hand the band's buffer back for reuse (fresh memory costs page faults)
    const band = job.data.buffer as ArrayBuffer;
    if (
      !transfer.has(band) && job.data.byteOffset === 0 && job.data.byteLength === band.byteLength
    ) {
      result.band = job.data;
      transfer.add(band);
    }
    scope.postMessage({ id, result }, [...transfer]);
  } catch (error) {
    scope.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
