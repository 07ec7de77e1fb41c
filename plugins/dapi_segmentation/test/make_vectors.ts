/**
 * Writes the test vectors of dapi-segmentation and wga-segmentation: a 128² crop (rows 40–167,
 * columns 340–467) of CellProfiler's ExampleHuman field (DNA d0, cell body d2, see
 * examples/data/cellprofiler_example_human), each plugin's manifest `test[0].params`, the global
 * statistics the host would pass for that image, and the plugin's result. The expected labels
 * are our output; tests/plugins/dapi_segmentation/test/make_vectors_test.ts checks them against
 * the Python reference (bench/reference/segmentation_reference.py with scikit-fmm).
 *
 * Run: deno run -A plugins/dapi_segmentation/test/make_vectors.ts
 * @module
 */

import { join } from "node:path";
import { parse } from "yaml";
import {
  hostStats,
  type Planes,
  readTiffPlanes,
  ROOT,
  segmentWhole,
  startPlugin,
} from "../../../tests/plugins/dapi_segmentation/_segment_harness.ts";

/** The crop: side, first row, first column. */
export const CROP = { side: 128, y: 40, x: 340 };

/** The plugin folders with vectors and the ExampleHuman planes each one reads. */
export const VECTOR_PLUGINS = [
  { folder: "dapi_segmentation", files: ["d0"] },
  { folder: "wga_segmentation", files: ["d0", "d2"] },
];

const DATA = join(ROOT, "examples/data/cellprofiler_example_human/AS_09125_050116030001_D03f00");

/** The crop of the ExampleHuman planes `files` (u16, tifffile's ×255 for uint8). */
export async function cropPlanes(files: string[]): Promise<Planes> {
  const full = await readTiffPlanes(files.map((f) => `${DATA}${f}.tif`));
  const { side, y: y0, x: x0 } = CROP;
  const planes = full.planes.map((p) => {
    const out = new Uint16Array(side * side);
    for (let y = 0; y < side; y++) {
      const row = (y0 + y) * full.width + x0;
      out.set(p.subarray(row, row + side), y * side);
    }
    return out;
  });
  return { planes, height: side, width: side };
}

/** `test[0].params` of a plugin's manifest (the vector's params). */
export function vectorParams(folder: string): Record<string, unknown> {
  const m = parse(Deno.readTextFileSync(join(ROOT, "plugins", folder, "manifest.yaml")));
  return m.test[0].params as Record<string, unknown>;
}

const typed = (_k: string, v: unknown) => {
  if (v instanceof Uint16Array) return { $u16: [...v] };
  if (v instanceof Uint32Array) return { $u32: [...v] };
  return v;
};

async function writeVectors(folder: string, files: string[]): Promise<void> {
  const img = await cropPlanes(files);
  const plugin = await startPlugin(folder, 1);
  try {
    const stats = hostStats(plugin.manifest, img.planes);
    const result = await segmentWhole(plugin, img, vectorParams(folder), stats);
    const n = img.height * img.width;
    const data = new Uint16Array(img.planes.length * n);
    img.planes.forEach((p, i) => data.set(p, i * n));
    const tile = { channels: img.planes.length, height: img.height, width: img.width, data };
    const region = {
      originY: 0,
      originX: 0,
      imageHeight: img.height,
      imageWidth: img.width,
      coreY: 0,
      coreX: 0,
      coreHeight: img.height,
      coreWidth: img.width,
    };
    const dir = join(ROOT, "plugins", folder, "test");
    const write = (name: string, v: unknown) =>
      Deno.writeTextFileSync(join(dir, name), JSON.stringify(v, typed) + "\n");
    write("input.json", { args: [tile, region, stats] });
    // the missing-statistics case needs no image: a 16² zero tile
    const small = { channels: tile.channels, height: 16, width: 16 };
    const smallRegion = {
      ...region,
      imageHeight: 16,
      imageWidth: 16,
      coreHeight: 16,
      coreWidth: 16,
    };
    const zero = { ...small, data: new Uint16Array(tile.channels * 256) };
    write("input_no_stats.json", { args: [zero, smallRegion, []] });
    write("expected.json", result);
    const counts = result.masks.map((m) => `${m.objects.length} ${m.name}`).join(", ");
    console.log(`${folder}: ${counts}`);
  } finally {
    plugin.pool.close();
  }
}

if (import.meta.main) {
  for (const p of VECTOR_PLUGINS) await writeVectors(p.folder, p.files);
}
