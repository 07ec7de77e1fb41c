/**
 * Extraction benchmark (issue 5): a synthetic grid of round cells (2 masks + 3 channels) extracted
 * at 128×128 into an `.h5sc` by our extractCells and, on the same input in the same run, by the
 * Python reference (bench/reference/extract_reference.py: numpy/scipy/skimage + h5py, as
 * scPortrait). Prints cells/s, MB/s (raw float16), peak RSS, random single-cell reads/s and the
 * speed ratio. Usage: deno run -A bench/extract_bench.ts [--cells N] [--quick] [--threads 2]
 *   [--no-python] [--python-cells M] [--tile-size 1024] [--keep copy.h5sc]
 * The Python reference runs on the first M cells of the same grid (default min(N, 5000): at ~80
 * cells/s it would take 20 minutes for 100 000); its rates are per cell and flat in N, so its time
 * for N cells is extrapolated, and the output says so.
 * @module
 */
import { parseArgs } from "node:util";
import process from "node:process";
import { join } from "node:path";
import { ArrayExtractionSource } from "../core/steps/extract/extraction_source.ts";
import { extractCells } from "../core/steps/extract/extract_cells.ts";
import { openH5sc } from "../core/io/h5sc/h5sc_reader.ts";
import { peakRssBytes } from "./peak_rss.ts";

/** The issue asks for 100 000 cells; both implementations together then take far longer than the
 * 3 minutes a `deno task bench` run may take on 2 cores, so the default is smaller. */
const DEFAULT_CELLS = 20000;
const { values } = parseArgs({
  args: Deno.args,
  options: {
    cells: { type: "string" },
    quick: { type: "boolean", default: false },
    threads: { type: "string", default: String(navigator.hardwareConcurrency) },
    compression: { type: "string", default: "lzf" },
    "no-python": { type: "boolean", default: false },
    "python-cells": { type: "string" },
    "tile-size": { type: "string", default: "1024" },
    keep: { type: "string" },
  },
});
const nCells = Number(values.cells ?? (values.quick ? 1000 : DEFAULT_CELLS));
const threads = Number(values.threads);
const pythonCells = Math.min(nCells, Number(values["python-cells"] ?? 5000));
if (!values.cells && !values.quick) {
  console.log(
    `extract bench: ${nCells} cells by default (the issue's 100 000 takes more than 3 minutes ` +
      `for both implementations on 2 cores; run with --cells 100000 for it)`,
  );
}
const S = 128, PITCH = 64, MARGIN = 64, R_NUC = 12, R_CYT = 28;
const side = Math.ceil(Math.sqrt(nCells));
const W = side * PITCH + 2 * MARGIN, H = Math.ceil(nCells / side) * PITCH + 2 * MARGIN;

// The scene is a pure function of (c, y, x), generated per requested window (memory stays flat).
const source = new ArrayExtractionSource({
  width: W,
  height: H,
  labels: [],
  image: [],
  channelNames: ["DAPI", "WGA", "Marker"],
  maskNames: ["seg_all_nucleus", "seg_all_cytosol"],
  centers: {
    ids: BigUint64Array.from({ length: nCells }, (_, i) => BigInt(i + 1)),
    y: Float64Array.from({ length: nCells }, (_, i) => MARGIN + Math.floor(i / side) * PITCH + 32),
    x: Float64Array.from({ length: nCells }, (_, i) => MARGIN + (i % side) * PITCH + 32),
  },
});
// Like the real sources, the synthetic one reads into the spent tile buffers it is handed.
// Ids fit in 32 bits: the labels are generated as uint32 (readLabels32), as a project's store
// gives them.
source.readLabels32 = (mask, w, into) => {
  const n = w.height * w.width;
  const out = into && into.length >= n ? into.subarray(0, n) : new Uint32Array(n);
  out.fill(0);
  const r2 = (mask === 0 ? R_NUC : R_CYT) ** 2;
  const rows = Math.ceil(nCells / side);
  // only the pixels of the disks are visited (each disk lies inside its own grid square)
  const g0 = Math.max(0, Math.floor((w.x - MARGIN) / PITCH));
  const g1 = Math.min(side - 1, Math.floor((w.x + w.width - 1 - MARGIN) / PITCH));
  for (let y = 0; y < w.height; y++) {
    const gy = Math.floor((w.y + y - MARGIN) / PITCH);
    if (gy < 0 || gy >= rows) continue;
    const dy2 = (w.y + y - (MARGIN + gy * PITCH + PITCH / 2)) ** 2;
    if (dy2 >= r2) continue;
    const h = Math.floor(Math.sqrt(r2 - dy2)) + 1;
    for (let gx = g0; gx <= g1; gx++) {
      const id = gy * side + gx;
      if (id >= nCells) break;
      const cx = MARGIN + gx * PITCH + PITCH / 2;
      const xa = Math.max(w.x, cx - h), xb = Math.min(w.x + w.width - 1, cx + h);
      for (let gxp = xa; gxp <= xb; gxp++) {
        if (dy2 + (gxp - cx) ** 2 < r2) out[y * w.width + gxp - w.x] = id + 1;
      }
    }
  }
  return Promise.resolve(out);
};
source.readImage = (c, w, into) => {
  const n = w.height * w.width;
  const out = into && into.length >= n ? into.subarray(0, n) : new Uint16Array(n);
  const k = Math.imul(c + 1, 0xc2b2ae3d);
  for (let y = 0; y < w.height; y++) {
    const hy = Math.imul(w.y + y, 0x85ebca77);
    for (let x = 0; x < w.width; x++) {
      out[y * w.width + x] = 1000 + (((Math.imul(w.x + x, 0x9e3779b1) ^ hy ^ k) >>> 0) >>> 20);
    }
  }
  return Promise.resolve(out);
};

