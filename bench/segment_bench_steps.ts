/**
 * The parts of `segment_bench.ts`: pick and build the method, cache the synthetic TIFFs, prepare
 * a loaded project (optionally of a crop), run our segmentation in a child process, run the
 * Python reference and compare the masks with it (`bench/reference/segmentation_compare.py`).
 * @module
 */
import { join } from "node:path";
import { parseConfig } from "../core/config/load_config.ts";
import { PluginPool } from "../core/host/plugin_pool.ts";
import type { ImageSource, PixelWindow } from "../core/io/image_source.ts";
import { openTiffSource } from "../core/io/tiff/open_tiff_source.ts";
import { Project } from "../core/project/project.ts";
import { parseManifest } from "../core/registry/manifest.ts";
import { loadInputImage } from "../core/steps/load/load_input.ts";
import { generateSynthetic } from "../examples/synthetic/synthetic_generator.ts";
import { writeSyntheticTiff } from "../examples/synthetic/write_synthetic_tiff.ts";
import { buildPlugin } from "../plugins/toolchain/build_plugin.ts";

/** Repository root. */
export const ROOT: string = new URL("../", import.meta.url).pathname;

/**
 * scPortrait's documented WGASegmentation example (`examples/configs/scportrait_wga.yml`), the
 * parameters of both implementations.
 */
export const WGA_PARAMS: Record<string, unknown> = {
  lower_quantile_normalization: 0.001,
  upper_quantile_normalization: 0.999,
  median_filter_size: 4,
  filter_masks_size: true,
  nucleus_segmentation: {
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
  },
  cytosol_segmentation: {
    threshold: 0.05,
    lower_quantile_normalization: 0.01,
    upper_quantile_normalization: 0.99,
    erosion: 2,
    dilation: 7,
    min_clip: 0,
    max_clip: 0.2,
    min_size: 200,
    max_size: 6000,
  },
};

/** The method the bench runs. */
export interface BenchPlugin {
  /** Plugin id. */
  id: string;
  /** Built component. */
  componentPath: string;
  /**
   * Where its generated glue is cached (its build folder), warmed once before any measured run:
   * an installed plugin's glue is cached at its first use, so each run measures the steady state
   * (generating the glue takes ~1 s per component).
   */
  glueCacheDir: string;
  /** Its manifest. */
  manifestPath: string;
  /** Output masks (`nucleus`, `cytosol`). */
  masks: string[];
  /** Channel roles in order. */
  roles: string[];
  /** Parameters given to it (and, as JSON, to the reference). */
  params: Record<string, unknown>;
  /** The reference's `--method`, if it has one for this plugin. */
  reference?: "wga" | "dapi";
  /** Which candidates were skipped and why. */
  note: string;
}

/** Builds the first of wga-, dapi-, threshold-segmentation that exists and builds. */
export async function benchPlugin(): Promise<BenchPlugin> {
  const skipped: string[] = [];
  for (const folder of ["wga_segmentation", "dapi_segmentation", "threshold_segmentation"]) {
    const dir = join(ROOT, "plugins", folder);
    const manifestPath = join(dir, "manifest.yaml");
    try {
      const manifest = parseManifest(Deno.readTextFileSync(manifestPath), manifestPath, {
        requireSha256: false,
      });
      const built = await buildPlugin(dir, ROOT);
      const glueCacheDir = join(dir, "build");
      (await PluginPool.create({
        component: built.component,
        world: "segmentation",
        name: manifest.id,
        limits: { memoryMib: manifest.limits.memory_mib, timeoutS: manifest.limits.timeout_s },
        workers: 1,
        glueCacheDir,
      })).close();
      const { cytosol_segmentation: _, ...nucleusOnly } = WGA_PARAMS;
      const kind = folder.startsWith("wga") ? "wga" : folder.startsWith("dapi") ? "dapi" : "";
      return {
        id: manifest.id,
        componentPath: built.componentPath,
        glueCacheDir,
        manifestPath,
        masks: manifest.outputs.masks ?? ["nucleus"],
        roles: manifest.inputs.channels.map((c) => c.role),
        params: kind === "wga" ? WGA_PARAMS : kind === "dapi" ? nucleusOnly : {},
        reference: kind === "" ? undefined : kind,
        note: skipped.length ? `skipped: ${skipped.join("; ")}` : "first choice",
      };
    } catch (error) {
      skipped.push(`${folder}: ${(error as Error).message.split("\n")[0]}`);
    }
  }
  throw new Deno.errors.NotFound(`no segmentation plugin builds: ${skipped.join("; ")}`);
}

