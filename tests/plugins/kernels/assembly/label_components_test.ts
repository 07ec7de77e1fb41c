import assert from "node:assert/strict";
import { asType, countDiff, loadKernels, put, python, rng, take, zeros } from "../_harness.ts";

Deno.test("connected components equal skimage.measure.label (1- and 2-connectivity)", async () => {
  const k = await loadKernels();
  const [h, w] = [64, 77];
  const r = rng(12);
  const m = new Uint8Array(h * w);
  for (let i = 0; i < m.length; i++) m[i] = r() < 0.45 ? 1 : 0;
  for (const conn of [1, 2]) {
    const res = await python(
      `from skimage.measure import label\n` +
        `out('l', label(inp('m', np.uint8, (${h}, ${w})), connectivity=${conn}).astype(np.uint32))`,
      { m },
      ["l"],
    );
    const dst = zeros(k, h * w * 4);
    const n = k.label(put(k, m), dst, h, w, conn);
    const expected = asType(Uint32Array, res.l);
    assert.equal(n, Math.max(...expected));
    assert.equal(countDiff(take(k, Uint32Array, dst, h * w), expected), 0);
  }
  const dst = zeros(k, 16);
  assert.equal(k.label(zeros(k, 4), dst, 2, 2, 1), 0);
  assert.equal(k.label(put(k, new Uint8Array(4).fill(1)), dst, 2, 2, 1), 1);
});
