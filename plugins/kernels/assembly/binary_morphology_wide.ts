/**
 * Binary erosion and dilation for footprints with half-widths of 255 or more (the u8 distances
 * of `binary_morphology.ts` saturate there), same semantics:
 * - erosion = `scipy.ndimage.binary_erosion(structure=disk, border_value=True)`, which is what
 *   `skimage.morphology.binary_erosion` calls: pixels outside the image count as set;
 * - dilation = `skimage.morphology.dilation` of a 0/1 image (`ndimage.grey_dilation`, mode
 *   `reflect`), which for a symmetric footprint equals ignoring pixels outside the image.
 *
 * Both use, per row, the horizontal distance to the nearest zero (erosion) or non-zero pixel
 * (dilation), stored as u16 (saturated at 65535, beyond any half-width an image can use); a
 * pixel is then decided by one comparison per footprint row, one pixel at a time.
 * @module
 */

const FAR: i32 = 0xffff;

/**
 * Row `y`'s distance along x to the nearest pixel whose "set" state equals `target`, as u16
 * saturated at `FAR` (footprint half-widths are far smaller).
 */
function rowDistances(src: usize, y: i32, width: i32, target: bool, dist: usize): void {
  const row = src + <usize> y * <usize> width;
  const d = dist + ((<usize> y * <usize> width) << 1);
  let last = -FAR;
  for (let x = 0; x < width; x++) {
    if ((load<u8>(row + <usize> x) != 0) == target) last = x;
    store<u16>(d + (<usize> x << 1), <u16> min(x - last, FAR));
  }
  last = 0x7fffffff;
  for (let x = width - 1; x >= 0; x--) {
    if ((load<u8>(row + <usize> x) != 0) == target) last = x;
    if (last != 0x7fffffff) {
      const p = d + (<usize> x << 1);
      store<u16>(p, <u16> min(<i32> load<u16>(p), last - x));
    }
  }
}

/**
 * Output row `y`: a pixel is "hit" when some footprint row `k` has a target pixel within its
 * half-width; erosion keeps set pixels that are not hit, dilation sets hit pixels.
 */
function morphRow(
  src: usize,
  dst: usize,
  dist: usize,
  y: i32,
  height: i32,
  width: i32,
  halfWidths: StaticArray<i32>,
  erode: bool,
): void {
  const r = (halfWidths.length - 1) >> 1;
  const out = dst + <usize> y * <usize> width;
  const row = src + <usize> y * <usize> width;
  const k0 = max(0, r - y);
  const k1 = min(2 * r, height - 1 - y + r);
  for (let x = 0; x < width; x++) {
    if (erode && load<u8>(row + <usize> x) == 0) {
      store<u8>(out + <usize> x, 0);
      continue;
    }
    let hit = false;
    for (let k = k0; !hit && k <= k1; k++) {
      const yy = y + k - r;
      const d = <i32> load<u16>(dist + ((<usize> yy * <usize> width + <usize> x) << 1));
      if (d <= unchecked(halfWidths[k])) hit = true;
    }
    store<u8>(out + <usize> x, erode ? (hit ? 0 : 1) : (hit ? 1 : 0));
  }
}

/**
 * Erodes (`erode`) or dilates `src` into `dst` (u8, `height * width`, may not alias) with the
 * footprint rows `halfWidths` (see `disk.ts`). For erosion pixels outside the image count as set,
 * for dilation as unset.
 */
export function binaryMorphWide(
  src: usize,
  dst: usize,
  height: i32,
  width: i32,
  halfWidths: StaticArray<i32>,
  erode: bool,
): void {
  const dist = heap.alloc((<usize> height * <usize> width) << 1);
  for (let y = 0; y < height; y++) rowDistances(src, y, width, !erode, dist);
  for (let y = 0; y < height; y++) morphRow(src, dst, dist, y, height, width, halfWidths, erode);
  heap.free(dist);
}