/** The cached nucleus + membrane TIFFs of a `side`² synthetic image (seed 1) in `dir`. */
export async function ensureSyntheticTiffs(dir: string, side: number): Promise<string[]> {
  const tifs = [join(dir, "ch0_nucleus.tif"), join(dir, "ch1_membrane.tif")];
  const done = join(dir, "tiffs.done");
  if (await Deno.stat(done).then(() => true, () => false)) return tifs;
  console.log(`generating a ${side}² two-channel synthetic image in ${dir} …`);
  const image = generateSynthetic({ height: side, width: side, channels: 2, seed: 1 });
  const written = await writeSyntheticTiff(dir, image, { masks: false, quiet: true });
  if (written.images.join() !== tifs.join()) {
    throw new Deno.errors.InvalidData(`unexpected synthetic files ${written.images.join(", ")}`);
  }
  await Deno.writeTextFile(done, new Date().toISOString());
  return tifs;
}

/** The window (0, 0, crop, crop) of `source` as an image of its own. */
function cropSource(source: ImageSource, crop: number): ImageSource {
  return {
    description: `${source.description} [0:${crop}, 0:${crop}]`,
    channels: source.channels,
    height: crop,
    width: crop,
    channelNames: source.channelNames,
    sourceDtype: source.sourceDtype,
    blockShape: source.blockShape,
    readWindow: (c: number, w: PixelWindow, o?: { signal?: AbortSignal }) =>
      source.readWindow(c, w, o),
    close: () => source.close(),
  };
}

/** The bench's config (our shape) for `plugin`. */
export function benchConfig(plugin: BenchPlugin): string {
  const roles = plugin.roles.map((r, i) => `  ${r}_channels: [${i}]`).join("\n");
  return `name: segment-bench
segmentation:
  method: ${plugin.id}@^0.1.0
  params: ${JSON.stringify(plugin.params)}
  tile_size: 2048
${roles}
`;
}

/** A project at `dir` holding the TIFFs (or their top-left crop) as `input_image`; reused. */
export async function ensureProject(
  dir: string,
  tifs: string[],
  plugin: BenchPlugin,
  crop?: number,
): Promise<string> {
  const text = benchConfig(plugin);
  if ((await Deno.readTextFile(join(dir, "input.done")).catch(() => "")) === text) return dir;
  await Deno.remove(dir, { recursive: true }).catch(() => {});
  const project = await Project.create(dir, {
    config: parseConfig(text, join(dir, "config.yml")),
  });
  const tiff = await openTiffSource(tifs);
  const source = crop ? cropSource(tiff, crop) : tiff;
  try {
    console.log(`loading ${source.description} into ${dir} …`);
    await loadInputImage(source, await project.openStore(), { progress: { quiet: true } });
  } finally {
    await source.close();
  }
  await Deno.writeTextFile(join(dir, "input.done"), text);
  return dir;
}

/** What one child run printed. */
export interface ChildRun {
  /** Segmentation wall seconds. */
  seconds: number;
  /** CPU seconds of the child (all threads). */
  cpuSeconds: number;
  /** Cells per mask. */
  counts: Record<string, number>;
  /** Tiles. */
  tiles: number;
  /** Core tile side, halo, label chunk. */
  geometry: { tileSize: number; halo: number; chunk: number };
  /** Peak RSS of the child in bytes. */
  peakRss: number;
  /** When the sampled resident set was largest, seconds after the start. */
  peakAtSeconds: number;
}

