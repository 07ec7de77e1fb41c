import assert from "node:assert/strict";
import { asType, loadKernels, put, python, rng, take, zeros } from "../_harness.ts";

Deno.test("percentile normalisation equals scPortrait _normalize_image (float32)", async () => {
  const k = await loadKernels();
  const r = rng(11);
  const img = new Uint16Array(5000);
  for (let i = 0; i < img.length; i++) img[i] = Math.floor(r() * 65536);
  const res = await python(
    `im = inp('img', np.uint16).astype(np.float32)\n` +
      `lo = np.quantile(np.ravel(im), 0.01); hi = np.quantile(np.ravel(im), 0.99)\n` +
      `o = np.clip((im - lo) / (hi - lo), 0, 1)\n` +
      `out('o', o.astype(np.float32)); out('b', np.array([lo, hi], dtype=np.float64))\n` +
      `out('eq', np.clip(im - np.float32(300), 0, 1).astype(np.float32))`,
    { img },
    ["o", "b", "eq"],
  );
  const [lo, hi] = asType(Float64Array, res.b);
  const src = put(k, img);
  const dst = zeros(k, img.length * 4);
  k.normalize(src, dst, img.length, lo, hi);
  assert.deepEqual(take(k, Float32Array, dst, img.length), asType(Float32Array, res.o));
  // hi == lo: the division is skipped
  k.normalize(src, dst, img.length, 300, 300);
  assert.deepEqual(take(k, Float32Array, dst, img.length), asType(Float32Array, res.eq));
});
