/**
 * Test helper for the classical segmentation plugins: builds a plugin folder, runs it in the
 * host's worker pool with statistics computed the way the host computes them (exact u16
 * histograms, the manifest's requests), params validated against the manifest with defaults,
 * whole images or tiles with a halo, and the quality numbers (F1 at an IoU, matched-cell IoU).
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { PluginResultError } from "../../../core/host/plugin_call_error.ts";
import { PluginPool } from "../../../core/host/plugin_pool.ts";
import {
  type ChannelStats,
  type ObjectInfo,
  type SegmentationResult,
  wholeImageRegion,
} from "../../../core/host/segmentation_types.ts";
import { accumulateU16, newHistogramU16 } from "../../../core/kernels/histogram_u16.ts";
import { parseManifest, type PluginManifest } from "../../../core/registry/manifest.ts";
import { channelStats, planStatistics } from "../../../core/steps/segment/global_stats_pass.ts";
import { pluginParams } from "../../../core/steps/segment/segmentation_plugin.ts";
import { buildPlugin } from "../../../plugins/toolchain/build_plugin.ts";

/** Repository root. */
export const ROOT = new URL("../../../", import.meta.url).pathname;

/** A built plugin running in a pool. */
export interface PooledPlugin {
  /** The manifest (source folder). */
  manifest: PluginManifest;
  /** The worker pool. */
  pool: PluginPool;
}

/** Builds `plugins/<folder>` and starts a pool of `workers` workers. */
export async function startPlugin(folder: string, workers = 1): Promise<PooledPlugin> {
  const dir = join(ROOT, "plugins", folder);
  const built = await buildPlugin(dir, ROOT);
  const text = Deno.readTextFileSync(join(dir, "manifest.yaml"));
  const manifest = parseManifest(text, join(dir, "manifest.yaml"), { requireSha256: false });
  const pool = await PluginPool.create({
    component: built.component,
    world: "segmentation",
    name: `${manifest.id}@${manifest.version}`,
    limits: { memoryMib: manifest.limits.memory_mib, timeoutS: manifest.limits.timeout_s },
    workers,
  });
  return { manifest, pool };
}

/** The statistics the host would pass for these planes (one per manifest role, tile order). */
export function hostStats(manifest: PluginManifest, planes: Uint16Array[]): ChannelStats[] {
  const roles = manifest.inputs.channels.map((c, i) => ({ role: c.role, channels: [i] }));
  return planStatistics(manifest.statistics, roles).map((plan) => {
    const hist = newHistogramU16();
    accumulateU16(hist, planes[plan.channel]);
    return channelStats(plan, hist);
  });
}

/** An image as planes of one size. */
export interface Planes {
  /** One u16 plane per manifest role. */
  planes: Uint16Array[];
  /** Rows. */
  height: number;
  /** Columns. */
  width: number;
}

function window(img: Planes, y0: number, x0: number, h: number, w: number): Uint16Array {
  const out = new Uint16Array(img.planes.length * h * w);
  img.planes.forEach((p, c) => {
    for (let y = 0; y < h; y++) {
      out.set(
        p.subarray((y0 + y) * img.width + x0, (y0 + y) * img.width + x0 + w),
        (c * h + y) * w,
      );
    }
  });
  return out;
}

/** Segments the whole image as one tile; `params` is validated and defaulted first. */
export function segmentWhole(
  p: PooledPlugin,
  img: Planes,
  params: Record<string, unknown>,
  stats = hostStats(p.manifest, img.planes),
): Promise<SegmentationResult> {
  const { height: h, width: w } = img;
  return p.pool.segment(
    { channels: img.planes.length, height: h, width: w, data: window(img, 0, 0, h, w) },
    wholeImageRegion(h, w),
    stats,
    pluginParams(p.manifest, params),
  );
}

/** An object owned by a tile: its mask, anchor and area (all tiles' results merged). */
export interface OwnedObject {
  /** Mask name. */
  mask: string;
  /** `anchorY,anchorX,area`. */
  key: string;
}

