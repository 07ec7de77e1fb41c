import assert from "node:assert/strict";
import { asType, loadKernels, put, python, rng, take, zeros } from "../_harness.ts";
import { GOLDEN_LABELS } from "./filters_golden.ts";

Deno.test("centroids of the upstream golden case", async () => {
  const k = await loadKernels();
  const [c, sy, sx] = [zeros(k, 12), zeros(k, 24), zeros(k, 24)];
  k.centroidSums(put(k, GOLDEN_LABELS), 3, 3, 2, c, sy, sx);
  const counts = take(k, Uint32Array, c, 3);
  const y = take(k, Float64Array, sy, 3), x = take(k, Float64Array, sx, 3);
  assert.deepEqual(Array.from(counts).slice(1), [3, 2]);
  assert.equal(y[1] / counts[1], 1 / 3);
  assert.equal(x[1] / counts[1], 5 / 3);
  assert.deepEqual([y[2] / counts[2], x[2] / counts[2]], [1.5, 1.5]);
});

Deno.test("centroids equal a float64 numpy computation on random labels", async () => {
  const k = await loadKernels();
  const [h, w, m] = [70, 90, 40];
  const r = rng(4);
  const labels = new Uint32Array(h * w);
  for (let i = 0; i < labels.length; i++) labels[i] = r() < 0.3 ? 0 : 1 + Math.floor(r() * m);
  const res = await python(
    `l = inp('l', np.uint32, (${h}, ${w}))\nys, xs = np.nonzero(l)\nv = l[ys, xs]\n` +
      `sy = np.zeros(${m + 1}); sx = np.zeros(${m + 1})\n` +
      `for a, b, c in zip(ys, xs, v):\n  sy[c] += a; sx[c] += b\n` +
      `cnt = np.bincount(v, minlength=${
        m + 1
      })\nout('y', sy / np.maximum(cnt, 1)); out('x', sx / np.maximum(cnt, 1))`,
    { l: labels },
    ["y", "x"],
  );
  const [c, sy, sx] = [zeros(k, 4 * (m + 1)), zeros(k, 8 * (m + 1)), zeros(k, 8 * (m + 1))];
  k.centroidSums(put(k, labels), h, w, m, c, sy, sx);
  const counts = take(k, Uint32Array, c, m + 1);
  const y = take(k, Float64Array, sy, m + 1), x = take(k, Float64Array, sx, m + 1);
  const ey = asType(Float64Array, res.y), ex = asType(Float64Array, res.x);
  for (let i = 1; i <= m; i++) {
    assert.equal(y[i] / counts[i], ey[i]);
    assert.equal(x[i] / counts[i], ex[i]);
  }
});
