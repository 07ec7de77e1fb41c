import assert from "node:assert/strict";
import { asType, loadKernels, put, python, rng, take, zeros } from "../_harness.ts";

Deno.test("peak_local_max equals skimage on tie-free images (order and spacing)", async () => {
  const k = await loadKernels();
  const cases: [number, number, number, number][] = [[80, 60, 10, 7], [50, 50, 3, 2], [
    40,
    70,
    1,
    1,
  ]];
  for (const [h, w, md, fp] of cases) {
    const r = rng(h * w + md);
    const img = new Float64Array(h * w);
    for (let i = 0; i < img.length; i++) img[i] = r();
    const res = await python(
      `from skimage.feature import peak_local_max\nfrom skimage.morphology import disk\n` +
        `a = inp('img', np.float64, (${h}, ${w}))\n` +
        `p = peak_local_max(a, min_distance=${md}, footprint=disk(${fp}))\n` +
        `out('p', p.astype(np.int32))`,
      { img },
      ["p"],
    );
    const expected = asType(Int32Array, res.p);
    const out = zeros(k, h * w * 8);
    const n = k.peaks(put(k, img), h, w, md, fp, out, h * w);
    assert.equal(n * 2, expected.length, `case ${h}x${w}`);
    assert.deepEqual(take(k, Int32Array, out, n * 2), expected);
  }
});

Deno.test("peak_local_max on an EDT: same peak set as skimage (ties are platform-ordered)", async () => {
  const k = await loadKernels();
  const [h, w] = [90, 90];
  const m = new Uint8Array(h * w);
  const r = rng(9);
  for (let c = 0; c < 12; c++) {
    const cy = 10 + r() * 70, cx = 10 + r() * 70, rad = 5 + r() * 6;
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) if ((y - cy) ** 2 + (x - cx) ** 2 <= rad * rad) m[y * w + x] = 1;
    }
  }
  const res = await python(
    `from scipy import ndimage as ndi\nfrom skimage.feature import peak_local_max\n` +
      `from skimage.morphology import disk\nd = ndi.distance_transform_edt(inp('m', np.uint8, (${h}, ${w})))\n` +
      `out('d', d)\nout('p', peak_local_max(d, min_distance=10, footprint=disk(7)).astype(np.int32))`,
    { m },
    ["d", "p"],
  );
  const d = asType(Float64Array, res.d);
  const out = zeros(k, h * w * 8);
  const n = k.peaks(put(k, d), h, w, 10, 7, out, h * w);
  const got = take(k, Int32Array, out, n * 2);
  const key = (a: Int32Array) =>
    Array.from({ length: a.length / 2 }, (_, i) => `${a[2 * i]},${a[2 * i + 1]}`).sort();
  assert.ok(n > 5);
  // values are in descending order
  for (let i = 1; i < n; i++) {
    assert.ok(d[got[2 * i] * w + got[2 * i + 1]] <= d[got[2 * i - 2] * w + got[2 * i - 1]]);
  }
  assert.deepEqual(key(got), key(asType(Int32Array, res.p)));
});

Deno.test("peak_local_max: constant and empty images give no peaks; border excluded", async () => {
  const k = await loadKernels();
  const out = zeros(k, 800);
  assert.equal(k.peaks(put(k, new Float64Array(100).fill(3)), 10, 10, 2, 2, out, 100), 0);
  assert.equal(k.peaks(put(k, new Float64Array(100)), 10, 10, 2, 2, out, 100), 0);
  const img = new Float64Array(100);
  img[0 * 10 + 5] = 9; // in the border band
  img[5 * 10 + 5] = 4;
  assert.equal(k.peaks(put(k, img), 10, 10, 2, 2, out, 100), 1);
  assert.deepEqual(Array.from(take(k, Int32Array, out, 2)), [5, 5]);
});
