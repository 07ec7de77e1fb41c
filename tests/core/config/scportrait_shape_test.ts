import assert from "node:assert/strict";
import { loadConfig, parseConfig } from "../../../core/config/load_config.ts";
import { tileSizeFromShardSize } from "../../../core/config/scportrait_shape.ts";
import { isScportraitError, type ScportraitError } from "../../../core/errors.ts";

const EXAMPLE = new URL("../../../examples/configs/scportrait_wga.yml", import.meta.url).pathname;

function problems(yaml: string): string[] {
  try {
    parseConfig(yaml, "config.yml");
  } catch (error) {
    assert.ok(isScportraitError(error, "CONFIG_INVALID"), String(error));
    return ((error as ScportraitError).cause as AggregateError).errors.map((e) => e.message);
  }
  assert.fail("expected CONFIG_INVALID");
}

Deno.test("scportrait shape: the example config.yml maps onto our shape (spec §1.7)", async () => {
  const loaded = await loadConfig(EXAMPLE);
  assert.equal(loaded.shape, "scportrait");
  const { segmentation: seg, extraction: ex, featurization: fe, selection: se } = loaded.config;
  assert.equal(loaded.config.name, "WGA example project");
  assert.equal(seg?.method, "wga-segmentation@^0.1.0");
  assert.equal(seg?.params.median_filter_size, 4);
  assert.deepEqual(seg?.params.nucleus_segmentation, {
    lower_quantile_normalization: 0.01,
    upper_quantile_normalization: 0.99,
    median_block: 41,
    median_step: 4,
    threshold: 0.2,
    min_distance: 8,
    peak_footprint: 7,
    speckle_kernel: 9,
    dilation: 0,
    min_size: 200,
    max_size: 1000,
  });
  assert.equal(seg?.params.filter_masks_size, true);
  assert.equal("cache" in (seg?.params ?? {}), false, "host-only keys are not plugin params");
  // Class defaults nucleus [0], cytosol [1] (§3.2).
  assert.deepEqual(seg?.nucleus_channels, [0]);
  assert.deepEqual(seg?.cytosol_channels, [1]);
  assert.equal(ex?.workers, 80, "threads → workers");
  assert.equal(ex?.image_size, 128);
  assert.deepEqual(ex?.normalization_range, [0.01, 0.99]);
  assert.equal(ex?.compression, "lzf", "compression default True means lzf (§4.4)");
  assert.equal(ex?.max_batch_size, 1000);
  assert.equal(fe?.method, "cell-featurizer@^0.1.0");
  assert.equal(fe?.batch_size, 900);
  assert.equal(se?.method, "lmd-selection@^0.1.0");
  assert.equal(se?.segmentation_channel, "seg_all_nucleus");
  assert.equal(se?.workers, 20);
  // py-lmd keys pass through; absent ones get py-lmd's defaults (§6.5).
  assert.equal(se?.params.shape_dilation, 16);
  assert.equal(se?.params.rdp_epsilon, 0.6);
  assert.equal(se?.params.convolution_smoothing, 15, "the legacy key does not set it");
  assert.equal(se?.params.binary_smoothing, 3);
  assert.equal(se?.params.distance_heuristic, 300);
  assert.deepEqual(se?.params.orientation_transform, [[0, -1], [1, 0]]);
  assert.equal("smoothing_filter_size" in (se?.params ?? {}), false);
  assert.ok(
    loaded.warnings.some((w) => /LMDSelection\.smoothing_filter_size .*py-lmd ignores/.test(w)),
    loaded.warnings.join("\n"),
  );
  for (const p of ["selection.params.convolution_smoothing", "extraction.compression"]) {
    assert.ok(loaded.defaultsApplied.includes(p), p);
  }
  for (const p of ["selection.params.rdp_epsilon", "extraction.image_size"]) {
    assert.ok(!loaded.defaultsApplied.includes(p), p);
  }
  assert.equal(loaded.origins["extraction.workers"], "HDF5CellExtraction.threads");
  assert.equal(
    loaded.origins["segmentation.params.nucleus_segmentation.median_block"],
    "WGASegmentation.nucleus_segmentation.median_block",
  );
});

Deno.test("scportrait shape: sharded segmentation → tile size, halo, workers, channel roles", () => {
  const { config, origins, warnings } = parseConfig(
    [
      "ShardedDAPISegmentation:",
      "  shard_size: 2000000",
      "  overlap_px: 100",
      "  threads: 2",
      "  nGPUs: 1",
      "  combine_nucleus_channels: [0, 2]",
      "  segmentation_channel_nuclei: [0]",
      "  nucleus_segmentation:",
      "    min_distance: 8",
      "    peak_footprint: 7",
      "    speckle_kernel: 9",
      "    dilation: 0",
    ].join("\n"),
    "config.yml",
  );
  const seg = config.segmentation!;
  assert.equal(seg.method, "dapi-segmentation@^0.1.0");
  // floor(sqrt(2e6)) = 1414 → down to a multiple of 256 = 1280.
  assert.equal(seg.tile_size, 1280);
  assert.equal(origins["segmentation.tile_size"], "ShardedDAPISegmentation.shard_size");
  assert.equal(seg.min_halo, 100);
  assert.equal(seg.workers, 2);
  assert.deepEqual(seg.nucleus_channels, [0, 2], "combine_* wins over segmentation_channel_*");
  assert.ok(warnings.some((w) => /nGPUs is ignored/.test(w)));
  assert.equal(tileSizeFromShardSize(4_000_000), 1792);
  assert.equal(tileSizeFromShardSize(10_000), 256, "minimum 256");
  assert.equal(tileSizeFromShardSize(4096 * 4096), 4096);
});

