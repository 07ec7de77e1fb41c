/**
 * End to end through the CLI (`scportrait init` → `load` → `segment`, each its own process) with
 * scPortrait-shape configs on a real image (CellProfiler's ExampleHuman: d0 DNA, d1 PH3, d2 cell
 * body; parameters tuned for it in `examples/configs/cellprofiler_wga.yml`):
 * - `ShardedWGASegmentation` with `shard_size` (→ 256 px tiles), `overlap_px` (→ 128 px halo),
 *   `threads` (→ 2 workers), `segmentation_channel_nuclei: [0]` and
 *   `combine_cytosol_channels: [1, 2]`: plausible counts, every nucleus paired with its cytosol,
 *   and masks bit-identical to a run whose cytosol channel is numpy's `np.maximum(d1, d2)`
 *   (the max projection scPortrait computes) and `segmentation_channel_cytosol: 1`, same tiles.
 * - `DAPISegmentation` with `segmentation_channel_nuclei: 0` (an int): nuclei only.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { Project } from "../../core/project/project.ts";
import { buildPlugin } from "../../plugins/toolchain/build_plugin.ts";
import { readMask } from "../core/steps/segment/segment_fixture.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const CLI = join(ROOT, "cli.ts");
const DATA = join(ROOT, "examples/data/cellprofiler_example_human/AS_09125_050116030001_D03f00");
const TIFS = [0, 1, 2].map((c) => `${DATA}d${c}.tif`);

/** ExampleHuman's tuned nucleus/cytosol keys (from examples/configs/cellprofiler_wga.yml). */
const NUCLEUS = `    median_block: 51
    median_step: 2
    threshold: 0.05
    min_distance: 4
    peak_footprint: 3
    speckle_kernel: 2
    dilation: 0`;
const COMMON = `  lower_quantile_normalization: 0.001
  upper_quantile_normalization: 0.999
  median_filter_size: 1
  nucleus_segmentation:
${NUCLEUS}`;
const CYTOSOL = `  cytosol_segmentation:
    threshold: 2600
    erosion: 1
    dilation: 3
    min_clip: 0
    max_clip: 0.2`;

async function cli(...args: string[]): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  assert.equal(out.code, 0, `scportrait ${args[0]}: ${new TextDecoder().decode(out.stderr)}`);
  return text;
}

