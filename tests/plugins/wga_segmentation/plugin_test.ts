/**
 * wga-segmentation through the host's worker pool on CellProfiler's ExampleHuman field (nucleus
 * = DNA d0, cytosol = cell body d2) with examples/configs/cellprofiler_wga.yml (scPortrait's own
 * WGASegmentation section): plausible counts, nucleus/cytosol pairing, agreement with the
 * Python reference (scikit-image/scipy/scikit-fmm), tiling invariance and typed errors.
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
} from "../dapi_segmentation/_segment_harness.ts";
import { tilingDifferences } from "../dapi_segmentation/_tiled_labels.ts";

const DATA = join(ROOT, "examples/data/cellprofiler_example_human/AS_09125_050116030001_D03f00");
const plugin = await startPlugin("wga_segmentation", 2);
const img = await readTiffPlanes([`${DATA}d0.tif`, `${DATA}d2.tif`]);
const config = await loadConfig(join(ROOT, "examples/configs/cellprofiler_wga.yml"));
const params = config.config.segmentation!.params as Record<string, unknown>;

Deno.test("describe names wga-segmentation", async () => {
  assert.equal(JSON.parse(await plugin.pool.describe()).id, "wga-segmentation");
});

Deno.test("ExampleHuman: plausible counts; each nucleus has the cytosol of the same label", async () => {
  const r = await segmentWhole(plugin, img, params);
  assert.deepEqual(r.masks.map((m) => m.name), ["nucleus", "cytosol"]);
  const [nuc, cyto] = r.masks;
  console.log(`ExampleHuman: ${nuc.objects.length} nuclei, ${cyto.objects.length} cytosols`);
  // the field shows a few hundred HT29 cells (CellProfiler's own pipeline finds ~300 nuclei)
  assert.ok(nuc.objects.length >= 200 && nuc.objects.length <= 350, `${nuc.objects.length}`);
  assert.deepEqual(
    nuc.objects.map((o) => `${o.label}@${o.anchorY},${o.anchorX}`).sort(),
    cyto.objects.map((o) => `${o.label}@${o.anchorY},${o.anchorX}`).sort(),
  );
  // a cytosol covers most of its nucleus and is larger than it
  const area = new Map(nuc.objects.map((o) => [o.label, o.area]));
  let inside = 0, total = 0;
  for (let i = 0; i < nuc.labels.length; i++) {
    if (nuc.labels[i] === 0) continue;
    total++;
    if (cyto.labels[i] === nuc.labels[i]) inside++;
  }
  assert.ok(inside / total > 0.9, `${inside} of ${total} nucleus pixels lie in their cytosol`);
  for (const o of cyto.objects) assert.ok(o.area > area.get(o.label)!, `cell ${o.label}`);
});

Deno.test("ExampleHuman: matches the Python reference (counts within 2 %, mean IoU >= 0.95)", async () => {
  const r = await segmentWhole(plugin, img, params);
  const ref = await referenceLabels("wga", img, params);
  for (const m of r.masks) {
    const q = matchInstances(m.labels, ref[m.name], 0.5);
    console.log(`wga ${m.name} vs reference: ${JSON.stringify(q)}`);
    assert.ok(Math.abs(q.predicted - q.truth) <= 0.02 * q.truth, `${m.name} counts`);
    assert.ok(q.meanIoU >= 0.95, `${m.name} mean IoU ${q.meanIoU}`);
  }
});

Deno.test("tiles give the whole image's nuclei, cytosols and ids, pixel for pixel", async () => {
  // This config bounds no cytosol size, and some ExampleHuman cytosols reach 75 px from their
  // anchor; with 128 px a few pixels of cells flooding deep into the halo still move, so the
  // exact check uses 256 px (see the halo rule in docs/readme/segmentation_methods.md).
  for (const [core, halo] of [[171, 256], [128, 192]]) {
    for (const d of await tilingDifferences(plugin, img, params, core, halo)) {
      assert.ok(d.cells > 200, `${d.mask}: ${d.cells} cells`);
      assert.equal(d.differing, 0, `${d.mask}, core ${core}: ${d.differing} pixels differ`);
    }
  }
});

Deno.test("one channel or max_clip <= min_clip give typed errors", async () => {
  const region = {
    originY: 0,
    originX: 0,
    imageHeight: 32,
    imageWidth: 32,
    coreY: 0,
    coreX: 0,
    coreHeight: 32,
    coreWidth: 32,
  };
  const one = { channels: 1, height: 32, width: 32, data: new Uint16Array(32 * 32) };
  let e = await errorOf(plugin.pool.segment(one, region, [], {}, { copy: true }));
  assert.equal(e.tag, "invalid-input");
  assert.match(e.message, /two channels/);
  const two = { channels: 2, height: 32, width: 32, data: new Uint16Array(2 * 32 * 32) };
  const bad = { cytosol_segmentation: { min_clip: 0.5, max_clip: 0.2, erosion: 1, dilation: 1 } };
  e = await errorOf(plugin.pool.segment(two, region, [], bad, { copy: true }));
  assert.equal(e.tag, "invalid-params");
  assert.match(e.message, /max_clip/);
});

Deno.test({
  name: "close the pool",
  fn: () => plugin.pool.close(),
  sanitizeResources: false,
  sanitizeOps: false,
});
