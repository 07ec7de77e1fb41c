import assert from "node:assert/strict";
import { loadKernels, put, take, zeros } from "../_harness.ts";
import { GOLDEN_LABELS } from "./filters_golden.ts";

Deno.test("contact ratios of the upstream golden case are [1.0, 1.0, 0.6]", async () => {
  const k = await loadKernels();
  const out = zeros(k, 24);
  k.ratios(put(k, GOLDEN_LABELS), 3, 3, 2, out);
  assert.deepEqual(Array.from(take(k, Float64Array, out, 3)), [1.0, 1.0, 0.6]);
});

Deno.test("contact_filter(0.7) removes label 2 as upstream", async () => {
  const k = await loadKernels();
  const p = put(k, GOLDEN_LABELS);
  assert.equal(k.contact(p, 3, 3, 0.7), 1);
  assert.deepEqual(Array.from(take(k, Uint32Array, p, 9)), [0, 1, 1, 0, 0, 1, 0, 0, 0]);
});
