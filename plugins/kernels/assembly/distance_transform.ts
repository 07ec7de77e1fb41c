/**
 * Exact Euclidean distance transform (`scipy.ndimage.distance_transform_edt` of a mask): the
 * distance of every set pixel to the nearest unset pixel, unset pixels 0. Felzenszwalb &
 * Huttenlocher's lower envelope of parabolas, columns then rows, on integer squared distances,
 * so the result is exact; `sqrt` in f64 reproduces scipy's values bit for bit.
 * Pixels outside the image are not background. Without any background pixel every distance is
 * `EDT_INFINITE` (scipy returns meaningless distances from a virtual corner there).
 * @module
 */

/** Squared distance reported where no background pixel exists. */
export const EDT_INFINITE: u32 = 0xffffffff;

const INF: i64 = 0x3fffffffffff;

/** 1-D squared distance transform of `f` (n values, i64, INF = no source) into `d`. */
function edt1d(f: usize, n: i32, d: usize, v: usize, z: usize): void {
  let k = 0;
  let first = -1;
  for (let q = 0; q < n; q++) {
    if (load<i64>(f + (<usize> q << 3)) >= INF) continue;
    if (first < 0) {
      first = q;
      store<i32>(v, q);
      k = 0;
      continue;
    }
    const fq = load<i64>(f + (<usize> q << 3)) + <i64> q * <i64> q;
    while (true) {
      const p = load<i32>(v + (<usize> k << 2));
      const fp = load<i64>(f + (<usize> p << 3)) + <i64> p * <i64> p;
      // intersection abscissa s = (fq - fp) / (2(q - p)), compared as a fraction
      const num = fq - fp;
      const den = <i64> (2 * (q - p));
      if (k > 0) {
        const zk = load<f64>(z + (<usize> k << 3));
        if (<f64> num / <f64> den <= zk) {
          k--;
          continue;
        }
      }
      k++;
      store<i32>(v + (<usize> k << 2), q);
      store<f64>(z + (<usize> k << 3), <f64> num / <f64> den);
      break;
    }
  }
  if (first < 0) {
    for (let q = 0; q < n; q++) store<i64>(d + (<usize> q << 3), INF);
    return;
  }
  let j = 0;
  for (let q = 0; q < n; q++) {
    while (j < k && load<f64>(z + (<usize> (j + 1) << 3)) < <f64> q) j++;
    const p = load<i32>(v + (<usize> j << 2));
    const dq = <i64> (q - p);
    store<i64>(d + (<usize> q << 3), dq * dq + load<i64>(f + (<usize> p << 3)));
  }
}

/**
 * Squared distances (u32) of the set pixels of `mask` (u8, `height * width`) to the nearest
 * unset pixel, into `out` (u32). Unset pixels get 0; see {@link EDT_INFINITE}.
 * Columns are transformed 8 at a time (so each mask row read fills 8 column buffers from one
 * cache line) into `out` as an intermediate, then rows in place; every column block and row is
 * its own call, so V8 optimises them after the first few, even on the first call.
 */
export function squaredDistanceTransform(mask: usize, out: usize, height: i32, width: i32): void {
  const n = max(height, width);
  const f = heap.alloc(<usize> n << 6);
  const d = heap.alloc(<usize> n << 3);
  const v = heap.alloc(<usize> n << 2);
  const z = heap.alloc(<usize> (n + 1) << 3);
  for (let x = 0; x < width; x += 8) {
    columnBlock(mask, out, height, width, x, min(8, width - x), f, d, v, z);
  }
  for (let y = 0; y < height; y++) rowPass(out, y, width, f, d, v, z);
  heap.free(z);
  heap.free(v);
  heap.free(d);
  heap.free(f);
}

/** Columns `x0 .. x0 + count - 1`: 1-D transforms of the mask columns into `out` (u32). */
function columnBlock(
  mask: usize,
  out: usize,
  height: i32,
  width: i32,
  x0: i32,
  count: i32,
  f: usize,
  d: usize,
  v: usize,
  z: usize,
): void {
  // gather: f holds `count` columns of `height` i64 values, column c at f + c * height * 8
  for (let y = 0; y < height; y++) {
    const row = mask + <usize> y * <usize> width + <usize> x0;
    for (let c = 0; c < count; c++) {
      const set = load<u8>(row + <usize> c) != 0;
      store<i64>(f + ((<usize> c * <usize> height + <usize> y) << 3), set ? INF : 0);
    }
  }
  for (let c = 0; c < count; c++) {
    const col = f + ((<usize> c * <usize> height) << 3);
    edt1d(col, height, d, v, z);
    // keep the column result in f (edt1d reads f only before writing d)
    memory.copy(col, d, <usize> height << 3);
  }
  for (let y = 0; y < height; y++) {
    const row = out + ((<usize> y * <usize> width + <usize> x0) << 2);
    for (let c = 0; c < count; c++) {
      const s = load<i64>(f + ((<usize> c * <usize> height + <usize> y) << 3));
      store<u32>(row + (<usize> c << 2), s >= INF ? EDT_INFINITE : <u32> s);
    }
  }
}

/** Row `y` of `out`: 1-D transform of the column results, in place. */
function rowPass(out: usize, y: i32, width: i32, f: usize, d: usize, v: usize, z: usize): void {
  const row = out + ((<usize> y * <usize> width) << 2);
  for (let x = 0; x < width; x++) {
    const s = load<u32>(row + (<usize> x << 2));
    store<i64>(f + (<usize> x << 3), s == EDT_INFINITE ? INF : <i64> s);
  }
  edt1d(f, width, d, v, z);
  for (let x = 0; x < width; x++) {
    const s = load<i64>(d + (<usize> x << 3));
    store<u32>(row + (<usize> x << 2), s >= INF ? EDT_INFINITE : <u32> s);
  }
}

/** `sqrt` of squared distances (u32 at `src`) as f64 at `dst` (Infinity for EDT_INFINITE). */
export function distanceFromSquared(src: usize, dst: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const s = load<u32>(src + (<usize> i << 2));
    store<f64>(dst + (<usize> i << 3), s == EDT_INFINITE ? Infinity : Math.sqrt(<f64> s));
  }
}
