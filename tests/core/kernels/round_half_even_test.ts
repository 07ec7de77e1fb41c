import assert from "node:assert/strict";
import { roundHalfEven } from "../../../core/kernels/round_half_even.ts";

Deno.test("roundHalfEven matches np.round", () => {
  // np.round([0.5, 1.5, 2.5, -0.5, -1.5, 2.4999, 2.5001, 7]) == [0, 2, 2, -0, -2, 2, 3, 7]
  const got = [0.5, 1.5, 2.5, -0.5, -1.5, 2.4999, 2.5001, 7].map(roundHalfEven);
  assert.deepEqual(got.map((v) => v + 0), [0, 2, 2, 0, -2, 2, 3, 7]);
});
