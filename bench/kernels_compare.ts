/**
 * Paired before/after timing of the hot segmentation kernels: compiles `plugins/kernels/assembly/`
 * as of `--base` (a git commit) and as in the work tree into one module (the test harness's asc
 * flags), runs both alternately on the same seeded 2048² inputs as `kernels_bench.ts`, single
 * thread, and checks that every output is byte-identical. Prints CPU ms per call (median over
 * `--reps`, default 3) for each version and the ratio.
 *
 *   deno run -A bench/kernels_compare.ts [--base <commit>] [--size 2048] [--reps 3]
 *     [--only fmm,watershed,median,binary,distance]
 * @module
 */

import asc from "assemblyscript/asc";
import process from "node:process";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ScportraitError } from "../core/errors.ts";
import { type Kernels, put, rng, take, zeros } from "../tests/plugins/kernels/_harness.ts";
import { marchingInputs, markerCountFor, noiseFlooding, noiseU16 } from "./kernel_inputs.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    base: { type: "string", default: "5248991" },
    size: { type: "string", default: "2048" },
    reps: { type: "string", default: "3" },
    only: { type: "string", default: "" },
  },
});
const ROOT = new URL("../", import.meta.url).pathname;
const KERNELS = "plugins/kernels/assembly";
const n = Number(values.size);
const reps = Math.max(1, Number(values.reps) || 3);

function git(args: string[]): string {
  const out = new Deno.Command("git", { args, cwd: ROOT, stdout: "piped", stderr: "piped" })
    .outputSync();
  if (!out.success) {
    throw new ScportraitError(
      "INPUT_INVALID",
      `git ${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr).trim()}`,
    );
  }
  return new TextDecoder().decode(out.stdout);
}

const ENTRY = `
import { diskHalfWidths, squareHalfWidths } from "./head/disk";
import { fastMarch as fmmBase } from "./base/fast_marching";
import { fastMarch as fmmHead } from "./head/fast_marching";
import { watershed as wsBase } from "./base/watershed";
import { watershed as wsHead } from "./head/watershed";
import { medianFilterU16 as medBase } from "./base/median_filter";
import { medianFilterU16 as medHead } from "./head/median_filter";
import { binaryDilate as dilBase, binaryErode as eroBase } from "./base/binary_morphology";
import { binaryDilate as dilHead, binaryErode as eroHead } from "./head/binary_morphology";
import { squaredDistanceTransform as edtBase } from "./base/distance_transform";
import { squaredDistanceTransform as edtHead } from "./head/distance_transform";
export function alloc(n: usize): usize { return heap.alloc(n); }
export function free(p: usize): void { heap.free(p); }
export function fmm(v: i32, s: usize, m: usize, f: usize, o: usize, h: i32, w: i32): void {
  if (v == 0) fmmBase(s, m, f, o, h, w, 2); else fmmHead(s, m, f, o, h, w, 2);
}
export function flood(v: i32, im: usize, mk: usize, o: usize, h: i32, w: i32, r: i32): void {
  if (v == 0) wsBase(im, mk, 0, o, h, w, 1, r != 0); else wsHead(im, mk, 0, o, h, w, 1, r != 0);
}
export function median(v: i32, s: usize, d: usize, h: i32, w: i32, r: i32, sq: i32): void {
  const fp = sq != 0 ? squareHalfWidths(r) : diskHalfWidths(r);
  if (v == 0) medBase(s, d, h, w, fp, sq); else medHead(s, d, h, w, fp, sq);
}
export function morph(v: i32, dilate: i32, s: usize, d: usize, h: i32, w: i32, r: i32): void {
  const fp = diskHalfWidths(r);
  if (dilate != 0) {
    if (v == 0) dilBase(s, d, h, w, fp); else dilHead(s, d, h, w, fp);
  } else if (v == 0) eroBase(s, d, h, w, fp);
  else eroHead(s, d, h, w, fp);
}
export function edt(v: i32, m: usize, o: usize, h: i32, w: i32): void {
  if (v == 0) edtBase(m, o, h, w); else edtHead(m, o, h, w);
}
export function abortHandler(m: usize, f: usize, l: u32, c: u32): void { unreachable(); }
`;

