/**
 * Mask outlines for overlays: the inner boundary of every label — a labelled pixel with a
 * 4-neighbour of another value (background or another cell) — as skimage's
 * `find_boundaries(labels, connectivity=1, mode="inner")`; pixels beyond the raster edge count
 * as equal to the edge pixel (scipy's "reflect"), so the raster edge itself is no boundary.
 * @module
 */

/** RGB colour of an outline. */
export type Rgb = readonly [number, number, number];

/** 1 where a pixel of `ids` (`height × width`, row-major) is on the inner boundary of its label. */
export function innerBoundaries(
  ids: ArrayLike<number>,
  height: number,
  width: number,
): Uint8Array {
  const out = new Uint8Array(height * width);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      const i = row + x;
      const v = ids[i];
      if (v === 0) continue;
      if (
        (x > 0 && ids[i - 1] !== v) || (x + 1 < width && ids[i + 1] !== v) ||
        (y > 0 && ids[i - width] !== v) || (y + 1 < height && ids[i + width] !== v)
      ) {
        out[i] = 1;
      }
    }
  }
  return out;
}

/** Paints `color` into `rgb` (interleaved RGB) wherever `boundary` is set; returns the count. */
export function paintOutline(rgb: Uint8Array, boundary: Uint8Array, color: Rgb): number {
  let n = 0;
  for (let i = 0; i < boundary.length; i++) {
    if (boundary[i] === 0) continue;
    rgb[3 * i] = color[0];
    rgb[3 * i + 1] = color[1];
    rgb[3 * i + 2] = color[2];
    n++;
  }
  return n;
}
