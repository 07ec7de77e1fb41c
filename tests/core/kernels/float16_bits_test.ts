import assert from "node:assert/strict";
import { toFloat16Bits } from "../../../core/kernels/float16_bits.ts";
import { runPython } from "../io/h5sc/run_python.ts";

Deno.test("toFloat16Bits equals numpy astype(float16) on random, halfway and edge values", async () => {
  // numpy rounds float64 → float16 directly (round half to even); every halfway point between two
  // neighbouring halves, and the doubles just above and below it, catch double rounding.
  const r = await runPython(`
import json, numpy as np
rng = np.random.default_rng(3)
h = np.arange(0, 0x7c00, dtype=np.uint16).view(np.float16).astype(np.float64)
mid = (h[:-1] + h[1:]) / 2
v = np.concatenate([rng.random(20000), rng.random(2000) * 1e-5, -rng.random(2000) * 7e4, mid,
    np.nextafter(mid, 0), np.nextafter(mid, 1), -mid, [0.0, 65504.0, 65520.0, 1e6, 2.0**-25, 2.0**-26]])
print(json.dumps({"v": v.tolist(), "bits": v.astype(np.float16).view(np.uint16).tolist()}))
`) as { v: number[]; bits: number[] };
  let bad = 0;
  r.v.forEach((v, i) => {
    if (toFloat16Bits(v) !== r.bits[i]) bad++;
  });
  assert.equal(bad, 0, `${bad} of ${r.v.length} values differ from numpy`);
  assert.equal(toFloat16Bits(NaN) & 0x7c00, 0x7c00);
  // the extraction kernel stores through a Float16Array view instead (V8's double → half
  // conversion); it must round the same, also once the store loop is optimised
  const halves = new Float16Array(r.v.length);
  const bits = new Uint16Array(halves.buffer);
  const src = Float64Array.from(r.v);
  for (let rep = 0; rep < 200; rep++) {
    for (let i = 0; i < src.length; i++) halves[i] = src[i];
    if (rep % 50 === 0) {
      const wrong = bits.findIndex((b, i) => b !== r.bits[i]);
      assert.equal(wrong, -1, `Float16Array stores ${r.v[wrong]} as ${bits[wrong]}, numpy differs`);
    }
  }
  const wrong = bits.findIndex((b, i) => b !== r.bits[i]);
  assert.equal(wrong, -1, `Float16Array stores ${r.v[wrong]} as ${bits[wrong]}, numpy differs`);
});
