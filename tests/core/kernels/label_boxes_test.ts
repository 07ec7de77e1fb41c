import assert from "node:assert/strict";
import { labelBoxes } from "../../../core/kernels/label_boxes.ts";
import { runPython } from "../io/h5sc/run_python.ts";

Deno.test("labelBoxes equals scipy.ndimage.find_objects; wide ids are flagged", async () => {
  const H = 37, W = 53;
  const r = await runPython(`
import json, numpy as np
from scipy import ndimage
rng = np.random.default_rng(4)
lab = np.zeros((${H}, ${W}), np.uint32)
for i in range(1, 30):
    y, x = rng.integers(0, ${H}), rng.integers(0, ${W})
    lab[y:y + rng.integers(1, 9), x:x + rng.integers(1, 12)] = i
lab[rng.random((${H}, ${W})) < 0.02] = 31          # scattered single pixels of one id
boxes = {str(i + 1): [s[0].start, s[0].stop, s[1].start, s[1].stop]
         for i, s in enumerate(ndimage.find_objects(lab)) if s is not None}
print(json.dumps({"labels": lab.ravel().tolist(), "boxes": boxes}))`) as {
    labels: number[];
    boxes: Record<string, number[]>;
  };
  const tile = BigUint64Array.from(r.labels, (v) => BigInt(v));
  const got = labelBoxes(tile, W, H);
  assert.equal(got.wide, false);
  assert.deepEqual(
    Object.fromEntries([...got.boxes].map(([id, b]) => [String(id), Array.from(b)])),
    r.boxes,
  );
  // the same tile as uint32 ids
  const narrow = labelBoxes(Uint32Array.from(r.labels), W, H);
  assert.equal(narrow.wide, false);
  assert.deepEqual(
    Object.fromEntries([...narrow.boxes].map(([id, b]) => [String(id), Array.from(b)])),
    r.boxes,
  );
  tile[5] = 1n << 40n;
  assert.equal(labelBoxes(tile, W, H).wide, true);
});
