/**
 * Test fixture: a project with a 3-channel 300 × 400 input image, nucleus and cytosol labels
 * (discs and a rectangle, uint64, 128-px chunks so previews and areas cross chunks), a 60-cell
 * `.h5sc`, and one provenance record — written through the store, h5sc and provenance APIs.
 * @module
 */
import * as path from "node:path";
import { loadConfig } from "../../../../core/config/load_config.ts";
import { H5scWriter } from "../../../../core/io/h5sc/h5sc_writer.ts";
import { toFloat16Bits } from "../../../../core/kernels/float16_bits.ts";
import { Project } from "../../../../core/project/project.ts";
import { appendProvenance, TOOL_VERSION } from "../../../../core/project/provenance.ts";

/** Image size of the fixture. */
export const H = 300, W = 400;

/** Cells of the fixture: centre, nucleus radius, cytosol radius (ids are 1-based order × 7). */
export const CELLS: readonly [number, number, number, number][] = [
  [60, 80, 14, 26],
  [150, 200, 20, 34],
  [230, 90, 10, 18],
  [100, 330, 16, 30],
  [250, 320, 12, 22],
];

function nucleusAt(y: number, x: number): bigint {
  for (const [i, [cy, cx, rn]] of CELLS.entries()) {
    if ((y - cy) ** 2 + (x - cx) ** 2 <= rn * rn) return BigInt((i + 1) * 7);
  }
  // a rectangle touching the image edge (the edge is not an outline)
  if (y < 20 && x >= 180 && x < 260) return 1_000_000_000_000n; // > 2^32: exercises uint64
  return 0n;
}

function cytosolAt(y: number, x: number): bigint {
  for (const [i, [cy, cx, , rc]] of CELLS.entries()) {
    if ((y - cy) ** 2 + (x - cx) ** 2 <= rc * rc) return BigInt((i + 1) * 7);
  }
  return 0n;
}

/** Builds the fixture project in `dir`/proj and returns its path. */
export async function makeReportProject(dir: string, nCells = 60): Promise<string> {
  await Deno.writeTextFile(path.join(dir, "config.yml"), 'name: "report test"\n');
  const project = await Project.create(path.join(dir, "proj"), {
    config: await loadConfig(path.join(dir, "config.yml")),
  });
  const store = await project.openStore();
  const chunk = 128;
  const image = await store.createImage("input_image", {
    channels: 3,
    height: H,
    width: W,
    channelNames: ["DAPI", "WGA", "Marker"],
    chunk: [1, chunk, chunk],
  });
  for (let c = 0; c < 3; c++) {
    for (let y0 = 0; y0 < H; y0 += chunk) {
      for (let x0 = 0; x0 < W; x0 += chunk) {
        const h = Math.min(chunk, H - y0), w = Math.min(chunk, W - x0);
        const data = new Uint16Array(h * w);
        for (let y = 0; y < h; y++) {
          for (let x = 0; x < w; x++) {
            const gy = y0 + y, gx = x0 + x;
            const inCell = cytosolAt(gy, gx) !== 0n ? 1 : 0;
            data[y * w + x] = 200 + ((gx * (c + 3) + gy * (5 - c) * 7) % 1500) + inCell * 3000 * c;
          }
        }
        await image.writeChunk(c, y0, x0, data, h, w);
      }
    }
  }
  await image.finalize();
  for (
    const [name, at] of [["seg_all_nucleus", nucleusAt], ["seg_all_cytosol", cytosolAt]] as const
  ) {
    const labels = await store.createLabels(name, { height: H, width: W, chunk: [chunk, chunk] });
    for (let y0 = 0; y0 < H; y0 += chunk) {
      for (let x0 = 0; x0 < W; x0 += chunk) {
        const h = Math.min(chunk, H - y0), w = Math.min(chunk, W - x0);
        const data = new BigUint64Array(h * w);
        for (let y = 0; y < h; y++) {
          for (let x = 0; x < w; x++) data[y * w + x] = at(y0 + y, x0 + x);
        }
        await labels.writeChunk(y0, x0, data, h, w);
      }
    }
    await labels.finalize();
  }
  const S = 16;
  await Deno.mkdir(project.paths.extractionData, { recursive: true });
  const writer = await H5scWriter.create(project.paths.h5sc, {
    cellIds: BigUint64Array.from({ length: nCells }, (_, i) => BigInt(1000 + 3 * i)),
    maskNames: ["seg_all_nucleus", "seg_all_cytosol"],
    channelNames: ["DAPI", "WGA", "Marker"],
    imageSize: S,
    normalization: true,
    normalizationRange: [0.001, 0.999],
    compression: "lzf",
  }, { overwrite: true });
  const bits = new Uint16Array(nCells * 5 * S * S);
  for (let i = 0; i < bits.length; i++) {
    const cell = Math.floor(i / (5 * S * S));
    const c = Math.floor(i / (S * S)) % 5;
    const p = i % (S * S);
    const v = c < 2 ? ((p % S) > 4 && (p % S) < 11 ? 1 : 0) : ((p * (c + 1) + cell * 13) % 97) / 96;
    bits[i] = toFloat16Bits(c === 4 && cell === 1 ? 0.5 : v); // cell 1, channel 4: flat
  }
  writer.writeCells(0, bits);
  writer.finish();
  const now = new Date().toISOString();
  await appendProvenance(project.paths.provenance, {
    step: "segmentation",
    status: "ok",
    started: now,
    finished: now,
    duration_s: 12.5,
    plugin: "threshold-segmentation@0.1.0",
    params_hash: "sha256:00",
    inputs: {},
    counts: { nucleus: CELLS.length + 1, cytosol: CELLS.length },
    deno: Deno.version.deno,
    tool: TOOL_VERSION,
  });
  return project.root;
}
