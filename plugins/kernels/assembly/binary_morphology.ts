/**
 * Binary erosion and dilation of u8 masks (0 / non-zero) with a row-run footprint (a disk):
 * - erosion = `scipy.ndimage.binary_erosion(structure=disk, border_value=True)`, which is what
 *   `skimage.morphology.binary_erosion` calls: pixels outside the image count as set;
 * - dilation = `skimage.morphology.dilation` of a 0/1 image (`ndimage.grey_dilation`, mode
 *   `reflect`), which for a symmetric footprint equals ignoring pixels outside the image.
 *
 * Both use, per row, the horizontal distance to the nearest zero (erosion) or non-zero pixel
 * (dilation); a pixel is then decided by one comparison per footprint row.
 * @module
 */

const FAR: i32 = 0x3fffffff;

/** Per-row distance along x to the nearest pixel whose "set" state equals `target`. */
function rowDistances(
  src: usize,
  height: i32,
  width: i32,
  target: bool,
  dist: usize,
): void {
  for (let y = 0; y < height; y++) {
    const row = src + <usize> y * <usize> width;
    const d = dist + ((<usize> y * <usize> width) << 2);
    let last = -FAR;
    for (let x = 0; x < width; x++) {
      if ((load<u8>(row + <usize> x) != 0) == target) last = x;
      store<i32>(d + (<usize> x << 2), last == -FAR ? FAR : x - last);
    }
    last = FAR;
    for (let x = width - 1; x >= 0; x--) {
      if ((load<u8>(row + <usize> x) != 0) == target) last = x;
      if (last != FAR) {
        const p = d + (<usize> x << 2);
        store<i32>(p, min(load<i32>(p), last - x));
      }
    }
  }
}

/**
 * Erodes `src` into `dst` (u8, `height * width`, may not alias) with the footprint rows
 * `halfWidths` (see `disk.ts`). Pixels outside the image count as set.
 */
export function binaryErode(
  src: usize,
  dst: usize,
  height: i32,
  width: i32,
  halfWidths: StaticArray<i32>,
): void {
  const n = <usize> height * <usize> width;
  const dist = heap.alloc(n << 2);
  rowDistances(src, height, width, false, dist);
  const r = (halfWidths.length - 1) >> 1;
  for (let y = 0; y < height; y++) {
    const out = dst + <usize> y * <usize> width;
    for (let x = 0; x < width; x++) {
      let keep: bool = load<u8>(src + <usize> y * <usize> width + <usize> x) != 0;
      for (let k = 0; keep && k <= 2 * r; k++) {
        const yy = y + k - r;
        if (yy < 0 || yy >= height) continue;
        const d = load<i32>(dist + ((<usize> yy * <usize> width + <usize> x) << 2));
        if (d <= unchecked(halfWidths[k])) keep = false;
      }
      store<u8>(out + <usize> x, keep ? 1 : 0);
    }
  }
  heap.free(dist);
}

/**
 * Dilates `src` into `dst` (u8, `height * width`, may not alias) with the footprint rows
 * `halfWidths`. Pixels outside the image count as unset.
 */
export function binaryDilate(
  src: usize,
  dst: usize,
  height: i32,
  width: i32,
  halfWidths: StaticArray<i32>,
): void {
  const n = <usize> height * <usize> width;
  const dist = heap.alloc(n << 2);
  rowDistances(src, height, width, true, dist);
  const r = (halfWidths.length - 1) >> 1;
  for (let y = 0; y < height; y++) {
    const out = dst + <usize> y * <usize> width;
    for (let x = 0; x < width; x++) {
      let set = false;
      for (let k = 0; !set && k <= 2 * r; k++) {
        const yy = y + k - r;
        if (yy < 0 || yy >= height) continue;
        const d = load<i32>(dist + ((<usize> yy * <usize> width + <usize> x) << 2));
        if (d <= unchecked(halfWidths[k])) set = true;
      }
      store<u8>(out + <usize> x, set ? 1 : 0);
    }
  }
  heap.free(dist);
}
