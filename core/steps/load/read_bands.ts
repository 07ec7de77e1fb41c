/**
 * Plans how the load step reads a source: one window per chunk for tiled files, or one band of a
 * chunk row's height across the whole width for strip files (decoding each strip once), each
 * band listing the chunks cut from it.
 * @module
 */
import type { ImageSource, PixelWindow } from "../../io/image_source.ts";

/** A level-0 chunk to cut out of a band. */
export interface BandChunk {
  /** Chunk's first row. */
  y0: number;
  /** Chunk's first column. */
  x0: number;
  /** Rows (smaller at the bottom edge). */
  h: number;
  /** Columns (smaller at the right edge). */
  w: number;
}

/** One read of one channel and the chunks it feeds. */
export interface ReadBand {
  /** Channel index. */
  channel: number;
  /** Window read from the source. */
  window: PixelWindow;
  /** Chunks inside the window. */
  chunks: BandChunk[];
}

/** Bands wider than this many pixels are split into chunk-wide windows to bound memory. */
const MAX_BAND_PIXELS = 64 * 1024 * 1024;

/** Splits `source` into reads aligned to a `chunk` × `chunk` grid. */
export function planBands(source: ImageSource, chunk: number): ReadBand[] {
  const [blockH, blockW] = source.blockShape;
  const stripFile = blockW >= source.width && blockH < chunk;
  const bandWidth = stripFile && chunk * source.width <= MAX_BAND_PIXELS
    ? Math.ceil(source.width / chunk) * chunk
    : chunk;
  const bands: ReadBand[] = [];
  for (let channel = 0; channel < source.channels; channel++) {
    for (let y = 0; y < source.height; y += chunk) {
      const height = Math.min(chunk, source.height - y);
      for (let x = 0; x < source.width; x += bandWidth) {
        const width = Math.min(bandWidth, source.width - x);
        const chunks: BandChunk[] = [];
        for (let x0 = x; x0 < x + width; x0 += chunk) {
          chunks.push({ y0: y, x0, h: height, w: Math.min(chunk, source.width - x0) });
        }
        bands.push({ channel, window: { y, x, height, width }, chunks });
      }
    }
  }
  return bands;
}
