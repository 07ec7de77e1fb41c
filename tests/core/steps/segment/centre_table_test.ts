import assert from "node:assert/strict";
import { mergeCentreSums } from "../../../../core/steps/segment/centre_table.ts";

Deno.test("mergeCentreSums: ids ascending, a cell split over cores gets the mean of all its pixels", () => {
  // cell 7 has pixels (0,0), (0,1) in one core and (2,3) in another: mean y 2/3, mean x 4/3
  const coreA = [7, 0, 1, 2, 40, 10, 20, 1];
  const coreB = [12, 5, 5, 1, 7, 2, 3, 1];
  const t = mergeCentreSums([coreA, coreB]);
  assert.deepEqual([...t.ids], [7, 12, 40]);
  assert.deepEqual([...t.y], [2 / 3, 5, 10]);
  assert.deepEqual([...t.x], [4 / 3, 5, 20]);
});

Deno.test("mergeCentreSums: no runs or empty runs give an empty table", () => {
  for (const runs of [[], [[], []]]) {
    const t = mergeCentreSums(runs);
    assert.equal(t.ids.length, 0);
    assert.equal(t.x.length, 0);
  }
});
