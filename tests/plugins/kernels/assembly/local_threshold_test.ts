import assert from "node:assert/strict";
import { asType, countDiff, loadKernels, put, python, rng, take, zeros } from "../_harness.ts";

Deno.test("local threshold: [::step] + median block (reflect) + resize equals skimage", async () => {
  const k = await loadKernels();
  const [h, w, step, block, thr] = [97, 83, 4, 7, 30];
  const r = rng(21);
  const img = new Uint16Array(h * w);
  for (let i = 0; i < img.length; i++) {
    img[i] = Math.floor(1000 + 500 * Math.sin(i / 37) + r() * 300);
  }
  const res = await python(
    `from skimage import filters\nfrom skimage.transform import resize\n` +
      `a = inp('img', np.uint16, (${h}, ${w}))\nds = a[::${step}, ::${step}]\n` +
      `t = filters.threshold_local(ds, block_size=${block}, method='median', offset=-${thr})\n` +
      `T = resize(t, a.shape)\nout('t', t.astype(np.float64)); out('T', T.astype(np.float64))\n` +
      `out('m', (a > T).astype(np.uint8))`,
    { img },
    ["t", "T", "m"],
  );
  const oh = Math.ceil(h / step), ow = Math.ceil(w / step);
  const src = put(k, img);
  const ds = zeros(k, oh * ow * 2);
  k.downsample(src, ds, h, w, step);
  const med = zeros(k, oh * ow * 2);
  k.median(ds, med, oh, ow, (block - 1) / 2, 1, 1);
  const t = Float64Array.from(take(k, Uint16Array, med, oh * ow), (v) => v + thr);
  assert.deepEqual(t, asType(Float64Array, res.t));
  const big = zeros(k, h * w * 8);
  k.resize(put(k, t), oh, ow, big, h, w);
  const T = take(k, Float64Array, big, h * w);
  const eT = asType(Float64Array, res.T);
  let maxErr = 0;
  for (let i = 0; i < T.length; i++) maxErr = Math.max(maxErr, Math.abs(T[i] - eT[i]));
  assert.ok(maxErr < 1e-9, `resize max error ${maxErr}`);
  const mask = Uint8Array.from(img, (v, i) => (v > T[i] ? 1 : 0));
  assert.equal(countDiff(mask, asType(Uint8Array, res.m)), 0);
});
