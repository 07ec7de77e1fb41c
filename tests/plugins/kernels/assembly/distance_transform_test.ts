import assert from "node:assert/strict";
import { asType, type Kernels, loadKernels, put, python, rng, take, zeros } from "../_harness.ts";

/** Our EDT and scipy's `distance_transform_edt` of the `h × w` mask `m` (non-zero = foreground). */
async function edtAndScipy(k: Kernels, m: Uint8Array, h: number, w: number) {
  const res = await python(
    `from scipy import ndimage as ndi\n` +
      `out('d', ndi.distance_transform_edt(inp('m', np.uint8, (${h}, ${w}))).astype(np.float64))`,
    { m },
    ["d"],
  );
  const src = put(k, m);
  const dst = zeros(k, h * w * 8);
  k.edt(src, dst, h, w);
  const got = take(k, Float64Array, dst, h * w);
  k.free(src);
  k.free(dst);
  return { got, want: asType(Float64Array, res.d) };
}

/** A random `h × w` mask, foreground with probability `p`. */
function randomMask(h: number, w: number, p: number, seed: number): Uint8Array {
  const r = rng(seed);
  const m = new Uint8Array(h * w);
  for (let i = 0; i < m.length; i++) m[i] = r() < p ? 1 : 0;
  return m;
}

Deno.test("EDT equals scipy.ndimage.distance_transform_edt bit for bit", async () => {
  const k = await loadKernels();
  const cases: [number, number, number][] = [[60, 45, 0.7], [33, 80, 0.95], [1, 17, 0.5], [
    25,
    25,
    0.2,
  ]];
  for (const [h, w, p] of cases) {
    const m = randomMask(h, w, p, h + w);
    m[Math.floor(m.length / 2)] = 0; // at least one background pixel
    const { got, want } = await edtAndScipy(k, m, h, w);
    assert.deepEqual(got, want);
  }
});

Deno.test("EDT: empty mask is all zero; a mask without background is infinite", async () => {
  const k = await loadKernels();
  const dst = zeros(k, 12 * 8);
  k.edt(zeros(k, 12), dst, 3, 4);
  assert.ok(take(k, Float64Array, dst, 12).every((v) => v === 0));
  k.edt(put(k, new Uint8Array(12).fill(1)), dst, 3, 4);
  assert.ok(take(k, Float64Array, dst, 12).every((v) => v === Infinity));
});

Deno.test("EDT scans and row envelope: block-edge widths, sparse background, long rows, vs scipy", async () => {
  const k = await loadKernels();
  const cases: [number, number, number][] = [];
  for (const w of [1, 2, 15, 16, 17, 31, 33, 48]) cases.push([37, w, 0.9]);
  // sparse background: most columns have no unset pixel, distances span many rows
  cases.push([120, 35, 0.999], [300, 20, 0.9995], [4, 3000, 0.9995]);
  for (const [h, w, p] of cases) {
    const m = randomMask(h, w, p, h * 7 + w);
    m[h * w - 1] = 0; // at least one background pixel, in the last row and column
    const { got, want } = await edtAndScipy(k, m, h, w);
    assert.deepEqual(got, want, `${h}x${w} p=${p}`);
  }
});

Deno.test("EDT of an image with 65536 rows (parabola column pass) equals scipy", async () => {
  const k = await loadKernels();
  const [h, w] = [65536, 3];
  const m = randomMask(h, w, 0.9999, 11);
  m[5 * w] = 0;
  const { got, want } = await edtAndScipy(k, m, h, w);
  assert.ok(want.some((v) => v > 1000), "column distances span thousands of rows");
  assert.deepEqual(got, want);
});
