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
 * The column pass needs no parabolas (its input is 0 or infinity): two scans over the rows,
 * 16 columns at a time with wasm SIMD, give each pixel's distance to the nearest unset pixel in
 * its column (u16; images of 65535 rows or more use the parabola pass on 8 columns at a time).
 * Its squares go to `out` as an intermediate, then rows are transformed in place; every row
 * (or column block) is its own call, so V8 optimises them after the first few, even on the
 * first call.
 */
export function squaredDistanceTransform(mask: usize, out: usize, height: i32, width: i32): void {
  if (height < 0xffff) {
    // column distances to the nearest unset pixel by two linear scans (exact integers, the
    // same values the parabola envelope gives for a 0 / infinity input)
    const state = heap.alloc(<usize> (width + 16) << 1);
    memory.fill(state, 0xff, <usize> (width + 16) << 1);
    for (let y = 0; y < height; y++) columnsDown(mask, out, y, width, state);
    memory.fill(state, 0xff, <usize> (width + 16) << 1);
    for (let y = height - 1; y >= 0; y--) columnsUp(mask, out, y, width, state);
    heap.free(state);
  } else {
    const f = heap.alloc(<usize> height << 6);
    const d = heap.alloc(<usize> height << 3);
    const v = heap.alloc(<usize> height << 2);
    const z = heap.alloc(<usize> (height + 1) << 3);
    for (let x = 0; x < width; x += 8) {
      columnBlock(mask, out, height, width, x, min(8, width - x), f, d, v, z);
    }
    heap.free(z);
    heap.free(v);
    heap.free(d);
    heap.free(f);
  }
  const envelope = heap.alloc(<usize> (width + 1) << 5);
  for (let y = 0; y < height; y++) {
    rowPass(out + ((<usize> y * <usize> width) << 2), width, envelope);
  }
  heap.free(envelope);
}

/** No unset pixel in the column so far (u16 distances saturate here). */
const NONE: i32 = 0xffff;

/**
 * Row `y` of the downward scan: per column, the rows since the last unset pixel (u16 in
 * `state`, saturated at `NONE`), written to `out` as u32. 16 columns at a time.
 */
function columnsDown(mask: usize, out: usize, y: i32, width: i32, state: usize): void {
  const row = mask + <usize> y * <usize> width;
  const o = out + ((<usize> y * <usize> width) << 2);
  let x = 0;
  for (; x + 16 <= width; x += 16) {
    const s = state + (<usize> x << 1);
    advanceGaps(row + <usize> x, s);
    const g0 = v128.load(s);
    const g1 = v128.load(s, 16);
    const p = o + (<usize> x << 2);
    v128.store(p, i32x4.extend_low_i16x8_u(g0));
    v128.store(p, i32x4.extend_high_i16x8_u(g0), 16);
    v128.store(p, i32x4.extend_low_i16x8_u(g1), 32);
    v128.store(p, i32x4.extend_high_i16x8_u(g1), 48);
  }
  for (; x < width; x++) {
    const s = state + (<usize> x << 1);
    const g = load<u8>(row + <usize> x) == 0 ? 0 : min(<i32> load<u16>(s) + 1, NONE);
    store<u16>(s, <u16> g);
    store<u32>(o + (<usize> x << 2), <u32> g);
  }
}

/**
 * Row `y` of the upward scan: the rows to the next unset pixel below, combined with the
 * downward distance in `out` into the squared column distance (`EDT_INFINITE` without any).
 */
function columnsUp(mask: usize, out: usize, y: i32, width: i32, state: usize): void {
  const row = mask + <usize> y * <usize> width;
  const o = out + ((<usize> y * <usize> width) << 2);
  const none = i16x8.splat(<i16> NONE);
  let x = 0;
  for (; x + 16 <= width; x += 16) {
    const s = state + (<usize> x << 1);
    advanceGaps(row + <usize> x, s);
    const g0 = v128.load(s);
    const g1 = v128.load(s, 16);
    const p = o + (<usize> x << 2);
    const d0 = i16x8.min_u(g0, i16x8.narrow_i32x4_u(v128.load(p), v128.load(p, 16)));
    const d1 = i16x8.min_u(g1, i16x8.narrow_i32x4_u(v128.load(p, 32), v128.load(p, 48)));
    squares(p, d0, i16x8.eq(d0, none));
    squares(p + 32, d1, i16x8.eq(d1, none));
  }
  for (; x < width; x++) {
    const s = state + (<usize> x << 1);
    const g = load<u8>(row + <usize> x) == 0 ? 0 : min(<i32> load<u16>(s) + 1, NONE);
    store<u16>(s, <u16> g);
    const p = o + (<usize> x << 2);
    const d = min(g, <i32> load<u32>(p));
    store<u32>(p, d == NONE ? EDT_INFINITE : <u32> d * <u32> d);
  }
}

