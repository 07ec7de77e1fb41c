/**
 * End to end, the real methods: `wga-segmentation` and `dapi-segmentation` (built from source)
 * through the segmentation driver on a 2304² synthetic nucleus + membrane image whose cells
 * touch. The masks (ids included), the centres and classes.csv are bit-identical for core tiles
 * of 512, 1024 and 2048 px with 2 workers and for 1 worker. Preconditions are asserted too, so the test cannot
 * pass vacuously: hundreds of cells, touching cytosols, cells cut by the 512 px tile borders.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { resolveSegmentationPlugin } from "../../core/steps/segment/segmentation_plugin.ts";
import { segmentProject } from "../../core/steps/segment/segment_project.ts";
import { generateSynthetic } from "../../examples/synthetic/synthetic_generator.ts";
import { buildPlugin } from "../../plugins/toolchain/build_plugin.ts";
import { makeProject, readMask } from "../core/steps/segment/segment_fixture.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const WGA_DIR = join(ROOT, "plugins/wga_segmentation");
const DAPI_DIR = join(ROOT, "plugins/dapi_segmentation");
const SIDE = 2304;

/** scPortrait's documented WGASegmentation example parameters (our config shape). */
const CONFIG = `name: wga-invariance
segmentation:
  method: wga-segmentation@^0.1.0
  nucleus_channels: [0]
  cytosol_channels: [1]
  params:
    lower_quantile_normalization: 0.001
    upper_quantile_normalization: 0.999
    median_filter_size: 4
    filter_masks_size: true
    nucleus_segmentation:
      lower_quantile_normalization: 0.01
      upper_quantile_normalization: 0.99
      median_block: 41
      median_step: 4
      threshold: 0.2
      min_distance: 8
      peak_footprint: 7
      speckle_kernel: 9
      dilation: 0
      min_size: 200
      max_size: 1000
    cytosol_segmentation:
      threshold: 0.05
      lower_quantile_normalization: 0.01
      upper_quantile_normalization: 0.99
      erosion: 2
      dilation: 7
      min_clip: 0
      max_clip: 0.2
      min_size: 200
      max_size: 6000
`;

/** The nucleus part of CONFIG with scPortrait's documented contact filter. */
const DAPI_CONFIG = CONFIG.replace("wga-invariance", "dapi-invariance")
  .replace("wga-segmentation@^0.1.0", "dapi-segmentation@^0.1.0")
  .replace("  cytosol_channels: [1]\n", "")
  .replace(/ {4}cytosol_segmentation:[\s\S]*$/, "")
  .replace("      max_size: 1000\n", "      max_size: 1000\n      contact_filter: 0.5\n");

interface Outcome {
  nucleus: BigUint64Array;
  cytosol?: BigUint64Array;
  centres: string;
  classes: string;
  tiles: number;
}

/** Pixels whose label differs. */
function differing(a: BigUint64Array, b: BigUint64Array): number {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) n++;
  return n;
}

/** Cytosol pixels whose right or lower neighbour is another cell's. */
function touchingPairs(mask: BigUint64Array, width: number): number {
  let n = 0;
  for (let i = 0; i + width < mask.length; i++) {
    const a = mask[i];
    if (a === 0n) continue;
    const right = (i + 1) % width !== 0 ? mask[i + 1] : 0n;
    if ((right !== 0n && right !== a) || (mask[i + width] !== 0n && mask[i + width] !== a)) n++;
  }
  return n;
}

/** Cells having pixels on both sides of one of the 512 px tile borders. */
function cellsCutBy512(mask: BigUint64Array, width: number): number {
  const cut = new Set<bigint>();
  for (let b = 512; b < width; b += 512) {
    for (let y = 0; y < mask.length / width; y++) {
      const l = mask[y * width + b - 1], r = mask[y * width + b];
      if (l !== 0n && l === r) cut.add(l);
      const u = mask[(b - 1) * width + y], d = mask[b * width + y];
      if (u !== 0n && u === d) cut.add(u);
    }
  }
  return cut.size;
}

/** Runs `method` at every tiling and asserts identical outputs. */
async function assertInvariant(method: "wga" | "dapi"): Promise<void> {
  const pluginDir = method === "wga" ? WGA_DIR : DAPI_DIR;
  const dir = await Deno.makeTempDir({ prefix: `${method}_invariance_` });
  try {
    const built = await buildPlugin(pluginDir, ROOT);
    const image = generateSynthetic({ height: SIDE, width: SIDE, channels: 2, seed: 7 });
    const planes = image.renderChannels(0, 0, SIDE, SIDE).slice(0, method === "wga" ? 2 : 1);
    const config_ = method === "wga" ? CONFIG : DAPI_CONFIG;
    const project = await makeProject(join(dir, "p"), config_, planes, SIDE, SIDE, 512);
    const config = (await project.loadConfig()).config.segmentation!;
    const plugin = await resolveSegmentationPlugin(project.root, config, {
      componentPath: built.componentPath,
      manifestPath: join(pluginDir, "manifest.yaml"),
    });
    const run = async (tileSize: number, workers: number): Promise<Outcome> => {
      const result = await segmentProject(project, {
        plugin,
        tileSize,
        workers,
        overwrite: true,
        quiet: true,
        warn: () => {},
      });
      assert.equal(result.truncated, 0, `tile ${tileSize}: cells reached past the halo`);
      const seg = join(project.root, "segmentation");
      return {
        nucleus: await readMask(project, "seg_all_nucleus"),
        cytosol: method === "wga" ? await readMask(project, "seg_all_cytosol") : undefined,
        centres: await Deno.readTextFile(join(seg, "centers_seg_all_nucleus.csv")),
        classes: await Deno.readTextFile(join(seg, "classes.csv")),
        tiles: result.tiles,
      };
    };
    const reference = await run(2048, 2);
    const cells = reference.classes.trim().split("\n").length;
    assert.ok(cells > 500, `only ${cells} cells: the image does not exercise the method`);
    const cells2d = reference.cytosol ?? reference.nucleus;
    // synthetic nuclei never touch; touching nuclei are covered by the dsb2018 tiling test in
    // tests/plugins/dapi_segmentation/plugin_test.ts
    const touching = touchingPairs(cells2d, SIDE);
    assert.ok(method === "dapi" || touching > 1000, `${touching} touching pixel pairs`);
    const cut = cellsCutBy512(cells2d, SIDE);
    assert.ok(cut > (method === "wga" ? 50 : 20), `${cut} cells cross 512 px borders`);
    for (const [tileSize, workers] of [[512, 2], [1024, 2], [2048, 1]]) {
      const other = await run(tileSize, workers);
      const what = `tile ${tileSize}, ${workers} worker(s), ${other.tiles} tiles`;
      const nDiff = differing(other.nucleus, reference.nucleus);
      assert.equal(nDiff, 0, `nucleus: ${nDiff} pixels differ with ${what}`);
      if (reference.cytosol) {
        const cDiff = differing(other.cytosol!, reference.cytosol);
        assert.equal(cDiff, 0, `cytosol: ${cDiff} pixels differ with ${what}`);
      }
      assert.equal(other.centres, reference.centres, `centres: ${what}`);
      assert.equal(other.classes, reference.classes, `classes: ${what}`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

for (const method of ["wga", "dapi"] as const) {
  Deno.test({
    name: `e2e: ${method}-segmentation masks and ids are identical for tiles 512/1024/2048, ` +
      "1 or 2 workers",
    sanitizeResources: false,
    sanitizeOps: false,
    fn: () => assertInvariant(method),
  });
}
