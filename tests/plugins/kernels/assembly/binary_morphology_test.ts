import assert from "node:assert/strict";
import { asType, countDiff, loadKernels, put, python, rng, take, zeros } from "../_harness.ts";

function blobs(seed: number, h: number, w: number, density: number): Uint8Array {
  const r = rng(seed);
  const m = new Uint8Array(h * w);
  // random discs plus salt noise
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

Deno.test("binary erosion / dilation with disks equal skimage (borders included)", async () => {
  const k = await loadKernels();
  const cases: [number, number, number][] = [[50, 70, 1], [64, 33, 4], [20, 20, 6], [3, 9, 2]];
  for (const [h, w, r] of cases) {
    const m = blobs(h * w + r, h, w, 0.05);
    const res = await python(
      `from skimage.morphology import binary_erosion, dilation, disk\n` +
        `a = inp('m', np.uint8, (${h}, ${w})).astype(bool)\n` +
        `out('e', binary_erosion(a, disk(${r})).astype(np.uint8))\n` +
        `out('d', dilation(a.astype(float), disk(${r})).astype(np.uint8))`,
      { m },
      ["e", "d"],
    );
    const src = put(k, m);
    const dst = zeros(k, m.length);
    k.erode(src, dst, h, w, r);
    assert.equal(countDiff(take(k, Uint8Array, dst, h * w), asType(Uint8Array, res.e)), 0);
    k.dilate(src, dst, h, w, r);
    assert.equal(countDiff(take(k, Uint8Array, dst, h * w), asType(Uint8Array, res.d)), 0);
  }
});

Deno.test("erosion of all-on stays all-on (outside counts as set); dilation of empty is empty", async () => {
  const k = await loadKernels();
  const on = put(k, new Uint8Array(100).fill(1));
  const dst = zeros(k, 100);
  k.erode(on, dst, 10, 10, 3);
  assert.ok(take(k, Uint8Array, dst, 100).every((v) => v === 1));
  const off = zeros(k, 100);
  k.dilate(off, dst, 10, 10, 3);
  assert.ok(take(k, Uint8Array, dst, 100).every((v) => v === 0));
});
