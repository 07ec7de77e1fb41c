/**
 * Marker-based watershed with the semantics of `skimage.segmentation.watershed(image, markers,
 * mask=…, connectivity=1|2)` (compactness 0, no watershed line): markers outside the mask are
 * dropped; marker pixels enter a min-heap in raster order with age 0; each popped pixel labels
 * its unlabelled in-mask neighbours (order up, left, right, down, then the diagonals) at push
 * time, each push getting the next age; pixels outside the image are never visited.
 * @module
 */

import { MinHeap } from "./min_heap";

/**
 * Floods `image` (f64, `height * width`) from `markers` (u32, 0 = none) inside `mask` (u8,
 * 0 = excluded; pass 0 for "everything") into `out` (u32). `connectivity` is 1 (4-neighbours)
 * or 2 (8-neighbours).
 */
export function watershed(
  image: usize,
  markers: usize,
  mask: usize,
  out: usize,
  height: i32,
  width: i32,
  connectivity: i32,
): void {
  const n = height * width;
  const hp = new MinHeap(1024);
  for (let i = 0; i < n; i++) {
    let m = load<u32>(markers + (<usize> i << 2));
    if (mask != 0 && load<u8>(mask + <usize> i) == 0) m = 0;
    store<u32>(out + (<usize> i << 2), m);
    if (m != 0) hp.push(load<f64>(image + (<usize> i << 3)), 0, i);
  }
  const dy = StaticArray.fromArray<i32>([-1, 0, 0, 1, -1, -1, 1, 1]);
  const dx = StaticArray.fromArray<i32>([0, -1, 1, 0, -1, 1, -1, 1]);
  const nn = connectivity >= 2 ? 8 : 4;
  let age = 1;
  while (hp.size > 0) {
    const p = hp.topIndex();
    hp.pop();
    const y = p / width;
    const x = p - y * width;
    const label = load<u32>(out + (<usize> p << 2));
    for (let k = 0; k < nn; k++) {
      const yy = y + unchecked(dy[k]);
      const xx = x + unchecked(dx[k]);
      if (yy < 0 || yy >= height || xx < 0 || xx >= width) continue;
      const q = yy * width + xx;
      if (mask != 0 && load<u8>(mask + <usize> q) == 0) continue;
      if (load<u32>(out + (<usize> q << 2)) != 0) continue;
      age++;
      store<u32>(out + (<usize> q << 2), label);
      hp.push(load<f64>(image + (<usize> q << 3)), age, q);
    }
  }
  hp.dispose();
}
