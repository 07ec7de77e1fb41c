import assert from "node:assert/strict";
import { boundingBox } from "../../../core/kernels/fill_holes.ts";
import { gaussianBlurMask, gaussianKernel } from "../../../core/kernels/gaussian_blur.ts";
import { runPython } from "../io/h5sc/run_python.ts";

Deno.test("gaussianBlurMask equals skimage.filters.gaussian(sigma=1, preserve_range=True)", async () => {
  const S = 20;
  const r = await runPython(`
import json, numpy as np
from skimage.filters import gaussian
rng = np.random.default_rng(1)
cases = []
for i in range(8):
    m = np.zeros((${S}, ${S}), bool)
    y, x = rng.integers(0, ${S}, 2)
    m[max(0, y - 3):y + 4, max(0, x - 5):x + 2] = True   # blobs, some at the edges
    if i == 0: m[:] = False
    if i == 1: m[:] = True
    cases.append([m.astype(int).ravel().tolist(), gaussian(m, sigma=1, preserve_range=True).ravel().tolist()])
print(json.dumps(cases))`) as number[][][];
  const kernel = gaussianKernel(1, 4);
  assert.equal(kernel.length, 9);
  const out = new Float64Array(S * S);
  const tmp = new Float64Array(S * S);
  for (const [input, expected] of r) {
    const mask = Uint8Array.from(input);
    gaussianBlurMask(mask, S, boundingBox(mask, S, S), kernel, out, tmp);
    for (let i = 0; i < out.length; i++) {
      assert.ok(Math.abs(out[i] - expected[i]) < 1e-12, `pixel ${i}: ${out[i]} vs ${expected[i]}`);
    }
  }
});
