import assert from "node:assert/strict";
import {
  normalizeValue,
  quantileSorted,
  quantileWithZeros,
  quantileWithZerosSelect,
} from "../../../core/kernels/quantile.ts";
import { runPython } from "../io/h5sc/run_python.ts";

Deno.test("quantiles equal np.quantile (linear) bit for bit", async () => {
  const r = await runPython(`
import json, numpy as np
rng = np.random.default_rng(5)
out = []
for n in [1, 2, 7, 100, 16384]:
    a = rng.random(n) * 1000
    a[: n // 2] = 0
    qs = [0.0, 0.001, 0.25, 0.5, 0.999, 1.0]
    out.append([a.tolist(), qs, [float(np.quantile(a, q)) for q in qs]])
print(json.dumps(out))`) as [number[], number[], number[]][];
  for (const [values, qs, expected] of r) {
    const sorted = Float64Array.from(values).sort();
    const positives = sorted.filter((v) => v > 0);
    qs.forEach((q, i) => {
      assert.equal(quantileSorted(sorted, q), expected[i]);
      assert.equal(quantileWithZeros(positives, sorted.length - positives.length, q), expected[i]);
      // selection on an unsorted copy (reordered in place) gives the same value
      const shuffled = Float64Array.from(positives).reverse();
      const zeros = sorted.length - positives.length;
      assert.equal(quantileWithZerosSelect(shuffled, shuffled.length, zeros, q), expected[i]);
    });
  }
});

Deno.test("normalizeValue clips and handles a zero range like scPortrait", () => {
  assert.equal(normalizeValue(5, 0, 10), 0.5);
  assert.equal(normalizeValue(20, 0, 10), 1);
  assert.equal(normalizeValue(0, 3, 3), 0); // IPR == 0: v - lo, clipped
  assert.equal(normalizeValue(4, 3, 3), 1);
});
