/**
 * `deno task bench kernels`: times the hot segmentation kernels (`plugins/kernels/assembly/`) on a
 * 2048² tile, single thread, through the test harness build (asc -O3, SIMD enabled). Prints the
 * first call's CPU time and the median CPU and wall time over `--reps` runs (default 3) per
 * kernel; `--quick` uses a 512² tile. `deno run -A bench/kernels_bench.ts --only fmm,watershed` runs the rows whose names
 * contain one of the words.
 * Inputs are synthetic and seeded, the same as the speed tests in `tests/plugins/kernels/`.
 * @module
 */

import process from "node:process";
import { parseArgs } from "node:util";
import { type Kernels, loadKernels, put, rng, zeros } from "../tests/plugins/kernels/_harness.ts";
import { marchingInputs, markerCountFor, noiseFlooding, noiseU16 } from "./kernel_inputs.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    quick: { type: "boolean", default: false },
    reps: { type: "string", default: "3" },
    only: { type: "string", default: "" },
  },
});
const n = values.quick ? 512 : 2048;
const reps = Math.max(1, Number(values.reps) || 3);
const k: Kernels = await loadKernels();

function blobs(seed: number, h: number, w: number, density: number): Uint8Array {
  const r = rng(seed);
  const m = new Uint8Array(h * w);
  for (let c = 0; c < (h * w) / 150; c++) {
    const cy = r() * h, cx = r() * w, rad = 2 + r() * 8;
    for (let y = Math.max(0, Math.floor(cy - rad)); y < Math.min(h, cy + rad); y++) {
      for (let x = Math.max(0, Math.floor(cx - rad)); x < Math.min(w, cx + rad); x++) {
        if ((y - cy) ** 2 + (x - cx) ** 2 <= rad * rad) m[y * w + x] = 1;
      }
    }
  }
  for (let i = 0; i < m.length; i++) if (r() < density) m[i] = 1 - m[i];
  return m;
}

/** Runs `fn` `reps` times; returns the first call's CPU time and the median over all (ms). */
function time(fn: () => void): { first: number; cpu: number; wall: number } {
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < reps; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const first = cpu[0];
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  const mid = Math.floor(reps / 2);
  return { first, cpu: cpu[mid], wall: wall[mid] };
}

const only = values.only ? values.only.split(",") : [];
function row(name: string, fn: () => void): void {
  if (only.length && !only.some((w) => name.toLowerCase().includes(w.toLowerCase()))) return;
  const t = time(fn);
  const f = (v: number) => v.toFixed(0).padStart(6);
  console.log(`${name.padEnd(46)} ${f(t.first)} ${f(t.cpu)} ${f(t.wall)}`);
}

const px = n * n;
console.log(
  `kernels on a ${n}×${n} tile, single thread, ${reps} runs each, ms. first = CPU time of the ` +
    `first call (V8 has not optimised the kernel yet), cpu / wall = medians over all runs ` +
    `(wall includes waiting for the shared cores)`,
);
console.log(`${"kernel".padEnd(46)}  first    cpu   wall`);
{
  const src = put(k, noiseU16(3, px, 4000));
  const dst = zeros(k, px * 2);
  row("median filter disk(4), u16 noise 0..4000", () => k.median(src, dst, n, n, 4, 0, 0));
  k.free(src);
  k.free(dst);
}
{
  const src = put(k, blobs(1, n, n, 0.01));
  const dst = zeros(k, px);
  row("binary erosion disk(4)", () => k.erode(src, dst, n, n, 4));
  row("binary dilation disk(4)", () => k.dilate(src, dst, n, n, 4));
  k.free(src);
  k.free(dst);
}
{
  const r = rng(5);
  const m = new Uint8Array(px);
  for (let i = 0; i < px; i++) m[i] = r() < 0.98 ? 1 : 0;
  const src = put(k, m);
  const dst = zeros(k, px * 4);
  row("squared EDT (2% background)", () => k.edtSquared(src, dst, n, n));
  k.free(src);
  k.free(dst);
}
const markerCount = markerCountFor(px);
{
  const { image, markers } = noiseFlooding(px, markerCount);
  const a = put(k, image), b = put(k, markers), dst = zeros(k, px * 4);
  row(`watershed, noise image, ${markerCount} markers`, () => k.flood(a, b, 0, dst, n, n, 1));
  k.free(a);
  k.free(b);
  k.free(dst);
}
{
  const { seeds, markers, speed } = marchingInputs(px, markerCount);
  const a = put(k, seeds), b = put(k, speed), out = zeros(k, px * 8);
  row(`FMM travel time, ${markerCount} seeds, random speed`, () => k.fmm(a, 0, b, out, n, n, 2));
  const mk = put(k, markers), dst = zeros(k, px * 4);
  row("watershed on that travel time (WGA-like)", () => k.flood(out, mk, 0, dst, n, n, 1));
  for (const p of [a, b, out, mk, dst]) k.free(p);
}
