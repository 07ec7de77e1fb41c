import assert from "node:assert/strict";
import { boundingBox, fillHoles } from "../../../core/kernels/fill_holes.ts";
import { runPython } from "../io/h5sc/run_python.ts";

Deno.test("fillHoles equals scipy.ndimage.binary_fill_holes on random blobs", async () => {
  const r = await runPython(`
import json, numpy as np
from scipy.ndimage import binary_fill_holes
rng = np.random.default_rng(7)
cases = []
for i in range(20):
    m = rng.random((24, 24)) < (0.3 + 0.03 * i)
    if i % 5 == 0: m[:, 0] = True  # touches the edge
    cases.append([m.astype(int).ravel().tolist(), binary_fill_holes(m).astype(int).ravel().tolist()])
print(json.dumps(cases))`) as number[][][];
  for (const [input, expected] of r) {
    const mask = Uint8Array.from(input);
    fillHoles(mask, 24, boundingBox(mask, 24, 24));
    assert.deepEqual(Array.from(mask), expected);
  }
});

Deno.test("fillHoles fills a ring and leaves an open C shape", () => {
  const ring = Uint8Array.from([
    0,
    0,
    0,
    0,
    0,
    0,
    1,
    1,
    1,
    0,
    0,
    1,
    0,
    1,
    0,
    0,
    1,
    1,
    1,
    0,
    0,
    0,
    0,
    0,
    0,
  ]);
  fillHoles(ring, 5, boundingBox(ring, 5, 5));
  assert.equal(ring[12], 1);
  const c = Uint8Array.from([
    0,
    0,
    0,
    0,
    0,
    0,
    1,
    1,
    1,
    0,
    0,
    1,
    0,
    0,
    0,
    0,
    1,
    1,
    1,
    0,
    0,
    0,
    0,
    0,
    0,
  ]);
  fillHoles(c, 5, boundingBox(c, 5, 5));
  assert.equal(c[12], 0);
});