const dir = await Deno.makeTempDir();
try {
  const cpu0 = process.cpuUsage();
  const res = await extractCells(source, {
    extractionDir: join(dir, "extraction"),
    imageSize: S,
    threads,
    compression: values.compression as "lzf",
    tileSize: Number(values["tile-size"]),
    progress: { quiet: true },
  });
  const cpu = process.cpuUsage(cpu0);
  const deno = {
    cells: res.nCells,
    cpuSeconds: +((cpu.user + cpu.system) / 1e6).toFixed(2),
    cellsPerCpuSecond: Math.round(res.nCells / ((cpu.user + cpu.system) / 1e6)),
    seconds: +res.seconds.toFixed(2),
    cellsPerSecond: Math.round(res.cellsPerSecond),
    rawMBps: Math.round((res.nCells * 5 * S * S * 2) / 1e6 / res.seconds),
    fileMB: Math.round(Deno.statSync(res.path!).size / 1e6),
    peakRssMB: Math.round((peakRssBytes() ?? 0) / 2 ** 20),
    randomReadsPerSecond: 0,
    randomReadsIntoPerSecond: 0,
  };
  if (values.keep) Deno.copyFileSync(res.path!, values.keep);
  const f = await openH5sc(res.path!);
  const reads = Math.min(2000, f.nCells);
  f.readCell(0);
  const t = performance.now();
  for (let i = 0; i < reads; i++) f.readCell(Math.floor(Math.random() * f.nCells));
  deno.randomReadsPerSecond = Math.round(reads / ((performance.now() - t) / 1000));
  // the same with one reused output array (readCellInto): no 320 KiB allocation per cell
  const buffer = new Float32Array(f.nChannels * S * S);
  const t2 = performance.now();
  for (let i = 0; i < reads; i++) f.readCellInto(Math.floor(Math.random() * f.nCells), buffer);
  deno.randomReadsIntoPerSecond = Math.round(reads / ((performance.now() - t2) / 1000));
  f.close();
  let py: Record<string, number> | undefined;
  if (!values["no-python"]) {
    const script = new URL("./reference/extract_reference.py", import.meta.url).pathname;
    const out = await new Deno.Command("/usr/bin/python3", {
      args: [
        script,
        "--cells",
        String(nCells),
        "--out",
        join(dir, "ref.h5"),
        "--processes",
        String(threads),
        "--compare",
        res.path!,
        "--limit",
        String(pythonCells),
      ],
      stdout: "piped",
      stderr: "inherit",
    }).output();
    if (!out.success) throw new Deno.errors.InvalidData("the Python reference failed");
    const lines = new TextDecoder().decode(out.stdout).trim().split("\n");
    py = JSON.parse(lines[lines.length - 1]);
  }
  const row = (name: string, r: Record<string, number>) =>
    `| ${name} | ${r.cells} | ${r.seconds} | ${r.cellsPerSecond} | ${r.rawMBps} | ` +
    `${r.cellsPerCpuSecond} | ${r.peakRssMB} | ${r.randomReadsPerSecond} | ` +
    `${r.randomReadsIntoPerSecond ?? "–"} |`;
  console.log(`\n2 masks + 3 channels, ${S}×${S}, LZF, ${threads} workers/processes`);
  console.log(
    "| implementation | cells | s | cells/s | MB/s (raw f16) | cells per CPU-s | peak RSS MiB " +
      "| reads/s | reads/s (reused buffer) |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|");
  console.log(row("scPortrait-for-Deno", deno));
  if (py) {
    console.log(row("Python reference (numpy/scipy/skimage + h5py)", py));
    if (py.cells < nCells) {
      console.log(
        `Python reference ran on the first ${py.cells} of the ${nCells} cells (same grid); ` +
          `its per-cell rates are flat in N, so ${nCells} cells would take about ` +
          `${(nCells / py.cellsPerSecond).toFixed(0)} s (extrapolated, not measured)`,
      );
    }
    console.log(
      `ratio ${(deno.cellsPerSecond / py.cellsPerSecond).toFixed(2)}× cells/s, ` +
        `${(deno.cellsPerCpuSecond / py.cellsPerCpuSecond).toFixed(2)}× cells per CPU-second ` +
        `(CPU time is robust to other load on the machine); ` +
        `${py.comparedCells} cells (the first and some of every tile row): max |Δ| ` +
        `${py.maxDiffFirstCells}, ` +
        `${(100 * py.identicalFraction).toFixed(3)}% bit-identical`,
    );
  }
  console.log(JSON.stringify({ deno, python: py }));
} finally {
  await Deno.remove(dir, { recursive: true });
}
