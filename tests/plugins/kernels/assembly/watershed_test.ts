import assert from "node:assert/strict";
import { asType, countDiff, loadKernels, put, python, rng, take, zeros } from "../_harness.ts";

Deno.test("watershed equals skimage.segmentation.watershed (ties, mask, connectivity)", async () => {
  const k = await loadKernels();
  const cases: [number, number, number, number][] = [[60, 80, 1, 6], [45, 45, 2, 4], [
    30,
    70,
    1,
    8,
  ]];
  for (const [h, w, conn, levels] of cases) {
    const r = rng(h * w * conn);
    // few levels -> many ties, so the heap order decides
    const img = new Float64Array(h * w);
    for (let i = 0; i < img.length; i++) img[i] = Math.floor(r() * levels);
    const markers = new Uint32Array(h * w);
    for (let i = 1; i <= 15; i++) markers[Math.floor(r() * h * w)] = i;
    const mask = new Uint8Array(h * w);
    for (let i = 0; i < mask.length; i++) mask[i] = r() < 0.85 ? 1 : 0;
    const res = await python(
      `from skimage.segmentation import watershed\n` +
        `im = inp('img', np.float64, (${h}, ${w})); mk = inp('mk', np.uint32, (${h}, ${w})).astype(np.int64)\n` +
        `ms = inp('ms', np.uint8, (${h}, ${w})).astype(bool)\n` +
        `out('l', watershed(im, mk, mask=ms, connectivity=${conn}).astype(np.uint32))`,
      { img, mk: markers, ms: mask },
      ["l"],
    );
    const dst = zeros(k, h * w * 4);
    k.flood(put(k, img), put(k, markers), put(k, mask), dst, h, w, conn);
    const diff = countDiff(take(k, Uint32Array, dst, h * w), asType(Uint32Array, res.l));
    assert.equal(diff, 0, `case ${h}x${w} conn=${conn}`);
  }
});

Deno.test("watershed: no markers gives all zero", async () => {
  const k = await loadKernels();
  const dst = zeros(k, 400);
  k.flood(put(k, new Float64Array(100)), zeros(k, 400), 0, dst, 10, 10, 1);
  assert.ok(take(k, Uint32Array, dst, 100).every((v) => v === 0));
});

Deno.test("watershed speed: 2048², 2000 markers", async () => {
  const k = await loadKernels();
  const n = 2048;
  const r = rng(2);
  const img = new Float64Array(n * n);
  for (let i = 0; i < img.length; i++) img[i] = r();
  const markers = new Uint32Array(n * n);
  for (let i = 1; i <= 2000; i++) markers[Math.floor(r() * n * n)] = i;
  const a = put(k, img), b = put(k, markers), dst = zeros(k, n * n * 4);
  const t0 = performance.now();
  k.flood(a, b, 0, dst, n, n, 1);
  const ms = performance.now() - t0;
  console.log(`watershed 2048²: ${ms.toFixed(0)} ms`);
  assert.ok(ms < 30000);
});
