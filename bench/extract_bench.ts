/**
 * Extraction benchmark: a synthetic grid of round cells (2 masks + 3 channels), extracted at
 * 128×128 into an `.h5sc`; prints cells/s, MB/s (raw float16 written), peak RSS and the random
 * single-cell read rate. Usage: deno run -A bench/extract_bench.ts [--cells 100000] [--threads 2]
 * @module
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import { ArrayExtractionSource } from "../core/steps/extract/extraction_source.ts";
import { extractCells } from "../core/steps/extract/extract_cells.ts";
import { openH5sc } from "../core/io/h5sc/h5sc_reader.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    cells: { type: "string", default: "100000" },
    threads: { type: "string", default: String(navigator.hardwareConcurrency) },
    compression: { type: "string", default: "lzf" },
  },
});
const nCells = Number(values.cells);
const pitch = 64; // cells on a 64-px grid, windows of 128 overlap like dense tissue
const side = Math.ceil(Math.sqrt(nCells));
const W = side * pitch + 128, H = Math.ceil(nCells / side) * pitch + 128;
let peak = 0;
const sample = () => (peak = Math.max(peak, Deno.memoryUsage().rss));
const timer = setInterval(sample, 200);

// Synthetic planes are generated per requested window, so memory stays flat in the image size.
function labelAt(y: number, x: number, r: number): bigint {
  const gy = Math.floor((y - 64) / pitch), gx = Math.floor((x - 64) / pitch);
  if (gy < 0 || gx < 0 || gx >= side) return 0n;
  const id = gy * side + gx;
  if (id >= nCells) return 0n;
  const cy = 64 + gy * pitch + pitch / 2, cx = 64 + gx * pitch + pitch / 2;
  return (y - cy) ** 2 + (x - cx) ** 2 < r * r ? BigInt(id + 1) : 0n;
}
const source = new ArrayExtractionSource({
  width: W,
  height: H,
  labels: [],
  image: [],
  channelNames: ["DAPI", "WGA", "Marker"],
  maskNames: ["seg_all_nucleus", "seg_all_cytosol"],
  centers: {
    ids: BigUint64Array.from({ length: nCells }, (_, i) => BigInt(i + 1)),
    y: Float64Array.from({ length: nCells }, (_, i) => 64 + Math.floor(i / side) * pitch + 32),
    x: Float64Array.from({ length: nCells }, (_, i) => 64 + (i % side) * pitch + 32),
  },
});
source.readLabels = (mask, w) => {
  const out = new BigUint64Array(w.height * w.width);
  const r = mask === 0 ? 12 : 28;
  for (let y = 0; y < w.height; y++) {
    for (let x = 0; x < w.width; x++) out[y * w.width + x] = labelAt(w.y + y, w.x + x, r);
  }
  return Promise.resolve(out);
};
source.readImage = (c, w) => {
  const out = new Uint16Array(w.height * w.width);
  let s = (c + 1) * 2654435761 + w.y * 31 + w.x;
  for (let i = 0; i < out.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    out[i] = 1000 + (s >>> 20);
  }
  return Promise.resolve(out);
};

const dir = await Deno.makeTempDir();
try {
  const res = await extractCells(source, {
    extractionDir: join(dir, "extraction"),
    imageSize: 128,
    threads: Number(values.threads),
    compression: values.compression as "lzf",
    tileSize: 1024,
  });
  sample();
  const mb = res.nCells * 5 * 128 * 128 * 2 / 1e6;
  const fileMb = Deno.statSync(res.path!).size / 1e6;
  const f = await openH5sc(res.path!);
  const reads = Math.min(2000, f.nCells);
  const t = performance.now();
  for (let i = 0; i < reads; i++) f.readCell(Math.floor(Math.random() * f.nCells));
  const readRate = reads / ((performance.now() - t) / 1000);
  f.close();
  clearInterval(timer);
  console.log(JSON.stringify({
    cells: res.nCells,
    threads: Number(values.threads),
    seconds: +res.seconds.toFixed(2),
    cellsPerSecond: Math.round(res.cellsPerSecond),
    rawMBps: Math.round(mb / res.seconds),
    fileMB: Math.round(fileMb),
    peakRssMB: Math.round(peak / 2 ** 20),
    randomReadsPerSecond: Math.round(readRate),
  }));
} finally {
  clearInterval(timer);
  await Deno.remove(dir, { recursive: true });
}