async function compileBoth(): Promise<Kernels> {
  const dir = await Deno.makeTempDir({ prefix: "kernels_compare_" });
  try {
    await Deno.mkdir(join(dir, "base"));
    await Deno.mkdir(join(dir, "head"));
    for (const path of git(["ls-tree", "--name-only", values.base!, `${KERNELS}/`]).split("\n")) {
      if (!path.endsWith(".ts")) continue;
      const name = path.slice(KERNELS.length + 1);
      await Deno.writeTextFile(join(dir, "base", name), git(["show", `${values.base}:${path}`]));
    }
    for (const e of Deno.readDirSync(join(ROOT, KERNELS))) {
      if (e.name.endsWith(".ts")) {
        await Deno.copyFile(join(ROOT, KERNELS, e.name), join(dir, "head", e.name));
      }
    }
    await Deno.writeTextFile(join(dir, "entry.ts"), ENTRY);
    let binary: Uint8Array | null = null;
    let log = "";
    const sink = {
      write(c: Uint8Array | string) {
        log += typeof c === "string" ? c : new TextDecoder().decode(c);
        return true;
      },
    };
    const flags = ["-O3", "--runtime", "incremental", "--noAssert", "--enable", "simd"];
    const result = await asc.main(
      [
        "entry.ts",
        "--baseDir",
        dir,
        "-o",
        "core.wasm",
        ...flags,
        "--use",
        "abort=entry/abortHandler",
      ],
      {
        stdout: sink,
        stderr: sink,
        writeFile(name: string, contents: Uint8Array | string) {
          if (name.endsWith("core.wasm") && typeof contents !== "string") binary = contents;
        },
      },
    );
    if (result.error || !binary) {
      throw new ScportraitError("PLUGIN_INVALID", `asc failed: ${result.error}\n${log}`);
    }
    const instance = await WebAssembly.instantiate(await WebAssembly.compile(binary), {});
    return instance.exports as unknown as Kernels;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const k = await compileBoth();
const px = n * n;

function cpuMs(fn: () => void): number {
  const c0 = process.cpuUsage();
  fn();
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

const median = (a: number[]) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
const only = values.only ? values.only.split(",") : [];
console.log(`kernels at ${values.base} (base) vs the work tree (head), ${n}², CPU ms per call`);
console.log(`${"kernel".padEnd(44)}   base   head  ratio  outputs`);

/** Runs base and head alternately `reps` times; `out` reads a version's output. */
function pair(
  name: string,
  run: (version: number) => void,
  out: (version: number) => Uint8Array,
): void {
  if (only.length && !only.some((w) => name.toLowerCase().includes(w))) return;
  const t: number[][] = [[], []];
  for (let i = 0; i < reps; i++) for (const v of [0, 1]) t[v].push(cpuMs(() => run(v)));
  const a = out(0), b = out(1);
  const same = a.length === b.length && a.every((x, i) => x === b[i]);
  const [mb, mh] = [median(t[0]), median(t[1])];
  console.log(
    `${name.padEnd(44)} ${mb.toFixed(0).padStart(6)} ${mh.toFixed(0).padStart(6)} ` +
      `${(mb / mh).toFixed(2).padStart(5)}×  ${same ? "identical" : "DIFFERENT"}`,
  );
  if (!same) process.exitCode = 1;
}

const bytes = (ptr: number, len: number) => take(k, Uint8Array, ptr, len);
/**
 * A WGA-like u16 image: a smooth field (random values on a 32-pixel grid, bilinear) scaled to
 * 200..12000, plus uniform pixel noise of ±300.
 */
function smoothU16(seed: number, size: number): Uint16Array {
  const r = rng(seed);
  const g = Math.ceil(size / 32) + 2;
  const grid = Float64Array.from({ length: g * g }, () => r());
  const a = new Uint16Array(size * size);
  for (let y = 0; y < size; y++) {
    const gy = y / 32, y0 = Math.floor(gy), fy = gy - y0;
    for (let x = 0; x < size; x++) {
      const gx = x / 32, x0 = Math.floor(gx), fx = gx - x0;
      const at = (yy: number, xx: number) => grid[yy * g + xx];
      const v = (1 - fy) * ((1 - fx) * at(y0, x0) + fx * at(y0, x0 + 1)) +
        fy * ((1 - fx) * at(y0 + 1, x0) + fx * at(y0 + 1, x0 + 1));
      a[y * size + x] = Math.round(600 + 11000 * v * v + 600 * (r() - 0.5));
    }
  }
  return a;
}
const smooth = smoothU16(5, n);
const medians: [string, Uint16Array, number, number][] = [
  ["u16 noise 0..4000", noiseU16(3, px, 4000), 4, 0],
  ["u16 noise 0..65535", noiseU16(4, px, 65535), 4, 0],
  ["smooth field + noise", smooth, 4, 0],
  ["smooth field + noise", smooth, 6, 0],
  ["smooth field + noise", smooth, 8, 0],
];
for (const [label, image, r, sq] of medians) {
  const s = put(k, image), d = [zeros(k, px * 2), zeros(k, px * 2)];
  pair(
    `median filter ${sq ? "square" : "disk"}(${r}), ${label}`,
    (v) => k.median(v, s, d[v], n, n, r, sq),
    (v) => bytes(d[v], px * 2),
  );
  k.free(s);
  k.free(d[0]);
  k.free(d[1]);
}
{
  // a cell-like mask: the smooth field above its median
  const sorted = smooth.slice().sort();
  const cut = sorted[sorted.length >> 1];
  const mask = Uint8Array.from(smooth, (v) => (v > cut ? 1 : 0));
  const s = put(k, mask), d = [zeros(k, px), zeros(k, px)];
  for (const r of [2, 7]) {
    for (const dilate of [0, 1]) {
      pair(
        `binary ${dilate ? "dilation" : "erosion"} disk(${r}), thresholded smooth field`,
        (v) => k.morph(v, dilate, s, d[v], n, n, r),
        (v) => bytes(d[v], px),
      );
    }
  }
  const o = [zeros(k, px * 4), zeros(k, px * 4)];
  pair(
    "squared distance transform, thresholded smooth field",
    (v) => k.edt(v, s, o[v], n, n),
    (v) => bytes(o[v], px * 4),
  );
  k.free(s);
  k.free(d[0]);
  k.free(d[1]);
  k.free(o[0]);
  k.free(o[1]);
}
const markerCount = markerCountFor(px);
{
  const { image, markers } = noiseFlooding(px, markerCount);
  const a = put(k, image), b = put(k, markers), d = [zeros(k, px * 4), zeros(k, px * 4)];
  pair(`watershed, noise image, ${markerCount} markers`, (v) => k.flood(v, a, b, d[v], n, n, 0), (
    v,
  ) => bytes(d[v], px * 4));
}
{
  const { seeds, markers, speed } = marchingInputs(px, markerCount);
  const s = put(k, seeds), f = put(k, speed), o = [zeros(k, px * 8), zeros(k, px * 8)];
  pair(
    `FMM travel time, ${markerCount} seeds, random speed`,
    (v) => k.fmm(v, s, 0, f, o[v], n, n),
    (v) => bytes(o[v], px * 8),
  );
  const mk = put(k, markers), d = [zeros(k, px * 4), zeros(k, px * 4)];
  pair("watershed on that travel time (WGA-like)", (v) => k.flood(v, o[1], mk, d[v], n, n, 1), (
    v,
  ) => bytes(d[v], px * 4));
}
