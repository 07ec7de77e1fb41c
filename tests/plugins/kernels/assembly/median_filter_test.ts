import assert from "node:assert/strict";
import { asType, countDiff, loadKernels, put, python, rng, take, zeros } from "../_harness.ts";

function randomU16(seed: number, n: number, maxValue: number): Uint16Array {
  const r = rng(seed);
  const a = new Uint16Array(n);
  for (let i = 0; i < n; i++) a[i] = Math.floor(r() * (maxValue + 1));
  return a;
}

Deno.test("disk half-widths equal skimage.morphology.disk rows", async () => {
  const k = await loadKernels();
  const radii = [0, 1, 2, 3, 4, 7, 10, 25];
  const res = await python(
    `from skimage.morphology import disk\nrows=[]\n` +
      `for r in ${
        JSON.stringify(radii)
      }:\n  d=disk(r)\n  rows += [int(x) for x in (d.sum(axis=1)-1)//2]\n` +
      `out('w', np.array(rows, dtype=np.int32))`,
    {},
    ["w"],
  );
  const expected = asType(Int32Array, res.w);
  const got: number[] = [];
  for (const r of radii) for (let dy = -r; dy <= r; dy++) got.push(k.diskWidth(r, dy));
  assert.deepEqual(got, Array.from(expected));
});

Deno.test("median filter with disk footprint equals skimage.filters.median (nearest)", async () => {
  const k = await loadKernels();
  const cases: [number, number, number, number][] = [
    [37, 53, 2, 65535],
    [64, 48, 4, 300],
    [
      5,
      7,
      3,
      9,
    ],
    [1, 9, 1, 100],
    [40, 40, 7, 65535],
  ];
  for (const [h, w, r, maxV] of cases) {
    const img = randomU16(h * 1000 + w + r, h * w, maxV);
    const res = await python(
      `from skimage.filters import median\nfrom skimage.morphology import disk\n` +
        `a = inp('img', np.uint16, (${h}, ${w}))\nout('m', median(a, disk(${r})))`,
      { img },
      ["m"],
    );
    const src = put(k, img);
    const dst = zeros(k, img.byteLength);
    k.median(src, dst, h, w, r, 0, 0);
    const got = take(k, Uint16Array, dst, h * w);
    assert.equal(countDiff(got, asType(Uint16Array, res.m)), 0, `case ${h}x${w} r=${r}`);
    k.free(src);
    k.free(dst);
  }
});

Deno.test("square median (reflect) equals ndimage.median_filter(size, mode=reflect)", async () => {
  const k = await loadKernels();
  const [h, w, size] = [41, 29, 11];
  const img = randomU16(7, h * w, 1000);
  const res = await python(
    `from scipy import ndimage as ndi\na = inp('img', np.uint16, (${h}, ${w}))\n` +
      `out('m', ndi.median_filter(a, size=${size}, mode='reflect'))`,
    { img },
    ["m"],
  );
  const src = put(k, img);
  const dst = zeros(k, img.byteLength);
  k.median(src, dst, h, w, (size - 1) / 2, 1, 1);
  assert.equal(countDiff(take(k, Uint16Array, dst, h * w), asType(Uint16Array, res.m)), 0);
});

Deno.test("median filter: constant image stays constant, all-zero stays zero", async () => {
  const k = await loadKernels();
  for (const v of [0, 65535, 17]) {
    const img = new Uint16Array(30 * 20).fill(v);
    const src = put(k, img);
    const dst = zeros(k, img.byteLength);
    k.median(src, dst, 30, 20, 5, 0, 0);
    assert.ok(take(k, Uint16Array, dst, 600).every((x) => x === v));
  }
});