/** Segments in `core`-sized tiles with a `halo` and returns the objects each tile owns. */
export async function segmentTiled(
  p: PooledPlugin,
  img: Planes,
  params: Record<string, unknown>,
  core: number,
  halo: number,
): Promise<string[]> {
  const stats = hostStats(p.manifest, img.planes);
  const validated = pluginParams(p.manifest, params);
  const jobs: Promise<string[]>[] = [];
  for (let cy = 0; cy < img.height; cy += core) {
    for (let cx = 0; cx < img.width; cx += core) {
      const ch = Math.min(core, img.height - cy), cw = Math.min(core, img.width - cx);
      const y0 = Math.max(0, cy - halo), x0 = Math.max(0, cx - halo);
      const y1 = Math.min(img.height, cy + ch + halo), x1 = Math.min(img.width, cx + cw + halo);
      const region = {
        originY: y0,
        originX: x0,
        imageHeight: img.height,
        imageWidth: img.width,
        coreY: cy - y0,
        coreX: cx - x0,
        coreHeight: ch,
        coreWidth: cw,
      };
      const tile = {
        channels: img.planes.length,
        height: y1 - y0,
        width: x1 - x0,
        data: window(img, y0, x0, y1 - y0, x1 - x0),
      };
      const owned = (o: ObjectInfo) =>
        o.anchorY >= cy && o.anchorY < cy + ch && o.anchorX >= cx && o.anchorX < cx + cw;
      jobs.push(
        p.pool.segment(tile, region, stats, validated).then((r) =>
          r.masks.flatMap((m) =>
            m.objects.filter(owned).map((o) => `${m.name}:${o.anchorY},${o.anchorX},${o.area}`)
          )
        ),
      );
    }
  }
  return (await Promise.all(jobs)).flat().sort();
}

/** Objects of a whole-image result as `mask:anchorY,anchorX,area`, sorted. */
export function objectKeys(r: SegmentationResult): string[] {
  return r.masks.flatMap((m) =>
    m.objects.map((o) => `${m.name}:${o.anchorY},${o.anchorX},${o.area}`)
  ).sort();
}

/** Pairs of labels (a, b) with their overlap and the sizes of each label. */
function overlaps(a: ArrayLike<number>, b: ArrayLike<number>) {
  const inter = new Map<string, number>();
  const sa = new Map<number, number>();
  const sb = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    const x = a[i], y = b[i];
    if (x) sa.set(x, (sa.get(x) ?? 0) + 1);
    if (y) sb.set(y, (sb.get(y) ?? 0) + 1);
    if (x && y) inter.set(`${x},${y}`, (inter.get(`${x},${y}`) ?? 0) + 1);
  }
  return { inter, sa, sb };
}

/** Matches of IoU > `threshold` (unique for threshold ≥ 0.5) between two label images. */
export function matchInstances(
  pred: ArrayLike<number>,
  truth: ArrayLike<number>,
  threshold = 0.5,
): { predicted: number; truth: number; matched: number; f1: number; meanIoU: number } {
  const { inter, sa, sb } = overlaps(pred, truth);
  let matched = 0, sum = 0;
  for (const [k, n] of inter) {
    const [x, y] = k.split(",").map(Number);
    const iou = n / (sa.get(x)! + sb.get(y)! - n);
    if (iou > threshold) {
      matched++;
      sum += iou;
    }
  }
  const f1 = (2 * matched) / (sa.size + sb.size || 1);
  return { predicted: sa.size, truth: sb.size, matched, f1, meanIoU: matched ? sum / matched : 0 };
}

/** Runs /usr/bin/python3 with `args`; returns stdout, throws with stderr on failure. */
export async function python(args: string[]): Promise<string> {
  const out = await new Deno.Command("/usr/bin/python3", { args }).output();
  const text = new TextDecoder();
  if (out.code !== 0) throw new Error(`python3 ${args[0]} failed: ${text.decode(out.stderr)}`);
  return text.decode(out.stdout);
}

