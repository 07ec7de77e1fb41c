/**
 * dapi-segmentation through the host's worker pool: quality on a real image (dsb2018 nuclei vs
 * its hand-made mask, with the committed config), agreement with the Python reference
 * (scikit-image/scipy/scikit-fmm as scPortrait calls them), tiling invariance of the owned
 * objects, and typed errors.
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { loadConfig } from "../../../core/config/load_config.ts";
import {
  errorOf,
  matchInstances,
  readTiffPlanes,
  referenceLabels,
  ROOT,
  segmentWhole,
  startPlugin,
} from "./_segment_harness.ts";
import { tilingDifferences } from "./_tiled_labels.ts";

const plugin = await startPlugin("dapi_segmentation", 2);
const img = await readTiffPlanes([join(ROOT, "examples/data/dsb2018_nuclei/img2d.tif")]);
const truth = await readTiffPlanes([join(ROOT, "examples/data/dsb2018_nuclei/mask2d.tif")]);
const config = await loadConfig(join(ROOT, "examples/configs/dsb2018_dapi.yml"));
const params = config.config.segmentation!.params as Record<string, unknown>;

/** F1 at IoU 0.5 measured with examples/configs/dsb2018_dapi.yml (see the README section). */
const MEASURED_F1 = 0.768;

Deno.test("describe names dapi-segmentation", async () => {
  assert.deepEqual(JSON.parse(await plugin.pool.describe()), {
    id: "dapi-segmentation",
    version: "0.1.3",
    world: "segmentation",
    wit: "scportrait:plugin@0.1.0",
  });
});

Deno.test("dsb2018: F1 at IoU 0.5 against the hand-made mask with the committed config", async () => {
  const r = await segmentWhole(plugin, img, params);
  assert.equal(r.masks.length, 1);
  assert.equal(r.masks[0].name, "nucleus");
  const m = matchInstances(r.masks[0].labels, truth.planes[0], 0.5);
  console.log(`dsb2018 dapi-segmentation: ${JSON.stringify(m)}`);
  assert.ok(m.f1 >= MEASURED_F1 - 0.02, `F1 ${m.f1.toFixed(3)} < ${MEASURED_F1} - 0.02`);
  // every object's anchor lies on its own label, area = its pixel count
  const labels = r.masks[0].labels;
  for (const o of r.masks[0].objects) {
    assert.equal(labels[o.anchorY * img.width + o.anchorX], o.label);
    assert.equal(labels.reduce((n, v) => n + (v === o.label ? 1 : 0), 0), o.area);
  }
});

Deno.test("dsb2018: matches the Python reference (counts within 2 %, mean IoU >= 0.95)", async () => {
  const r = await segmentWhole(plugin, img, params);
  const ref = await referenceLabels("dapi", img, params);
  const m = matchInstances(r.masks[0].labels, ref.nucleus, 0.5);
  console.log(`dapi vs reference: ${JSON.stringify(m)}`);
  assert.ok(Math.abs(m.predicted - m.truth) <= 0.02 * m.truth, `counts ${m.predicted}/${m.truth}`);
  assert.ok(m.meanIoU >= 0.95, `mean IoU ${m.meanIoU}`);
  assert.ok(m.matched >= 0.95 * m.truth, `matched ${m.matched} of ${m.truth}`);
});

Deno.test("tiles with a 128 px halo give the whole image's labels and ids, pixel for pixel", async () => {
  // odd core size: tile origins fall on both phases of the median_step sampling grid
  for (const core of [171, 256]) {
    for (const d of await tilingDifferences(plugin, img, params, core, 128)) {
      assert.ok(d.cells > 50, `${d.mask}: ${d.cells} cells`);
      assert.equal(d.differing, 0, `${d.mask}, core ${core}: ${d.differing} pixels differ`);
    }
  }
});

Deno.test("an all-zero image gives no cells and no error", async () => {
  const zero = { planes: [new Uint16Array(256 * 256)], height: 256, width: 256 };
  const r = await segmentWhole(plugin, zero, params);
  assert.equal(r.masks[0].objects.length, 0);
  assert.ok(r.masks[0].labels.every((v) => v === 0));
});

Deno.test("bad params, a wrong channel count or missing statistics give typed errors", async () => {
  const tile = { channels: 1, height: 64, width: 64, data: new Uint16Array(64 * 64) };
  const twoChannels = { channels: 2, height: 64, width: 64, data: new Uint16Array(2 * 64 * 64) };
  const region = {
    originY: 0,
    originX: 0,
    imageHeight: 64,
    imageWidth: 64,
    coreY: 0,
    coreX: 0,
    coreHeight: 64,
    coreWidth: 64,
  };
  const even = { nucleus_segmentation: { median_block: 40, threshold: 0.1 } };
  let e = await errorOf(plugin.pool.segment(tile, region, [], even, { copy: true }));
  assert.equal(e.tag, "invalid-params");
  assert.match(e.message, /median_block must be odd/);
  e = await errorOf(plugin.pool.segment(twoChannels, region, [], {}, { copy: true }));
  assert.equal(e.tag, "invalid-input");
  assert.match(e.message, /one channel/);
  e = await errorOf(plugin.pool.segment(tile, region, [], params, { copy: true }));
  assert.equal(e.tag, "invalid-input");
  assert.match(e.message, /global statistics/);
  // the worker stays usable
  const ok = await segmentWhole(plugin, { planes: [tile.data], height: 64, width: 64 }, params);
  assert.equal(ok.masks.length, 1);
});

Deno.test({
  name: "close the pool",
  fn: () => plugin.pool.close(),
  sanitizeResources: false,
  sanitizeOps: false,
});
