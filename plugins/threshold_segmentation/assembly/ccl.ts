// deno-lint-ignore-file verbatim-module-syntax -- AssemblyScript has no `import type`
/**
 * Two-pass 8-connected component labelling of `plane > threshold` with union-find.
 * Final labels are numbered 1.. in raster order of each object's first pixel (as
 * `skimage.measure.label`), which is also the object's anchor.
 * @module
 */

import { RawArray } from "../../sdk/assembly/memory";
import { ObjectList } from "../../sdk/assembly/segmentation";

function find(parent: usize, x: u32): u32 {
  let r = x;
  while (load<u32>(parent + (<usize> r << 2)) != r) r = load<u32>(parent + (<usize> r << 2));
  // path compression
  while (x != r) {
    const next = load<u32>(parent + (<usize> x << 2));
    store<u32>(parent + (<usize> x << 2), r);
    x = next;
  }
  return r;
}

function union(parent: usize, a: u32, b: u32): u32 {
  const ra = find(parent, a);
  const rb = find(parent, b);
  if (ra < rb) {
    store<u32>(parent + (<usize> rb << 2), ra);
    return ra;
  }
  if (rb < ra) store<u32>(parent + (<usize> ra << 2), rb);
  return rb;
}

/**
 * Labels `plane` (u16, `height * width`) into `labels` (zeroed, same size) and appends one
 * entry per object to `objects` with its anchor in global coordinates.
 */
export function labelComponents(
  plane: usize,
  height: i32,
  width: i32,
  threshold: f64,
  labels: RawArray<u32>,
  objects: ObjectList,
  originY: i32,
  originX: i32,
): void {
  // Integer pixels: v > threshold  <=>  v > floor(threshold) (for threshold >= 0).
  const t: i32 = threshold < 0 ? -1 : <i32> Math.min(Math.floor(threshold), 65535);
  const parent = RawArray.withCapacity<u32>(1024);
  parent.push(0);
  const out = labels.ptr;
  let next: u32 = 1;
  for (let y = 0; y < height; y++) {
    const row = plane + ((<usize> y * <usize> width) << 1);
    const lrow = out + ((<usize> y * <usize> width) << 2);
    const prev = lrow - (<usize> width << 2);
    for (let x = 0; x < width; x++) {
      if (<i32> load<u16>(row + (<usize> x << 1)) <= t) continue;
      let l: u32 = 0;
      if (x > 0) l = load<u32>(lrow + (<usize> (x - 1) << 2));
      if (y > 0) {
        const p = parent.ptr;
        if (x > 0) {
          const nw = load<u32>(prev + (<usize> (x - 1) << 2));
          if (nw != 0) l = l == 0 ? nw : union(p, l, nw);
        }
        const n = load<u32>(prev + (<usize> x << 2));
        if (n != 0) l = l == 0 ? n : union(p, l, n);
        if (x + 1 < width) {
          const ne = load<u32>(prev + (<usize> (x + 1) << 2));
          if (ne != 0) l = l == 0 ? ne : union(parent.ptr, l, ne);
        }
      }
      if (l == 0) {
        l = next++;
        parent.push(l);
      }
      store<u32>(lrow + (<usize> x << 2), l);
    }
  }
  // Second pass: final labels in raster order of first pixel; anchor and area per object.
  const count = <i32> next;
  const final = RawArray.zeroed<u32>(count);
  const areas = RawArray.withCapacity<u32>(256);
  const anchors = RawArray.withCapacity<u32>(512);
  let nextFinal: u32 = 0;
  const p = parent.ptr;
  for (let y = 0; y < height; y++) {
    const lrow = out + ((<usize> y * <usize> width) << 2);
    for (let x = 0; x < width; x++) {
      const l = load<u32>(lrow + (<usize> x << 2));
      if (l == 0) continue;
      const r = find(p, l);
      let f = final.get(<i32> r);
      if (f == 0) {
        f = ++nextFinal;
        final.set(<i32> r, f);
        areas.push(0);
        anchors.push(<u32> (originY + y));
        anchors.push(<u32> (originX + x));
      }
      store<u32>(lrow + (<usize> x << 2), f);
      areas.set(<i32> f - 1, areas.get(<i32> f - 1) + 1);
    }
  }
  for (let i = 0; i < <i32> nextFinal; i++) {
    objects.push(<u32> (i + 1), anchors.get(2 * i), anchors.get(2 * i + 1), areas.get(i));
  }
  parent.dispose();
  final.dispose();
  areas.dispose();
  anchors.dispose();
}
