/**
 * What one segmented tile contributes: the objects it owns (their anchor lies in its core) with
 * their global ids, and their pixels over the whole tile, halo included. A cell's id comes from
 * its anchor — `anchor_y · image_width + anchor_x + 1` — so it is the same whatever the tiling.
 * Claims are stored as one small file per tile (the tile labels cut along the cores they overlap,
 * run-length coded and zstd-compressed, plus the owned label → id table) until the cores they
 * touch are assembled. Labels are piecewise constant, so the runs are a few per cell and row:
 * coding and decoding them touch little memory, where compressing the planes themselves cost a
 * 4-byte-per-pixel buffer on both sides.
 * @module
 */
import { ScportraitError } from "../../errors.ts";
import type { PixelWindow } from "../../io/image_source.ts";
import * as zlib from "node:zlib";
import { zstdCompress } from "../../io/zarr/chunk_compressor.ts";
import type { SegmentationResult } from "../../host/segmentation_types.ts";
import { intersect, type SegmentTile } from "./tile_grid.ts";

/** The owned pixels of one tile, for every mask. */
export interface TileClaims {
  /** The tile's outer window (global pixels) the label planes cover. */
  outer: PixelWindow;
  /** Mask names, in the manifest's output order. */
  masks: string[];
  /** One tile-local label plane per mask (`outer.height × outer.width`). */
  labels: Uint32Array[];
  /** Tile-local label → global id; 0 for labels the tile does not own. Shared by the masks. */
  ids: Float64Array;
  /** Number of cells owned. */
  owned: number;
  /** Owned cells that touch the tile's outer edge inside the image (cut by a too small halo). */
  truncated: number;
}

/** The global id of the cell anchored at (`y`, `x`) in an image `width` pixels wide. */
export function cellId(y: number, x: number, width: number): number {
  return y * width + x + 1;
}

function pluginError(tile: SegmentTile, message: string): ScportraitError {
  return new ScportraitError(
    "PLUGIN_FAILED",
    `The segmentation plugin returned an invalid result for tile ${tile.key} ` +
      `(rows ${tile.outer.y}–${tile.outer.y + tile.outer.height}, columns ${tile.outer.x}–` +
      `${tile.outer.x + tile.outer.width}): ${message}. Report this to the plugin's authors.`,
  );
}

/**
 * Keeps the cells `tile` owns. A cell's anchor is the anchor of the first mask (in output order)
 * holding its label; it is owned when the anchor lies in the tile's core.
 */
export function claimsFromResult(
  result: SegmentationResult,
  tile: SegmentTile,
  maskNames: readonly string[],
  image: { height: number; width: number },
): TileClaims {
  const { outer, core } = tile;
  const n = outer.height * outer.width;
  const labels: Uint32Array[] = [];
  let maxLabel = 0;
  for (const name of maskNames) {
    const mask = result.masks.find((m) => m.name === name);
    if (mask === undefined) {
      throw pluginError(
        tile,
        `no mask named "${name}" (got ${result.masks.map((m) => m.name).join(", ") || "none"})`,
      );
    }
    if (!(mask.labels instanceof Uint32Array) || mask.labels.length !== n) {
      throw pluginError(tile, `mask "${name}" has ${mask.labels?.length} labels, expected ${n}`);
    }
    for (const o of mask.objects) maxLabel = Math.max(maxLabel, o.label);
    labels.push(mask.labels);
  }
  const ids = new Float64Array(maxLabel + 1);
  const known = new Uint8Array(maxLabel + 1);
  let owned = 0;
  for (const name of maskNames) {
    for (const o of result.masks.find((m) => m.name === name)!.objects) {
      if (o.label === 0 || known[o.label]) continue;
      known[o.label] = 1;
      if (o.anchorY >= image.height || o.anchorX >= image.width) {
        throw pluginError(tile, `object ${o.label} has its anchor outside the image`);
      }
      const inCore = o.anchorY >= core.y && o.anchorY < core.y + core.height &&
        o.anchorX >= core.x && o.anchorX < core.x + core.width;
      if (inCore) {
        ids[o.label] = cellId(o.anchorY, o.anchorX, image.width);
        owned++;
      }
    }
  }
  for (let m = 0; m < labels.length; m++) {
    const plane = labels[m];
    for (let i = 0; i < n; i++) {
      const l = plane[i];
      if (l !== 0 && (l > maxLabel || !known[l])) {
        throw pluginError(tile, `label ${l} of mask "${maskNames[m]}" has no object entry`);
      }
    }
  }
  const truncated = countTruncated(labels, ids, tile, image);
  return { outer, masks: [...maskNames], labels, ids, owned, truncated };
}

function countTruncated(
  labels: Uint32Array[],
  ids: Float64Array,
  tile: SegmentTile,
  image: { height: number; width: number },
): number {
  const { outer } = tile;
  const h = outer.height, w = outer.width;
  const hit = new Set<number>();
  const see = (plane: Uint32Array, i: number) => {
    const l = plane[i];
    if (l !== 0 && ids[l] !== 0) hit.add(l);
  };
  for (const plane of labels) {
    if (outer.y > 0) { for (let x = 0; x < w; x++) see(plane, x); }
    if (outer.y + h < image.height) { for (let x = 0; x < w; x++) see(plane, (h - 1) * w + x); }
    if (outer.x > 0) { for (let y = 0; y < h; y++) see(plane, y * w); }
    if (outer.x + w < image.width) { for (let y = 0; y < h; y++) see(plane, y * w + w - 1); }
  }
  return hit.size;
}

const MAGIC = 0x32545053; // "SPT2": run-length coded planes

/** One stored part of a tile's claims: a window of the label planes, coded per mask. */
interface ClaimPart {
  window: PixelWindow;
  lengths: number[];
}

