/**
 * Shared fixtures of the segmentation driver tests: a synthetic image of touching blobs, a project
 * holding it as `input_image`, the first-party threshold-segmentation plugin built from source,
 * and reading masks back.
 * @module
 */
import { join } from "node:path";
import { parseConfig } from "../../../../core/config/load_config.ts";
import { Project } from "../../../../core/project/project.ts";
import type { SegmentationPlugin } from "../../../../core/steps/segment/segmentation_plugin.ts";
import { resolveSegmentationPlugin } from "../../../../core/steps/segment/segmentation_plugin.ts";
import { buildPlugin } from "../../../../plugins/toolchain/build_plugin.ts";

/** Repository root. */
export const ROOT = new URL("../../../../", import.meta.url).pathname;
/** The threshold-segmentation plugin folder. */
export const THRESHOLD_DIR = join(ROOT, "plugins/threshold_segmentation");

let built: Promise<{ componentPath: string }> | undefined;

/** Builds threshold-segmentation once per test process; returns its component path. */
export async function thresholdComponentPath(): Promise<string> {
  built ??= buildPlugin(THRESHOLD_DIR, ROOT);
  return (await built).componentPath;
}

/** The threshold plugin as the driver takes it (explicit component + manifest). */
export async function thresholdPlugin(dir: string): Promise<SegmentationPlugin> {
  return await resolveSegmentationPlugin(dir, { method: "threshold-segmentation" } as never, {
    componentPath: await thresholdComponentPath(),
    manifestPath: join(THRESHOLD_DIR, "manifest.yaml"),
  });
}

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * Bright discs (radius 7–14) on a jittered 34 px grid over a noisy background, so neighbours
 * often touch; returns one uint16 plane.
 */
export function blobImage(height: number, width: number, seed = 1): Uint16Array {
  const rnd = lcg(seed);
  const img = new Uint16Array(height * width);
  for (let i = 0; i < img.length; i++) img[i] = 200 + Math.floor(rnd() * 300);
  for (let cy = 17; cy < height; cy += 34) {
    for (let cx = 17; cx < width; cx += 34) {
      if (rnd() < 0.15) continue;
      const y0 = cy + Math.round((rnd() - 0.5) * 12), x0 = cx + Math.round((rnd() - 0.5) * 12);
      const r = 7 + rnd() * 7;
      const v = 2500 + Math.floor(rnd() * 3000);
      for (let y = Math.max(0, Math.floor(y0 - r)); y <= Math.min(height - 1, y0 + r); y++) {
        for (let x = Math.max(0, Math.floor(x0 - r)); x <= Math.min(width - 1, x0 + r); x++) {
          if ((y - y0) ** 2 + (x - x0) ** 2 <= r * r) img[y * width + x] = v;
        }
      }
    }
  }
  return img;
}

/** A config (our shape) for threshold-segmentation; `extra` lines go into `segmentation:`. */
export function thresholdConfig(extra = ""): string {
  return `name: seg-test
segmentation:
  method: threshold-segmentation@^0.1.0
  params: {}
  min_halo: 96
  nucleus_channels: [0]
${extra}`;
}

/** Creates a project at `dir` holding `planes` (one per channel) as `input_image`. */
export async function makeProject(
  dir: string,
  configText: string,
  planes: Uint16Array[],
  height: number,
  width: number,
  chunk = 1024,
): Promise<Project> {
  await Deno.mkdir(dir, { recursive: true });
  const project = await Project.create(dir, {
    config: parseConfig(configText, join(dir, "config.yml")),
  });
  const store = await project.openStore();
  const writer = await store.createImage("input_image", {
    channels: planes.length,
    height,
    width,
    channelNames: planes.map((_, i) => `ch${i}`),
    chunk: [1, chunk, chunk],
  });
  for (let c = 0; c < planes.length; c++) {
    for (let y = 0; y < height; y += chunk) {
      for (let x = 0; x < width; x += chunk) {
        const h = Math.min(chunk, height - y), w = Math.min(chunk, width - x);
        const data = new Uint16Array(h * w);
        for (let r = 0; r < h; r++) {
          data.set(planes[c].subarray((y + r) * width + x, (y + r) * width + x + w), r * w);
        }
        await writer.writeChunk(c, y, x, data, h, w);
      }
    }
  }
  await writer.finalize({ progress: false });
  return project;
}

/** Reads a whole labels element of the project as uint64. */
export async function readMask(project: Project, name: string): Promise<BigUint64Array> {
  const store = await project.openStore();
  const labels = await store.openLabels(name);
  const data = await labels.readWindow({ y: 0, x: 0, height: labels.height, width: labels.width });
  if (!(data instanceof BigUint64Array)) throw new TypeError(`${name} is ${labels.dtype}`);
  return data;
}
