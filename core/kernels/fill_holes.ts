/**
 * Binary hole filling as `scipy.ndimage.binary_fill_holes` with its default structure: background
 * pixels not 4-connected to the image border become foreground. Works on the bounding box of the
 * foreground plus a one-pixel ring, which gives the same result as the whole image.
 * @module
 */

/** Inclusive-exclusive box `[y0, y1) × [x0, x1)`; empty when y1 <= y0. */
export interface Box {
  /** First row. */
  y0: number;
  /** Row after the last. */
  y1: number;
  /** First column. */
  x0: number;
  /** Column after the last. */
  x1: number;
}

/** Bounding box of the non-zero pixels of an h×w mask (`y1 = 0` when empty). */
export function boundingBox(mask: Uint8Array, height: number, width: number): Box {
  let y0 = height, y1 = 0, x0 = width, x1 = 0;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (mask[row + x]) {
        if (y < y0) y0 = y;
        y1 = y + 1;
        if (x < x0) x0 = x;
        if (x + 1 > x1) x1 = x + 1;
      }
    }
  }
  return y1 === 0 ? { y0: 0, y1: 0, x0: 0, x1: 0 } : { y0, y1, x0, x1 };
}

let gridScratch = new Uint8Array(0);
let stackScratch = new Int32Array(0);

/** Fills holes of the 0/1 `mask` (h×w) in place inside `box` (its foreground bounding box). */
export function fillHoles(mask: Uint8Array, width: number, box: Box): void {
  const bh = box.y1 - box.y0 + 2;
  const bw = box.x1 - box.x0 + 2;
  if (bh <= 2) return;
  // padded copy: 1 = foreground, 0 = background, 2 = background reached from outside (scratch
  // reused between calls: one cell after another would otherwise allocate twice per mask)
  if (gridScratch.length < bh * bw) {
    gridScratch = new Uint8Array(bh * bw);
    stackScratch = new Int32Array(bh * bw);
  }
  const grid = gridScratch.subarray(0, bh * bw);
  grid.fill(0, 0, bw);
  grid.fill(0, (bh - 1) * bw);
  for (let y = 1; y < bh - 1; y++) {
    grid[y * bw] = grid[y * bw + bw - 1] = 0;
    const src = (box.y0 + y - 1) * width + box.x0 - 1;
    for (let x = 1; x < bw - 1; x++) grid[y * bw + x] = mask[src + x];
  }
  const stack = stackScratch;
  let top = 0;
  stack[top++] = 0;
  grid[0] = 2;
  while (top > 0) {
    const p = stack[--top];
    const y = (p / bw) | 0;
    const x = p - y * bw;
    if (x > 0 && grid[p - 1] === 0) grid[p - 1] = 2, stack[top++] = p - 1;
    if (x < bw - 1 && grid[p + 1] === 0) grid[p + 1] = 2, stack[top++] = p + 1;
    if (y > 0 && grid[p - bw] === 0) grid[p - bw] = 2, stack[top++] = p - bw;
    if (y < bh - 1 && grid[p + bw] === 0) grid[p + bw] = 2, stack[top++] = p + bw;
  }
  for (let y = 1; y < bh - 1; y++) {
    const dst = (box.y0 + y - 1) * width + box.x0;
    for (let x = 1; x < bw - 1; x++) {
      if (grid[y * bw + x] === 0) mask[dst + x - 1] = 1;
    }
  }
}
