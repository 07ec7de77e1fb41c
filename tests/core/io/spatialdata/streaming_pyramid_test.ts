/**
 * Pyramids built while level 0 streams in (in-process and in the Worker pool), the level-by-level
 * fallback (factors not dividing the chunk, resumed elements): every level is compared by stock
 * Python zarr 2.13 + numpy with a pyramid computed from the raw level-0 data.
 */
import assert from "node:assert/strict";
import { ChunkJobPool } from "../../../../core/io/spatialdata/chunk_job_pool.ts";
import { SpatialDataStore } from "../../../../core/io/spatialdata/spatialdata_store.ts";

const HERE = new URL(".", import.meta.url).pathname;
const H = 333;
const W = 290;
const CHUNK = 64;

function pixels(n: number, seed: number, max: number): Uint32Array {
  const out = new Uint32Array(n);
  let s = seed | 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = ((s >>> 0) % max + (i % 977) * 40) % max;
  }
  return out;
}

function cut(plane: ArrayLike<number>, y0: number, x0: number, h: number, w: number) {
  const out = new Uint16Array(h * w);
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) out[r * w + c] = plane[(y0 + r) * W + x0 + c];
  }
  return out;
}

/** Chunk origins in a scrambled order, to show the result does not depend on write order. */
function chunkOrigins(): [number, number][] {
  const out: [number, number][] = [];
  for (let y = 0; y < H; y += CHUNK) for (let x = 0; x < W; x += CHUNK) out.push([y, x]);
  return out.map((o, i) => [(i * 7919) % out.length, o] as const).sort((a, b) => a[0] - b[0])
    .map(([, o]) => o);
}

async function verify(element: string, raw: string, dtype: string, shape: number[], f: number[]) {
  const mode = dtype === "<u2" ? "mean" : "nearest";
  const out = await new Deno.Command("/usr/bin/python3", {
    args: [`${HERE}verify_pyramid.py`, element, raw, dtype, shape.join(","), f.join(","), mode],
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  assert.equal(text.trim(), "OK", text);
}

async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}

const image = Uint16Array.from(pixels(3 * H * W, 42, 65536));

for (
  const [label, factors, workers] of [
    ["streamed levels 1-3, Worker pool", [2, 4, 8], 2],
    ["streamed levels 1-3, in-process", [2, 4, 8], 0],
    ["level 1 streamed, level 2 (factor 3) by the level pass", [2, 3], 2],
  ] as const
) {
  Deno.test(`image pyramid: ${label}`, async () => {
    const dir = await Deno.makeTempDir();
    // workers that store chunk files themselves (write access to the temp dir only)
    const pool = workers > 0
      ? new ChunkJobPool({ workers, maxInFlight: 3, writeRoot: dir })
      : undefined;
    try {
      await Deno.writeFile(`${dir}/image.raw`, new Uint8Array(image.buffer));
      const store = await SpatialDataStore.create(`${dir}/s.sdata`);
      const img = await store.createImage("input_image", {
        channels: 3,
        height: H,
        width: W,
        channelNames: ["a", "b", "c"],
        chunk: [1, CHUNK, CHUNK],
        scaleFactors: factors,
        pool,
      });
      await Promise.all(
        chunkOrigins().flatMap(([y, x]) =>
          [0, 1, 2].map((c) => {
            const h = Math.min(CHUNK, H - y);
            const w = Math.min(CHUNK, W - x);
            const data = cut(image.subarray(c * H * W), y, x, h, w);
            return img.writeChunk(c, y, x, data, h, w, { transfer: true });
          })
        ),
      );
      const temp = `${dir}/s.sdata/images/.input_image.incomplete`;
      // streamed levels exist before finalize; a level the pass builds does not
      assert.equal(await exists(`${temp}/1/2/0/0`), true);
      assert.equal(await exists(`${temp}/2/2/0/0`), factors[1] === 4);
      await img.finalize({ progress: false });
      await verify(`${dir}/s.sdata/images/input_image`, `${dir}/image.raw`, "<u2", [3, H, W], [
        ...factors,
      ]);
    } finally {
      pool?.close();
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("image pyramid: a resumed element rebuilds its levels from level 0", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeFile(`${dir}/image.raw`, new Uint8Array(image.buffer, 0, H * W * 2));
    const options = {
      channels: 1,
      height: H,
      width: W,
      channelNames: ["a"],
      chunk: [1, CHUNK, CHUNK] as const,
      resume: true,
    };
    const store = await SpatialDataStore.create(`${dir}/s.sdata`);
    const origins = chunkOrigins();
    const write = (img: Awaited<ReturnType<typeof store.createImage>>, o: [number, number][]) =>
      Promise.all(o.map(([y, x]) => {
        const h = Math.min(CHUNK, H - y);
        const w = Math.min(CHUNK, W - x);
        return img.writeChunk(0, y, x, cut(image, y, x, h, w), h, w);
      }));
    // the first writer "dies" after half of the chunks (some level-1 chunks already streamed)
    await write(await store.createImage("input_image", options), origins.slice(0, 20));
    const second = await store.createImage("input_image", options);
    assert.equal((await second.writtenChunks()).size, 20);
    await write(second, origins.slice(20));
    await second.finalize({ progress: false });
    await verify(`${dir}/s.sdata/images/input_image`, `${dir}/image.raw`, "<u2", [1, H, W], [
      2,
      4,
      8,
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("labels pyramid: uint32 ids streamed into a uint64 element through the pool", async () => {
  const dir = await Deno.makeTempDir();
  const pool = new ChunkJobPool({ workers: 2 }); // no permissions: bytes come back to be stored
  try {
    const labels = pixels(H * W, 7, 5000);
    await Deno.writeFile(`${dir}/labels.raw`, new Uint8Array(labels.buffer));
    const store = await SpatialDataStore.create(`${dir}/s.sdata`);
    const lab = await store.createLabels("seg_all_nucleus", {
      height: H,
      width: W,
      chunk: [CHUNK, CHUNK],
      pool,
    });
    await Promise.all(
      chunkOrigins().map(([y, x]) => {
        const h = Math.min(CHUNK, H - y);
        const w = Math.min(CHUNK, W - x);
        const data = new Uint32Array(h * w);
        for (let r = 0; r < h; r++) {
          data.set(labels.subarray((y + r) * W + x, (y + r) * W + x + w), r * w);
        }
        return lab.writeChunk(y, x, data, h, w);
      }),
    );
    await lab.finalize({ progress: false });
    await verify(`${dir}/s.sdata/labels/seg_all_nucleus`, `${dir}/labels.raw`, "<u4", [H, W], [
      2,
      4,
      8,
    ]);
  } finally {
    pool.close();
    await Deno.remove(dir, { recursive: true });
  }
});
