import assert from "node:assert/strict";
import { loadKernels, put, take } from "../_harness.ts";

Deno.test("nucleus–cytosol matching: coverage, threshold, unmatched and multinucleated", async () => {
  const k = await loadKernels();
  // nuclei: 1 fully inside cytosol 10; 2 and 3 both inside cytosol 20 (multinucleated);
  // 4 partly on background (uncovered); cytosol 30 has no nucleus; 5 split 50/50 over 40/41.
  const nuc = new Uint32Array([
    1,
    1,
    0,
    2,
    0,
    3,
    0,
    4,
    4,
    0,
    5,
    5,
  ]);
  const cyt = new Uint32Array([
    10,
    10,
    10,
    20,
    20,
    20,
    30,
    40,
    0,
    30,
    40,
    41,
  ]);
  const pn = put(k, nuc), pc = put(k, cyt);
  const kept = k.match(pn, pc, nuc.length, 0.95);
  assert.equal(kept, 1);
  assert.deepEqual(Array.from(take(k, Uint32Array, pn, 12)), [1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(Array.from(take(k, Uint32Array, pc, 12)), [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
});

Deno.test("nucleus–cytosol matching: threshold 0.5 takes the first id in sorted order", async () => {
  const k = await loadKernels();
  const nuc = new Uint32Array([5, 5, 0, 0]);
  const cyt = new Uint32Array([41, 40, 40, 41]);
  const pn = put(k, nuc), pc = put(k, cyt);
  assert.equal(k.match(pn, pc, 4, 0.5), 1);
  // 40 is matched (first sorted id with proportion >= 0.5) and relabelled 5; 41 is discarded
  assert.deepEqual(Array.from(take(k, Uint32Array, pc, 4)), [0, 5, 5, 0]);
  assert.deepEqual(Array.from(take(k, Uint32Array, pn, 4)), [5, 5, 0, 0]);
});