/** Segments `project` in a child process; returns what it measured. */
export async function runChild(
  project: string,
  plugin: BenchPlugin,
  workers: number,
  tileSize?: string,
): Promise<ChildRun> {
  const child = new URL("./segment_bench_child.ts", import.meta.url).pathname;
  const args = ["run", "-A", child, project, plugin.componentPath, plugin.manifestPath];
  const out = await new Deno.Command(Deno.execPath(), {
    args: [...args, String(workers), ...(tileSize ? [tileSize] : [])],
    // as `deno task cli` runs the product: freed tile buffers go back to the OS (see D72)
    env: { MALLOC_MMAP_THRESHOLD_: "1048576", SCPORTRAIT_BENCH_GLUE_CACHE: plugin.glueCacheDir },
    stderr: "inherit",
  }).output();
  const text = new TextDecoder().decode(out.stdout).trim();
  if (!out.success) throw new Deno.errors.InvalidData(`segmentation child failed: ${text}`);
  return JSON.parse(text.split("\n").at(-1)!);
}

/** What the Python reference printed (`timings.json`). */
export interface ReferenceRun {
  /** Seconds without reading the input. */
  segment_s: number;
  /** CPU seconds. */
  cpu_s: number;
  /** Nucleus count. */
  cells: number;
  /** Peak RSS in bytes. */
  peak_rss: number;
}

/** Runs the Python reference on the TIFFs (or their top-left crop), writing masks to `out`. */
export async function runReference(
  tifs: string[],
  out: string,
  plugin: BenchPlugin,
  crop?: number,
): Promise<ReferenceRun> {
  await Deno.mkdir(out, { recursive: true });
  const cfg = join(out, "config.json");
  await Deno.writeTextFile(cfg, JSON.stringify(plugin.params));
  const script = join(ROOT, "bench/reference/segmentation_reference.py");
  const args = [script, "--input", ...tifs, "--method", plugin.reference!, "--config", cfg];
  if (crop) args.push("--crop", "0", "0", String(crop), String(crop));
  console.log(`running the Python reference${crop ? ` on a ${crop}² crop` : ""} …`);
  const res = await new Deno.Command("/usr/bin/python3", {
    args: [...args, "--out", out],
    stderr: "inherit",
  }).output();
  const text = new TextDecoder().decode(res.stdout).trim();
  if (!res.success) throw new Deno.errors.InvalidData(`the Python reference failed: ${text}`);
  return JSON.parse(text.split("\n").at(-1)!);
}

/** Match quality of one mask: ours against the reference. */
export interface Quality {
  /** Mask name. */
  mask: string;
  /** Our cell count. */
  ours: number;
  /** The reference's cell count. */
  reference: number;
  /** (ours − reference) / reference × 100. */
  countDiffPercent: number;
  /** Cell pairs with IoU ≥ 0.5 (one-to-one). */
  matched: number;
  /** Mean IoU of the matched pairs. */
  meanIoU: number;
}

/** Compares our masks in `project` with the reference's `.npy` masks in `refDir`. */
export async function compareMasks(
  project: string,
  refDir: string,
  masks: string[],
): Promise<Quality[]> {
  const script = join(ROOT, "bench/reference/segmentation_compare.py");
  const out: Quality[] = [];
  for (const mask of masks) {
    const res = await new Deno.Command("/usr/bin/python3", {
      args: [
        script,
        join(project, "scportrait.sdata/labels", `seg_all_${mask}`),
        join(refDir, `${mask}.npy`),
      ],
      stderr: "inherit",
    }).output();
    const text = new TextDecoder().decode(res.stdout).trim();
    if (!res.success) throw new Deno.errors.InvalidData(`mask comparison failed: ${text}`);
    out.push({ mask, ...JSON.parse(text) });
  }
  return out;
}