/** Reads TIFF planes with tifffile (uint8 → uint16 × 255, as scPortrait and our loader). */
export async function readTiffPlanes(files: string[]): Promise<Planes> {
  const dir = await Deno.makeTempDir();
  try {
    const script = `
import sys, json, numpy as np, tifffile
out = sys.argv[1]
for i, f in enumerate(sys.argv[2:]):
    a = tifffile.imread(f)
    if a.dtype == np.uint8: a = a.astype(np.uint16) * 255
    a.astype(np.uint16).tofile(f"{out}/{i}.u16")
print(json.dumps(list(a.shape)))
`;
    const [h, w] = JSON.parse(await python(["-c", script, dir, ...files]));
    const planes = files.map((_, i) =>
      new Uint16Array(Deno.readFileSync(`${dir}/${i}.u16`).buffer)
    );
    return { planes, height: h, width: w };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * Runs the Python reference (bench/reference/segmentation_reference.py with scikit-fmm, see
 * tests/plugins/wga_segmentation/skfmm_reference.py) on `img` with the scPortrait `config`;
 * returns the label images by mask name.
 */
export async function referenceLabels(
  method: "dapi" | "wga",
  img: Planes,
  config: Record<string, unknown>,
): Promise<Record<string, Uint32Array>> {
  const dir = await Deno.makeTempDir();
  try {
    const n = img.height * img.width;
    const stack = new Uint16Array(img.planes.length * n);
    img.planes.forEach((p, i) => stack.set(p, i * n));
    await Deno.writeFile(join(dir, "in.u16"), new Uint8Array(stack.buffer));
    await Deno.writeTextFile(join(dir, "cfg.json"), JSON.stringify(config));
    await python([
      "-c",
      "import sys, numpy as np; np.save(sys.argv[1], np.fromfile(sys.argv[2], np.uint16)" +
      ".reshape(int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])))",
      join(dir, "in.npy"),
      join(dir, "in.u16"),
      String(img.planes.length),
      String(img.height),
      String(img.width),
    ]);
    const ref = join(ROOT, "tests/plugins/wga_segmentation/skfmm_reference.py");
    await python([
      ref,
      "--input",
      join(dir, "in.npy"),
      "--out",
      dir,
      "--method",
      method,
      "--config",
      join(dir, "cfg.json"),
    ]);
    const masks = method === "wga" ? ["nucleus", "cytosol"] : ["nucleus"];
    const out: Record<string, Uint32Array> = {};
    for (const m of masks) {
      await python([
        "-c",
        "import sys, numpy as np; np.load(sys.argv[1]).astype(np.uint32).tofile(sys.argv[2])",
        join(dir, `${m}.npy`),
        join(dir, `${m}.u32`),
      ]);
      out[m] = new Uint32Array(Deno.readFileSync(join(dir, `${m}.u32`)).buffer);
    }
    return out;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** The error variant and message a pool call rejected with; fails when it resolved. */
export async function errorOf(call: Promise<unknown>): Promise<{ tag: string; message: string }> {
  try {
    await call;
  } catch (e) {
    if (e instanceof PluginResultError) return { tag: e.variant ?? "", message: e.message };
    throw e;
  }
  throw new Error("the call succeeded; an error was expected");
}

/**
 * Same anchors (so the same cell ids) in tiles and whole image; areas equal except where the
 * watershed breaks ties between equal travel times in processing order (see the README:
 * docs/readme/segmentation_methods.md), which moves a few boundary pixels of a few cells.
 */
export function assertSameObjects(
  tiled: string[],
  whole: string[],
  what: string,
  relative = 0.01,
): void {
  const split = (k: string) => {
    const [mask, rest] = k.split(":");
    const [y, x, area] = rest.split(",").map(Number);
    return { anchor: `${mask}:${y},${x}`, area };
  };
  const t = tiled.map(split), w = whole.map(split);
  assert.deepEqual(t.map((o) => o.anchor).sort(), w.map((o) => o.anchor).sort(), what);
  const areas = new Map(w.map((o) => [o.anchor, o.area]));
  let differ = 0;
  for (const o of t) {
    const d = Math.abs(o.area - areas.get(o.anchor)!);
    assert.ok(
      d <= Math.max(12, relative * o.area),
      `${what}: ${o.anchor} area ${o.area} vs ${areas.get(o.anchor)}`,
    );
    if (d > 0) differ++;
  }
  console.log(`${what}: ${t.length} objects, ${differ} differ in area (at most max(12 px, 1 %))`);
  assert.ok(differ <= 0.08 * t.length, `${what}: ${differ} of ${t.length} areas differ`);
}
