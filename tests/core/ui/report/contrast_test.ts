/**
 * Display contrast: percentile limits equal numpy.percentile(0.1, 99.9); the 8-bit stretch
 * clips and rounds; the composite interleaves channels as R, G, B.
 * @module
 */
import assert from "node:assert/strict";
import {
  composeRgb,
  percentileLimits,
  stretchToUint8,
} from "../../../../core/ui/report/contrast.ts";
import { runPython } from "../../io/h5sc/run_python.ts";

Deno.test("percentileLimits equals numpy.percentile at 0.1 and 99.9", async () => {
  const data = Uint16Array.from({ length: 5003 }, (_, i) => (i * 2654435761) % 65521);
  const got = percentileLimits(data);
  const np = await runPython(
    `
import sys, json, numpy as np
v = np.array(json.loads(sys.argv[1]), dtype=np.uint16)
print(json.dumps(np.percentile(v, [0.1, 99.9]).tolist()))
`,
    [JSON.stringify(Array.from(data))],
  ) as number[];
  assert.ok(Math.abs(got.lo - np[0]) < 1e-9 && Math.abs(got.hi - np[1]) < 1e-9, `${got.lo} ${np}`);
});

Deno.test("stretchToUint8 clips and rounds; composeRgb interleaves", () => {
  assert.deepEqual(
    Array.from(stretchToUint8([0, 100, 150, 200, 300], { lo: 100, hi: 200 })),
    [0, 0, 128, 255, 255],
  );
  assert.deepEqual(Array.from(stretchToUint8([5, 6], { lo: 5, hi: 5 })), [0, 0]);
  const rgb = composeRgb([Uint8Array.of(1, 2), Uint8Array.of(3, 4)], 2);
  assert.deepEqual(Array.from(rgb), [1, 3, 0, 2, 4, 0]);
  assert.deepEqual(Array.from(composeRgb([Uint8Array.of(9)], 1)), [9, 9, 9]);
});
