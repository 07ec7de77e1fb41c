/**
 * The committed test vectors of dapi-segmentation and wga-segmentation (written from our output
 * by plugins/dapi_segmentation/test/make_vectors.ts) checked against the Python reference
 * (bench/reference/segmentation_reference.py with scikit-fmm, as scPortrait calls it) on the same
 * crop and params: the vector's input is the crop, and its expected labels equal the reference's
 * up to renumbering — nuclei pixel for pixel; cytosols differ in at most 1 % of their pixels
 * (our fast marching is not scikit-fmm's code, see D31).
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import {
  cropPlanes,
  VECTOR_PLUGINS,
  vectorParams,
} from "../../../../plugins/dapi_segmentation/test/make_vectors.ts";
import { readVector } from "../../_vectors.ts";
import { referenceLabels, ROOT } from "../_segment_harness.ts";

/** Pixels where `a` and `b` disagree after mapping each label of `a` to its first partner. */
function disagreeing(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const map = new Map<number, number>();
  const back = new Map<number, number>();
  let bad = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i], y = b[i];
    if ((x === 0) !== (y === 0)) {
      bad++;
      continue;
    }
    if (x === 0) continue;
    if (!map.has(x) && !back.has(y)) {
      map.set(x, y);
      back.set(y, x);
    }
    if (map.get(x) !== y) bad++;
  }
  return bad;
}

const distinct = (a: ArrayLike<number>) => new Set(Array.from(a).filter((v) => v !== 0)).size;

for (const { folder, files } of VECTOR_PLUGINS) {
  Deno.test(`${folder}: the test vector's expected labels agree with the Python reference`, async () => {
    const dir = join(ROOT, "plugins", folder, "test");
    const input = readVector(join(dir, "input.json")) as {
      args: [{ data: Uint16Array; height: number; width: number }];
    };
    const expected = readVector(join(dir, "expected.json")) as {
      masks: { name: string; labels: number[] }[];
    };
    const img = await cropPlanes(files);
    const n = img.height * img.width;
    assert.deepEqual(
      Array.from(input.args[0].data),
      img.planes.flatMap((p) => Array.from(p)),
      "input.json is not the ExampleHuman crop",
    );
    const method = folder === "wga_segmentation" ? "wga" : "dapi";
    const ref = await referenceLabels(method, img, vectorParams(folder));
    for (const m of expected.masks) {
      const ours = m.labels;
      assert.equal(ours.length, n);
      assert.ok(distinct(ours) >= 4, `${m.name}: too few cells for a meaningful vector`);
      assert.equal(distinct(ours), distinct(ref[m.name]), `${m.name}: cell count`);
      const bad = disagreeing(ours, ref[m.name]);
      const area = Array.from(ours).filter((v) => v !== 0).length;
      const allowed = m.name === "nucleus" ? 0 : Math.floor(0.01 * area);
      assert.ok(bad <= allowed, `${m.name}: ${bad} pixels disagree (allowed ${allowed})`);
    }
  });
}