/** Run buffer of {@link encodeRuns}, reused by every call (its runs are compressed at once). */
let runScratch: Uint32Array = new Uint32Array(1 << 16);

/**
 * The rows of `window` (inside `outer`) of `plane`, which covers `outer`, as (label, length)
 * pairs in row-major order (runs continue across rows), zstd-compressed.
 */
function encodeRuns(plane: Uint32Array, outer: PixelWindow, window: PixelWindow): Uint8Array {
  let count = 0;
  const push = (label: number, length: number) => {
    if (count + 2 > runScratch.length) runScratch = growRuns(runScratch);
    runScratch[count++] = label;
    runScratch[count++] = length;
  };
  let label = plane[(window.y - outer.y) * outer.width + window.x - outer.x];
  let length = 0;
  for (let r = 0; r < window.height; r++) {
    const from = (window.y - outer.y + r) * outer.width + window.x - outer.x;
    for (let i = from; i < from + window.width; i++) {
      const l = plane[i];
      if (l === label) {
        length++;
        continue;
      }
      push(label, length);
      label = l;
      length = 1;
    }
  }
  push(label, length);
  return zstdCompress(new Uint8Array(runScratch.buffer, 0, count * 4), 1);
}

function growRuns(runs: Uint32Array): Uint32Array {
  const grown = new Uint32Array(runs.length * 2);
  grown.set(runs);
  return grown;
}

/** Decodes {@link encodeRuns}' bytes into `out` (exactly as many pixels as the runs cover). */
function decodeRuns(blob: Uint8Array, out: Uint32Array): void {
  const raw = zlib.zstdDecompressSync(blob);
  if (raw.byteLength % 8 !== 0) throw new RangeError(`runs of ${raw.byteLength} bytes`);
  const runs = raw.byteOffset % 4 === 0
    ? new Uint32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4)
    : new Uint32Array(raw.slice().buffer);
  let at = 0;
  for (let i = 0; i < runs.length; i += 2) {
    const end = at + runs[i + 1];
    if (end > out.length) throw new RangeError("runs longer than the window");
    out.fill(runs[i], at, end);
    at = end;
  }
  if (at !== out.length) throw new RangeError(`runs cover ${at} of ${out.length} pixels`);
}

/**
 * Serialises claims: magic, header length, JSON header, then the label planes cut into `parts`
 * (windows partitioning the part of the tile anyone reads — the tile's outer window cut along the
 * cores it overlaps), each plane of each part run-length coded and compressed on its own, so
 * assembling one core decodes only the part over that core.
 */
export function encodeClaims(
  claims: TileClaims,
  parts: readonly PixelWindow[] = [claims.outer],
): Uint8Array {
  const table: number[] = [];
  claims.ids.forEach((id, label) => {
    if (id !== 0) table.push(label, id);
  });
  const blobs: Uint8Array[] = [];
  const index: ClaimPart[] = parts.map((window) => ({
    window,
    lengths: claims.labels.map((plane) => {
      const blob = encodeRuns(plane, claims.outer, window);
      blobs.push(blob);
      return blob.length;
    }),
  }));
  const header = new TextEncoder().encode(JSON.stringify({
    outer: claims.outer,
    masks: claims.masks,
    maxLabel: claims.ids.length - 1,
    table,
    owned: claims.owned,
    truncated: claims.truncated,
    parts: index,
  }));
  const out = new Uint8Array(8 + header.length + blobs.reduce((s, b) => s + b.length, 0));
  const view = new DataView(out.buffer);
  view.setUint32(0, MAGIC, true);
  view.setUint32(4, header.length, true);
  out.set(header, 8);
  let at = 8 + header.length;
  for (const blob of blobs) {
    out.set(blob, at);
    at += blob.length;
  }
  return out;
}

/**
 * Parses bytes made by {@link encodeClaims}; `file` names them in errors. With `window`, returns
 * the claims over the stored part that overlaps it (`outer` is then that part's window), or null
 * when none does; without, the file must hold one part. With `into` (one buffer per mask, each
 * at least the part's pixel count), the label planes are views of those buffers.
 */
export function decodeClaims(
  bytes: Uint8Array,
  file: string,
  window?: PixelWindow,
  into?: readonly Uint32Array[],
): TileClaims | null {
  try {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    if (view.getUint32(0, true) !== MAGIC) throw new RangeError("bad magic number");
    const headerLength = view.getUint32(4, true);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)));
    const parts = header.parts as ClaimPart[];
    if (window === undefined && parts.length !== 1) throw new RangeError("several parts");
    let at = 8 + headerLength;
    let found: ClaimPart | undefined;
    for (const part of parts) {
      if (window === undefined || intersect(part.window, window) !== null) {
        found = part;
        break;
      }
      for (const length of part.lengths) at += length;
    }
    if (found === undefined) return null;
    const n = found.window.height * found.window.width;
    const labels = found.lengths.map((length, m) => {
      const plane = into?.[m]?.subarray(0, n) ?? new Uint32Array(n);
      if (plane.length !== n) throw new RangeError(`buffer ${m} holds ${plane.length} < ${n}`);
      decodeRuns(bytes.subarray(at, at += length), plane);
      return plane;
    });
    const ids = new Float64Array(header.maxLabel + 1);
    for (let i = 0; i < header.table.length; i += 2) ids[header.table[i]] = header.table[i + 1];
    return {
      outer: found.window,
      masks: header.masks,
      labels,
      ids,
      owned: header.owned,
      truncated: header.truncated,
    };
  } catch (error) {
    throw new ScportraitError(
      "PROJECT_INVALID",
      `The tile result ${file} is damaged: rerun the segmentation with --overwrite.`,
      { cause: error },
    );
  }
}
