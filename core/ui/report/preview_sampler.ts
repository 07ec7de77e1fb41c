/**
 * Small previews of large rasters without reading level 0 whole: the preview size is the
 * level-0 size scaled to fit `maxSide`; pixels are sampled (nearest, pixel centres) from the
 * coarsest pyramid level that is still at least as large as the preview, read one chunk at a
 * time, so memory stays at one chunk plus the preview.
 * @module
 */
import type { PixelWindow } from "../../io/image_source.ts";
import type { LevelInfo } from "../../io/ome_zarr/ome_zarr_image.ts";

/** Where a preview comes from and how it maps to level 0. */
export interface PreviewGeometry {
  /** Preview height in pixels. */
  height: number;
  /** Preview width in pixels. */
  width: number;
  /** Level-0 height. */
  fullHeight: number;
  /** Level-0 width. */
  fullWidth: number;
}

/** A raster with pyramid levels that can be read by window (image channel or labels). */
export interface LevelReader<T extends ArrayLike<number>> {
  /** Every level, full resolution first. */
  levels: readonly LevelInfo[];
  /** Reads `window` of `level` (row-major, `height × width` values). */
  read(level: number, window: PixelWindow): Promise<T>;
}

/** The preview size of a `fullHeight × fullWidth` raster whose longer side fits `maxSide`. */
export function previewGeometry(
  fullHeight: number,
  fullWidth: number,
  maxSide = 1024,
): PreviewGeometry {
  const scale = Math.min(1, maxSide / Math.max(fullHeight, fullWidth));
  return {
    height: Math.max(1, Math.round(fullHeight * scale)),
    width: Math.max(1, Math.round(fullWidth * scale)),
    fullHeight,
    fullWidth,
  };
}

/** Index of the coarsest level at least as large as the preview in both directions. */
export function levelForPreview(levels: readonly LevelInfo[], geometry: PreviewGeometry): number {
  let best = 0;
  levels.forEach((level, i) => {
    if (level.height >= geometry.height && level.width >= geometry.width) best = i;
  });
  return best;
}

/** For each of `n` preview positions, the source index (nearest to the pixel centre). */
function sampleMap(n: number, size: number): Int32Array {
  const map = new Int32Array(n);
  for (let i = 0; i < n; i++) map[i] = Math.min(size - 1, Math.floor(((i + 0.5) * size) / n));
  return map;
}

/** First preview index whose source index is ≥ `start` (maps are non-decreasing). */
function firstAtLeast(map: Int32Array, start: number): number {
  let lo = 0;
  let hi = map.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (map[mid] < start) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Samples the preview of `source` into `out` (`geometry.height × geometry.width` values), chunk
 * by chunk of the chosen level. `onChunk` is called after each chunk (progress).
 */
export async function samplePreview<T extends ArrayLike<number>>(
  source: LevelReader<T>,
  geometry: PreviewGeometry,
  out: { [i: number]: number; length: number },
  onChunk?: () => void,
): Promise<void> {
  const level = levelForPreview(source.levels, geometry);
  const info = source.levels[level];
  const rows = sampleMap(geometry.height, info.height);
  const cols = sampleMap(geometry.width, info.width);
  const [ch, cw] = info.chunk;
  for (let y0 = 0; y0 < info.height; y0 += ch) {
    const h = Math.min(ch, info.height - y0);
    const r0 = firstAtLeast(rows, y0);
    const r1 = firstAtLeast(rows, y0 + h);
    if (r0 === r1) continue;
    for (let x0 = 0; x0 < info.width; x0 += cw) {
      const w = Math.min(cw, info.width - x0);
      const c0 = firstAtLeast(cols, x0);
      const c1 = firstAtLeast(cols, x0 + w);
      if (c0 === c1) continue;
      // read only the rows/columns of this chunk that are sampled
      const window = {
        y: rows[r0],
        x: cols[c0],
        height: rows[r1 - 1] - rows[r0] + 1,
        width: cols[c1 - 1] - cols[c0] + 1,
      };
      const data = await source.read(level, window);
      for (let r = r0; r < r1; r++) {
        const src = (rows[r] - window.y) * window.width - window.x;
        const dst = r * geometry.width;
        for (let c = c0; c < c1; c++) out[dst + c] = data[src + cols[c]];
      }
      onChunk?.();
    }
  }
}

/** Number of chunks {@link samplePreview} reads (for progress totals). */
export function previewChunkCount(levels: readonly LevelInfo[], geometry: PreviewGeometry): number {
  const info = levels[levelForPreview(levels, geometry)];
  return Math.ceil(info.height / info.chunk[0]) * Math.ceil(info.width / info.chunk[1]);
}