Deno.test("scportrait shape: sections that scPortrait requires fail here too", () => {
  const missing = problems("ShardedWGASegmentation:\n  nucleus_segmentation: {}\n");
  for (const key of ["shard_size", "overlap_px", "threads", "median_filter_size"]) {
    assert.ok(missing.some((m) => m.includes(`ShardedWGASegmentation.${key}: `)), key);
  }
  assert.ok(missing.some((m) => /nucleus_segmentation\.min_distance: .*required/.test(m)));
  const ex = problems("HDF5CellExtraction:\n  threads: 4\n  image_size: 0\n  compression: zstd\n");
  assert.ok(ex.some((m) => /HDF5CellExtraction\.image_size: expected an integer >= 2/.test(m)));
  assert.ok(ex.some((m) => /HDF5CellExtraction\.compression: expected one of true, false/.test(m)));
  const q = problems(
    "HDF5CellExtraction:\n  threads: 4\n  image_size: 64\n" +
      "  normalization_range: [0.01, 1.5]\n",
  );
  assert.ok(
    q.some((m) => /normalization_range\[1\]: expected a number >= 0 and <= 1, found 1\.5/.test(m)),
    q.join("\n"),
  );
});

Deno.test("scportrait shape: a typo in a key or a section name gets a suggestion", () => {
  const p = problems([
    "name: typo",
    "WGASegmentation:",
    "  median_filter_sise: 4",
    "CellFeaturizr:",
    "  batch_size: 900",
  ].join("\n"));
  assert.ok(
    p.some((m) =>
      /config\.yml:3: WGASegmentation\.median_filter_sise: .*did you mean "median_filter_size"\?/
        .test(m)
    ),
    p.join("\n"),
  );
  assert.ok(
    p.some((m) => /config\.yml:4: CellFeaturizr: .*did you mean "CellFeaturizer"\?/.test(m)),
  );
});

Deno.test("scportrait shape: methods not built in map to their id with a warning", () => {
  const { config, warnings } = parseConfig(
    [
      "ShardedCytosolSegmentationCellpose:",
      "  shard_size: 2000000",
      "  overlap_px: 100",
      "  threads: 2",
      "  nucleus_segmentation: {model: nuclei}",
      "  cytosol_segmentation: {model: cyto2}",
      "MLClusterClassifier:",
      "  batch_size: 900",
      "  dataloader_worker_number: 10",
      "  network: autophagy_classifier",
      "  label: Autophagy_15h_classifier2_1",
      "  channel_selection: 4",
      "CellFeaturizer:",
      "  batch_size: 100",
      "  dataloader_worker_number: 0",
    ].join("\n"),
    "config.yml",
  );
  assert.equal(config.segmentation?.method, "cytosol-segmentation-cellpose@^0.1.0");
  // Cellpose model defaults (§3.2) and mask matching (§3.1) go to the plugin.
  assert.deepEqual(config.segmentation?.params.nucleus_segmentation, {
    model: "nuclei",
    diameter: null,
    resample: true,
    flow_threshold: 0.4,
    cellprob_threshold: 0,
    normalize: true,
    rescale: null,
  });
  assert.equal(config.segmentation?.params.filtering_threshold_mask_matching, 0.95);
  assert.equal(config.featurization?.method, "ml-cluster-classifier@^0.1.0");
  assert.equal(config.featurization?.label, "Autophagy_15h_classifier2_1");
  assert.equal(config.featurization?.params.network, "autophagy_classifier");
  assert.deepEqual(config.featurization?.params.encoders, ["forward"]);
  assert.ok(
    warnings.some((w) => /cytosol-segmentation-cellpose@\^0\.1\.0, which is not built in/.test(w)),
  );
  assert.ok(warnings.some((w) => /ml-cluster-classifier@\^0\.1\.0, which is not built in/.test(w)));
  assert.ok(
    warnings.some((w) =>
      /CellFeaturizer is ignored: MLClusterClassifier already configures/.test(w)
    ),
  );
});

Deno.test("scportrait shape: mixing both shapes is refused", () => {
  assert.throws(
    () => parseConfig("WGASegmentation: {}\nextraction: {image_size: 64}\n", "config.yml"),
    (e) =>
      isScportraitError(e, "CONFIG_INVALID") && /mixes scPortrait class sections/.test(e.message),
  );
});
