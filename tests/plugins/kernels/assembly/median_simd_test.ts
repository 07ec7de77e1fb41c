import assert from "node:assert/strict";
import { asType, countDiff, loadKernels, put, python, rng, take, zeros } from "../_harness.ts";

/** Border modes of `border.ts` and their scipy names. */
const MODES: [number, string][] = [[0, "nearest"], [1, "reflect"], [2, "mirror"]];

/** `n` u16 values uniform in lo..hi. */
function randomU16(seed: number, n: number, lo: number, hi: number): Uint16Array {
  const r = rng(seed);
  return Uint16Array.from({ length: n }, () => lo + Math.floor(r() * (hi - lo + 1)));
}

type Case = { h: number; w: number; r: number; square: boolean; lo: number; hi: number };

/**
 * Runs every case through `medianFilterU16` (which takes the SIMD path for footprints up to
 * 255 pixels) in every border mode and compares with `scipy.ndimage.median_filter` computed in
 * one Python run.
 */
async function compareWithScipy(cases: Case[]): Promise<void> {
  const k = await loadKernels();
  const inputs: Record<string, Uint16Array> = {};
  let script = `from scipy import ndimage as ndi\nfrom skimage.morphology import disk\n`;
  const outputs: string[] = [];
  cases.forEach((c, i) => {
    inputs[`in${i}`] = randomU16(1000 + i, c.h * c.w, c.lo, c.hi);
    const fp = c.square ? `np.ones((${2 * c.r + 1}, ${2 * c.r + 1}), bool)` : `disk(${c.r})`;
    script += `a = inp('in${i}', np.uint16, (${c.h}, ${c.w}))\n`;
    for (const [m, name] of MODES) {
      script += `out('out${i}_${m}', ndi.median_filter(a, footprint=${fp}, mode='${name}'))\n`;
      outputs.push(`out${i}_${m}`);
    }
  });
  const res = await python(script, inputs, outputs);
  cases.forEach((c, i) => {
    const src = put(k, inputs[`in${i}`]);
    const dst = zeros(k, c.h * c.w * 2);
    for (const [m, name] of MODES) {
      k.median(src, dst, c.h, c.w, c.r, c.square ? 1 : 0, m);
      const got = take(k, Uint16Array, dst, c.h * c.w);
      const want = asType(Uint16Array, res[`out${i}_${m}`]);
      const label = `${c.h}x${c.w} ${c.square ? "square" : "disk"}(${c.r}) values ${c.lo}..${c.hi}`;
      assert.equal(countDiff(got, want), 0, `${label} mode=${name}`);
    }
    k.free(src);
    k.free(dst);
  });
}

Deno.test("SIMD median: widths around the 16-pixel blocks, 1-row and 1-column images", async () => {
  const cases: Case[] = [];
  for (const w of [1, 2, 15, 16, 17, 31, 33, 50]) {
    cases.push({ h: 13, w, r: 4, square: false, lo: 0, hi: 65535 });
  }
  cases.push({ h: 1, w: 37, r: 3, square: false, lo: 0, hi: 4000 });
  cases.push({ h: 29, w: 1, r: 3, square: false, lo: 0, hi: 4000 });
  cases.push({ h: 1, w: 1, r: 2, square: false, lo: 0, hi: 9 });
  cases.push({ h: 2, w: 3, r: 6, square: false, lo: 100, hi: 200 });
  cases.push({ h: 5, w: 32, r: 0, square: false, lo: 0, hi: 65535 }); // disk(0): no border columns
  await compareWithScipy(cases);
});

Deno.test("SIMD median: every disk radius 1..8 and squares up to 15x15 (225 pixels)", async () => {
  const cases: Case[] = [];
  for (let r = 1; r <= 8; r++) cases.push({ h: 23, w: 35, r, square: false, lo: 0, hi: 65535 });
  for (const r of [1, 3, 7]) cases.push({ h: 21, w: 19, r, square: true, lo: 0, hi: 65535 });
  await compareWithScipy(cases);
});

Deno.test("SIMD median: value ranges with no low part, a few low bits, and all 16 bits", async () => {
  const cases: Case[] = [
    { h: 20, w: 40, r: 4, square: false, lo: 0, hi: 0 },
    { h: 20, w: 40, r: 4, square: false, lo: 65535, hi: 65535 },
    { h: 20, w: 40, r: 4, square: false, lo: 500, hi: 755 },
    { h: 20, w: 40, r: 4, square: false, lo: 500, hi: 756 },
    { h: 20, w: 40, r: 4, square: false, lo: 0, hi: 4095 },
    { h: 20, w: 40, r: 4, square: false, lo: 65000, hi: 65535 },
    { h: 20, w: 40, r: 4, square: false, lo: 1, hi: 65534 },
  ];
  await compareWithScipy(cases);
});

Deno.test("median beyond 255 pixels (sliding-histogram fallback) still equals scipy", async () => {
  // square(8) = 289 pixels, disk(9) = 253 pixels (SIMD) next to disk(10) = 317 (fallback)
  await compareWithScipy([
    { h: 25, w: 30, r: 8, square: true, lo: 0, hi: 65535 },
    { h: 25, w: 30, r: 9, square: false, lo: 0, hi: 3000 },
    { h: 25, w: 30, r: 10, square: false, lo: 0, hi: 3000 },
  ]);
});

Deno.test("SIMD median: smooth image with noise (blocks share high-byte bits)", async () => {
  const k = await loadKernels();
  const [h, w] = [64, 80];
  const r = rng(5);
  const img = new Uint16Array(h * w);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      img[y * w + x] = Math.round(3000 + 2500 * Math.sin(x / 9) * Math.cos(y / 7) + 200 * r());
    }
  }
  const res = await python(
    `from skimage.filters import median\nfrom skimage.morphology import disk\n` +
      `a = inp('img', np.uint16, (${h}, ${w}))\nout('m', median(a, disk(4)))`,
    { img },
    ["m"],
  );
  const src = put(k, img);
  const dst = zeros(k, img.byteLength);
  k.median(src, dst, h, w, 4, 0, 0);
  assert.equal(countDiff(take(k, Uint16Array, dst, h * w), asType(Uint16Array, res.m)), 0);
});
