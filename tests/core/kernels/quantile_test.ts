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

Deno.test("upper quantiles by the top-values pass equal a full sort, ties included", () => {
  let seed = 3;
  const rnd = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  for (let trial = 0; trial < 200; trial++) {
    const count = 1 + Math.floor(rnd() * 300);
    const zeros = Math.floor(rnd() * 3000);
    const values = Float64Array.from({ length: count }, () => 1 + Math.floor(rnd() * 20));
    const sorted = Float64Array.from(values).sort();
    for (const q of [0.9, 0.99, 0.999, 1]) {
      const got = quantileWithZerosSelect(Float64Array.from(values), count, zeros, q);
      assert.equal(
        got,
        quantileWithZeros(sorted, zeros, q),
        `count ${count} zeros ${zeros} q ${q}`,
      );
    }
  }
});