async function python(code: string, ...args: string[]): Promise<void> {
  const out = await new Deno.Command("/usr/bin/python3", {
    args: ["-c", code, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
}

interface SegmentJson {
  counts: Record<string, number>;
  tiles: number;
  geometry: { tileSize: number; halo: number; chunk: number };
}

/** init + load + segment --json with the plugin built from `plugins/<folder>`. */
async function segmentWith(
  dir: string,
  configText: string,
  tifs: string[],
  folder: string,
): Promise<{ project: Project; result: SegmentJson }> {
  const built = await buildPlugin(join(ROOT, "plugins", folder), ROOT);
  await Deno.writeTextFile(`${dir}.yml`, configText);
  await cli("init", dir, "--config", `${dir}.yml`);
  await cli("load", dir, "--tif", ...tifs, "--quiet");
  const out = await cli(
    "segment",
    dir,
    "--plugin",
    built.componentPath,
    "--manifest",
    join(ROOT, "plugins", folder, "manifest.yaml"),
    "--json",
  );
  const lines = out.trim().split("\n");
  return { project: await Project.open(dir), result: JSON.parse(lines[lines.length - 1]) };
}

function sameMask(a: BigUint64Array, b: BigUint64Array, what: string): void {
  let diff = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) diff++;
  assert.equal(a.length, b.length, `${what}: sizes`);
  assert.equal(diff, 0, `${what}: ${diff} pixels differ`);
}

Deno.test({
  name: "e2e: ShardedWGASegmentation (shard_size, overlap_px, combine_cytosol_channels) via CLI",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "scp_config_wga_" });
    try {
      const sharded = await segmentWith(
        join(dir, "sharded"),
        `ShardedWGASegmentation:
  shard_size: 65536
  overlap_px: 128
  threads: 2
  segmentation_channel_nuclei: [0]
  combine_cytosol_channels: [1, 2]
${COMMON}
${CYTOSOL}
`,
        TIFS,
        "wga_segmentation",
      );
      const { counts, geometry, tiles } = sharded.result;
      assert.deepEqual(geometry, { tileSize: 256, halo: 128, chunk: 256 });
      assert.equal(tiles, 4);
      // the field shows a few hundred HT29 cells (CellProfiler's own pipeline finds ~300 nuclei)
      assert.ok(counts.nucleus >= 200 && counts.nucleus <= 350, `${counts.nucleus} nuclei`);
      assert.equal(counts.cytosol, counts.nucleus);
      const resolved = JSON.parse(
        await Deno.readTextFile(join(dir, "sharded", "config.resolved.json")),
      );
      const seg = resolved.config?.segmentation ?? resolved.segmentation;
      assert.deepEqual(seg.nucleus_channels, [0]);
      assert.deepEqual(seg.cytosol_channels, [1, 2]);
      assert.equal(seg.workers, 2);
      const nucleus = await readMask(sharded.project, "seg_all_nucleus");
      const cytosol = await readMask(sharded.project, "seg_all_cytosol");
      const nucleusIds = new Set(nucleus), cytosolIds = new Set(cytosol);
      assert.deepEqual([...nucleusIds].sort(), [...cytosolIds].sort(), "paired ids");

      // The same cells from numpy's max projection as an explicit cytosol channel.
      const mip = join(dir, "mip.tif");
      await python(
        `import sys, numpy as np, tifffile
a, b = (tifffile.imread(p) for p in sys.argv[1:3])
tifffile.imwrite(sys.argv[3], np.maximum(a, b))`,
        TIFS[1],
        TIFS[2],
        mip,
      );
      const explicit = await segmentWith(
        join(dir, "explicit"),
        `ShardedWGASegmentation:
  shard_size: 65536
  overlap_px: 128
  threads: 2
  segmentation_channel_nuclei: 0
  segmentation_channel_cytosol: 1
${COMMON}
${CYTOSOL}
`,
        [TIFS[0], mip],
        "wga_segmentation",
      );
      assert.deepEqual(explicit.result.geometry, geometry, "same tiles");
      const project = await Project.open(join(dir, "explicit"));
      sameMask(await readMask(project, "seg_all_nucleus"), nucleus, "nucleus vs np.maximum");
      sameMask(await readMask(project, "seg_all_cytosol"), cytosol, "cytosol vs np.maximum");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "e2e: DAPISegmentation (segmentation_channel_nuclei as an int) via CLI: nuclei only",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "scp_config_dapi_" });
    try {
      const { project, result } = await segmentWith(
        join(dir, "dapi"),
        `DAPISegmentation:
  segmentation_channel_nuclei: 0
${COMMON}
`,
        TIFS,
        "dapi_segmentation",
      );
      assert.deepEqual(Object.keys(result.counts), ["nucleus"]);
      const n = result.counts.nucleus;
      assert.ok(n >= 200 && n <= 350, `${n} nuclei`);
      const nucleus = await readMask(project, "seg_all_nucleus");
      assert.equal(new Set(nucleus).size - 1, n, "distinct ids in the mask = reported count");
      const classes = await Deno.readTextFile(join(dir, "dapi", "segmentation", "classes.csv"));
      assert.equal(classes.trim().split("\n").length, n);
      const labels = join(dir, "dapi", "scportrait.sdata", "labels");
      assert.deepEqual(
        [...Deno.readDirSync(labels)].filter((e) => e.isDirectory).map((e) => e.name),
        [
          "seg_all_nucleus",
        ],
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
