/**
 * Connected-component labelling of a u8 mask, as `skimage.measure.label(mask,
 * connectivity=1|2)`: labels 1..N numbered in raster order of each component's first pixel.
 * Two passes with union-find over provisional labels.
 * @module
 */

function find(parent: usize, x: u32): u32 {
  let r = x;
  while (load<u32>(parent + (<usize> r << 2)) != r) r = load<u32>(parent + (<usize> r << 2));
  while (x != r) {
    const next = load<u32>(parent + (<usize> x << 2));
    store<u32>(parent + (<usize> x << 2), r);
    x = next;
  }
  return r;
}

function unite(parent: usize, a: u32, b: u32): u32 {
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
 * Labels the non-zero pixels of `mask` (u8, `height * width`) into `out` (u32) and returns the
 * number of components. `connectivity` 1 = 4-neighbours, 2 = 8-neighbours.
 */
export function labelComponents(
  mask: usize,
  out: usize,
  height: i32,
  width: i32,
  connectivity: i32,
): u32 {
  const n = <usize> height * <usize> width;
  let cap: usize = 1024;
  let parent = heap.alloc(cap << 2);
  store<u32>(parent, 0);
  let next: u32 = 1;
  const diag = connectivity >= 2;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = <usize> y * <usize> width + <usize> x;
      if (load<u8>(mask + i) == 0) {
        store<u32>(out + (i << 2), 0);
        continue;
      }
      let l: u32 = 0;
      if (x > 0) l = load<u32>(out + ((i - 1) << 2));
      if (y > 0) {
        const up = load<u32>(out + ((i - <usize> width) << 2));
        if (up != 0) l = l == 0 ? up : unite(parent, l, up);
        if (diag) {
          if (x > 0) {
            const ul = load<u32>(out + ((i - <usize> width - 1) << 2));
            if (ul != 0) l = l == 0 ? ul : unite(parent, l, ul);
          }
          if (x + 1 < width) {
            const ur = load<u32>(out + ((i - <usize> width + 1) << 2));
            if (ur != 0) l = l == 0 ? ur : unite(parent, l, ur);
          }
        }
      }
      if (l == 0) {
        if (<usize> next == cap) {
          cap <<= 1;
          parent = heap.realloc(parent, cap << 2);
        }
        store<u32>(parent + (<usize> next << 2), next);
        l = next++;
      }
      store<u32>(out + (i << 2), l);
    }
  }
  // resolve: roots are the smallest provisional label of their set, so numbering roots in
  // increasing provisional order is raster order of first pixels
  const final = heap.alloc(<usize> next << 2);
  let count: u32 = 0;
  for (let k: u32 = 1; k < next; k++) {
    const r = find(parent, k);
    if (r == k) store<u32>(final + (<usize> k << 2), ++count);
  }
  for (let k: u32 = 1; k < next; k++) {
    store<u32>(final + (<usize> k << 2), load<u32>(final + (<usize> find(parent, k) << 2)));
  }
  for (let i: usize = 0; i < n; i++) {
    const v = load<u32>(out + (i << 2));
    if (v != 0) store<u32>(out + (i << 2), load<u32>(final + (<usize> v << 2)));
  }
  heap.free(final);
  heap.free(parent);
  return count;
}