/**
 * One row step of a column scan over 16 columns: each u16 gap count in `state` (rows since the
 * last unset pixel, saturating) grows by one, or restarts at 0 where the mask byte at `row` is 0.
 */
function advanceGaps(row: usize, state: usize): void {
  const unset = i8x16.eq(v128.load(row), i8x16.splat(0));
  const one = i16x8.splat(1);
  const g0 = v128.andnot(i16x8.add_sat_u(v128.load(state), one), i16x8.extend_low_i8x16_s(unset));
  const g1 = v128.andnot(
    i16x8.add_sat_u(v128.load(state, 16), one),
    i16x8.extend_high_i8x16_s(unset),
  );
  v128.store(state, g0);
  v128.store(state, g1, 16);
}

/** Stores the squares of the 8 u16 lanes of `d` as u32 at `p`, all ones where `none` is set. */
function squares(p: usize, d: v128, none: v128): void {
  const lo = i32x4.extend_low_i16x8_u(d);
  const hi = i32x4.extend_high_i16x8_u(d);
  v128.store(p, v128.or(i32x4.mul(lo, lo), i32x4.extend_low_i16x8_s(none)));
  v128.store(p, v128.or(i32x4.mul(hi, hi), i32x4.extend_high_i16x8_s(none)), 16);
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

/**
 * One row of `out` (u32 squared column distances, `EDT_INFINITE` = none): the lower envelope of
 * the parabolas `(x - p)² + f(p)`, in place. Envelope entry k (32 bytes at `envelope + 32k`):
 * `f(p) + p²` (i64), the abscissa where it starts as the fraction `num / den` (i64, i64, den > 0),
 * `p` (i32) and `f(p)` (u32). Abscissas are compared by cross-multiplying (|num| < 2^35,
 * den < 2^18 for any u32 input and i32 width), so the envelope is exact without divisions.
 */
function rowPass(row: usize, width: i32, envelope: usize): void {
  let k = -1;
  for (let q = 0; q < width; q++) {
    const fq = load<u32>(row + (<usize> q << 2));
    if (fq == EDT_INFINITE) continue;
    const hq = <i64> fq + <i64> q * <i64> q;
    let num: i64 = 0;
    let den: i64 = 1;
    while (k >= 0) {
      const e = envelope + (<usize> k << 5);
      // intersection with entry k's parabola: (hq - hp) / (2 (q - p))
      num = hq - load<i64>(e);
      den = <i64> (2 * (q - load<i32>(e, 24)));
      if (k == 0 || num * load<i64>(e, 16) > load<i64>(e, 8) * den) break;
      k--;
    }
    k++;
    const e = envelope + (<usize> k << 5);
    store<i64>(e, hq);
    store<i64>(e, num, 8);
    store<i64>(e, den, 16);
    store<i32>(e, q, 24);
    store<u32>(e, fq, 28);
  }
  if (k < 0) {
    for (let q = 0; q < width; q++) store<u32>(row + (<usize> q << 2), EDT_INFINITE);
    return;
  }
  let j = 0;
  let e = envelope;
  for (let q = 0; q < width; q++) {
    while (j < k) {
      const next = e + 32;
      if (load<i64>(next, 8) >= <i64> q * load<i64>(next, 16)) break;
      j++;
      e = next;
    }
    const dq = <i64> (q - load<i32>(e, 24));
    store<u32>(row + (<usize> q << 2), <u32> (dq * dq + <i64> load<u32>(e, 28)));
  }
}

/** `sqrt` of squared distances (u32 at `src`) as f64 at `dst` (Infinity for EDT_INFINITE). */
export function distanceFromSquared(src: usize, dst: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const s = load<u32>(src + (<usize> i << 2));
    store<f64>(dst + (<usize> i << 3), s == EDT_INFINITE ? Infinity : Math.sqrt(<f64> s));
  }
}
