/**
 * Measures SpatialData image writing: level-0 MB/s (4 concurrent chunk writers), pyramid time, size
 * on disk and RSS, per compressor. Chunk content: real images (CellProfiler ×255 + DSB2018) via
 * Python. Run: deno run -A tests/core/io/spatialdata/store_write_bench.ts [size=8192] [zstd|blosc]
 */
import { SpatialDataStore } from "../../../../core/io/spatialdata/spatialdata_store.ts";
import {
  BLOSC_LZ4_COMPRESSOR,
  DEFAULT_COMPRESSOR,
  encodeChunk,
} from "../../../../core/io/zarr/chunk_compressor.ts";

const MAKE_TILE = `
import sys, numpy as np, tifffile
d = "/work/shared/data/cellprofiler_example_human/AS_09125_050116030001_D03f00d"
a = [tifffile.imread(d + f"{i}.tif").astype(np.uint16) * 255 for i in range(3)]
b = tifffile.imread("/work/shared/data/dsb2018_nuclei/img2d.tif").astype(np.uint16) * 200
np.block([[a[0], a[1]], [a[2], b]]).astype("<u2").tofile(sys.argv[1])
`;

const size = Number(Deno.args[0] ?? 8192);
const compressor = Deno.args[1] === "blosc" ? BLOSC_LZ4_COMPRESSOR : DEFAULT_COMPRESSOR;
const dir = await Deno.makeTempDir();
try {
  await new Deno.Command("/usr/bin/python3", { args: ["-c", MAKE_TILE, `${dir}/tile`] }).output();
  const raw = await Deno.readFile(`${dir}/tile`);
  const tile = new Uint16Array(raw.buffer, raw.byteOffset, 1024 * 1024);
  let t = performance.now();
  let bytes = 0;
  for (let i = 0; i < 10; i++) bytes += (await encodeChunk(compressor, raw)).byteLength;
  const encodeMBs = (10 * raw.byteLength / 1e6) / ((performance.now() - t) / 1000);
  const store = await SpatialDataStore.create(`${dir}/s.sdata`);
  const img = await store.createImage("input_image", {
    channels: 3,
    height: size,
    width: size,
    channelNames: ["a", "b", "c"],
    compressor,
  });
  const jobs: [number, number, number][] = [];
  for (let c = 0; c < 3; c++) {
    for (let y = 0; y < size; y += 1024) for (let x = 0; x < size; x += 1024) jobs.push([c, y, x]);
  }
  t = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: 4 }, async () => {
    while (next < jobs.length) {
      const [c, y, x] = jobs[next++];
      const h = Math.min(1024, size - y);
      const w = Math.min(1024, size - x);
      await img.writeChunk(c, y, x, h * w === tile.length ? tile : tile.slice(0, h * w), h, w);
    }
  }));
  const level0 = (performance.now() - t) / 1000;
  t = performance.now();
  await img.finalize({ progress: false });
  const pyramid = (performance.now() - t) / 1000;
  const du = await new Deno.Command("du", { args: ["-sm", `${dir}/s.sdata`] }).output();
  const mb = 3 * size * size * 2 / 1e6;
  console.log(
    `${size}²×3 uint16 ${compressor.id}: chunk encode ${encodeMBs.toFixed(0)} MB/s ratio ` +
      `${(10 * raw.byteLength / bytes).toFixed(2)}; level 0 ${(mb / level0).toFixed(0)} MB/s ` +
      `(${level0.toFixed(1)} s); pyramid+finalize ${pyramid.toFixed(1)} s; on disk ` +
      `${new TextDecoder().decode(du.stdout).split("\t")[0]} MB; RSS ` +
      `${(Deno.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB`,
  );
} finally {
  await Deno.remove(dir, { recursive: true });
}
