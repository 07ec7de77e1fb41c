// deno-lint-ignore-file verbatim-module-syntax -- AssemblyScript has no `import type`
/**
 * bbox-selection: each cell's cutting shape is its bounding box grown by `dilation` pixels (a
 * rectangle polygon in global pixel coordinates), and the cutting order is a greedy
 * nearest-neighbour walk that starts at shape 0.
 * @module
 */

import { RawArray } from "../../sdk/assembly/memory";
import { Params } from "../../sdk/assembly/params";
import { CellMask, CuttingShape } from "../../sdk/assembly/selection";

/** One rectangle per cell with at least one mask pixel (empty masks give no shape). */
export function shapes(cells: CellMask[], params: Params): CuttingShape[] | null {
  const d = <f32> params.numberIn("dilation", 0, 0, 1000);
  const out = new Array<CuttingShape>();
  for (let i = 0; i < cells.length; i++) {
    const c = unchecked(cells[i]);
    let y0 = i32.MAX_VALUE, x0 = i32.MAX_VALUE, y1 = -1, x1 = -1;
    for (let y = 0; y < c.height; y++) {
      for (let x = 0; x < c.width; x++) {
        if (!c.inside(y, x)) continue;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
      }
    }
    if (y1 < 0) continue;
    // Pixel (y, x) covers [x, x+1) × [y, y+1): the box runs from the first pixel's corner to
    // the far corner of the last pixel.
    const left = <f32> (c.originX + x0) - d, right = <f32> (c.originX + x1 + 1) + d;
    const top = <f32> (c.originY + y0) - d, bottom = <f32> (c.originY + y1 + 1) + d;
    const poly = RawArray.withCapacity<f32>(8);
    poly.push(left);
    poly.push(top);
    poly.push(right);
    poly.push(top);
    poly.push(right);
    poly.push(bottom);
    poly.push(left);
    poly.push(bottom);
    out.push(new CuttingShape([c.id], poly));
  }
  return out;
}

/** Greedy nearest neighbour from shape 0; ties go to the lower index. */
export function pathOrder(centroids: RawArray<f32>, _params: Params): RawArray<u32> | null {
  const n = centroids.length / 2;
  const order = RawArray.withCapacity<u32>(n);
  if (n == 0) return order;
  const used = RawArray.zeroed<u8>(n);
  let cur = 0;
  used.set(0, 1);
  order.push(0);
  for (let step = 1; step < n; step++) {
    const cx = <f64> centroids.get(2 * cur), cy = <f64> centroids.get(2 * cur + 1);
    let best = -1;
    let bestD = Infinity;
    for (let j = 0; j < n; j++) {
      if (used.get(j) != 0) continue;
      const dx = <f64> centroids.get(2 * j) - cx, dy = <f64> centroids.get(2 * j + 1) - cy;
      const dist = dx * dx + dy * dy;
      if (dist < bestD) {
        bestD = dist;
        best = j;
      }
    }
    used.set(best, 1);
    order.push(<u32> best);
    cur = best;
  }
  used.dispose();
  return order;
}
