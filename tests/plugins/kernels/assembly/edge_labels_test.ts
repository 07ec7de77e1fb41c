import assert from "node:assert/strict";
import { loadKernels, put, take } from "../_harness.ts";

Deno.test("remove_edge_labels on the upstream shift_labels case keeps only the centre", async () => {
  const k = await loadKernels();
  const p = put(k, new Uint32Array([11, 0, 0, 0, 12, 0, 0, 0, 13]));
  k.edgeRemove(p, 3, 3);
  assert.deepEqual(Array.from(take(k, Uint32Array, p, 9)), [0, 0, 0, 0, 12, 0, 0, 0, 0]);
});

Deno.test("remove_edge_labels removes a label everywhere when it touches any border", async () => {
  const k = await loadKernels();
  const labels = new Uint32Array([
    0,
    0,
    0,
    0,
    0,
    0,
    5,
    5,
    7,
    0,
    0,
    5,
    6,
    7,
    7,
    0,
    0,
    0,
    0,
    0,
  ]);
  const p = put(k, labels);
  k.edgeRemove(p, 4, 5);
  const got = take(k, Uint32Array, p, 20);
  assert.deepEqual(Array.from(got).filter((v) => v === 7), []);
  assert.equal(Array.from(got).filter((v) => v === 5).length, 3);
  // empty input stays empty
  const e = put(k, new Uint32Array(6));
  k.edgeRemove(e, 2, 3);
  assert.ok(take(k, Uint32Array, e, 6).every((v) => v === 0));
});
