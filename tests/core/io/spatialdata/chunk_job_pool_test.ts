/**
 * ChunkJobPool: same bytes as the in-process job, transfer semantics, errors mapped to
 * ScportraitError, permissions (no writeRoot: a worker cannot write files), close.
 */
import assert from "node:assert/strict";
import { isScportraitError } from "../../../../core/errors.ts";
import { type ChunkJob, runChunkJob } from "../../../../core/io/spatialdata/chunk_job.ts";
import { ChunkJobPool } from "../../../../core/io/spatialdata/chunk_job_pool.ts";

function job(data: Uint16Array, path?: string): ChunkJob {
  return {
    data,
    width: 96,
    h: 40,
    parts: [{ x: 0, w: 64, path }, { x: 64, w: 32 }],
    chunk: [64, 64],
    diskBytes: 2,
    compressor: { id: "zstd", level: 1 },
    reduce: { factors: [2, 4], mode: "mean" },
  };
}

const band = Uint16Array.from({ length: 40 * 96 }, (_, i) => (i * 37) % 5000);

Deno.test("pool: same result as in-process, transfer moves only whole buffers", async () => {
  const pool = new ChunkJobPool({ workers: 2, maxInFlight: 1 });
  try {
    const local = await runChunkJob(job(band.slice()));
    const moved = band.slice();
    const viaPool = await pool.run(job(moved), { transfer: true });
    assert.equal(moved.byteLength, 0); // transferred
    // …and handed back whole for reuse
    assert.ok(viaPool.band instanceof Uint16Array);
    assert.deepEqual(Array.from(viaPool.band), Array.from(band));
    assert.equal(local.band, undefined);
    assert.deepEqual(viaPool.bytes, local.bytes);
    assert.deepEqual(viaPool.reduced, local.reduced);
    assert.deepEqual(local.reduced[1].map((b) => [b.h, b.w]), [[20, 16], [5, 4]]);
    const view = band.slice().subarray(0, 40 * 96);
    const wide = new Uint16Array(view.length + 10);
    wide.set(view);
    const part = wide.subarray(0, view.length); // does not own its buffer: copied, not moved
    const copied = await pool.run(job(part), { transfer: true });
    assert.equal(part.length, 40 * 96);
    assert.equal(copied.band, undefined); // the caller still has its array
    // many jobs through one slot (maxInFlight 1) all complete
    const all = await Promise.all(Array.from({ length: 6 }, () => pool.run(job(band.slice()))));
    for (const r of all) assert.deepEqual(r.bytes, local.bytes);
  } finally {
    pool.close();
  }
});

Deno.test("pool: errors become WRITE_FAILED; workers without writeRoot cannot write", async () => {
  const dir = await Deno.makeTempDir();
  const pool = new ChunkJobPool({ workers: 1 });
  try {
    await assert.rejects(
      pool.run({ ...job(band.slice()), compressor: { id: "gzip" } as never }),
      (e) => isScportraitError(e, "WRITE_FAILED") && /Unknown chunk compressor/.test(e.message),
    );
    await assert.rejects(
      pool.run(job(band.slice(), `${dir}/0/0`)),
      (e) => isScportraitError(e, "WRITE_FAILED"),
    );
    assert.deepEqual(Array.from(Deno.readDirSync(dir)), []);
    pool.close();
    await assert.rejects(pool.run(job(band.slice())), (e) => isScportraitError(e, "USAGE"));
    const writer = new ChunkJobPool({ workers: 1, writeRoot: dir });
    try {
      const r = await writer.run(job(band.slice(), `${dir}/0/0`));
      assert.equal(r.bytes[0].byteLength, 0); // stored by the worker
      assert.ok(Deno.statSync(`${dir}/0/0`).size > 0);
      await assert.rejects(writer.run(job(band.slice(), `${dir}/../escape`)));
    } finally {
      writer.close();
    }
  } finally {
    pool.close();
    await Deno.remove(dir, { recursive: true });
  }
});
