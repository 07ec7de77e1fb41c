/**
 * Fast marching on the unit grid, the equivalent of scikit-fmm's `distance(phi)` and
 * `travel_time(phi, speed)` for scPortrait's inputs: `phi` is 1 everywhere except 0 at the seed
 * pixels, masked where the array is masked. Seeds are frozen at 0; the front then grows in
 * order of arrival time, each point solving the upwind eikonal `|∇T| = 1 / speed` from its
 * frozen neighbours with scikit-fmm's default second-order stencil where the two upwind points
 * are available and monotone (`(4·T1 − T2) / 3` with weight 9/4), first order otherwise, and the
 * standard fall-back to fewer axes when the quadratic has no admissible root.
 * Masked and unreachable points get `+Infinity` (scikit-fmm masks them; the caller fills them).
 * @module
 */

import { BucketQueue } from "./bucket_queue";

const FAR: u8 = 0;
const TRIAL: u8 = 1;
const FROZEN: u8 = 2;
const MASKED: u8 = 3;
/** Queue buckets per fastest unit step (bucket width 1 / (1024 · max speed)). */
const BUCKETS_PER_STEP: f64 = 1024;

/**
 * Arrival times from the `seeds` (u8, non-zero = phi 0) into `out` (f64), never entering
 * `mask` (u8, non-zero = masked; 0 pointer = none). `speed` (f64 per pixel) may be 0 for unit
 * speed, which gives the distance. `order` is 1 or 2 (scikit-fmm's default is 2).
 */
export function fastMarch(
  seeds: usize,
  mask: usize,
  speed: usize,
  out: usize,
  height: i32,
  width: i32,
  order: i32,
): void {
  const n = height * width;
  const state = heap.alloc(<usize> max(n, 1));
  // bucket width: a small fraction of the fastest step (1 / max speed); the window spans a few
  // of the slowest steps, which bounds how far a trial value can lie ahead of the front
  let fmax = speed == 0 ? 1.0 : 0.0;
  let fmin = speed == 0 ? 1.0 : Infinity;
  for (let i = 0; speed != 0 && i < n; i++) {
    const f = load<f64>(speed + (<usize> i << 3));
    if (f > 0 && f < Infinity) {
      fmax = max(fmax, f);
      fmin = min(fmin, f);
    }
  }
  const delta = fmax > 0 ? 1.0 / (BUCKETS_PER_STEP * fmax) : 1.0;
  const window = fmax > 0 ? min(4.0 * BUCKETS_PER_STEP * fmax / fmin, 1048576.0) : 16.0;
  const hp = new BucketQueue(0, delta, <i32> window);
  for (let i = 0; i < n; i++) {
    store<f64>(out + (<usize> i << 3), Infinity);
    let s = FAR;
    if (mask != 0 && load<u8>(mask + <usize> i) != 0) s = MASKED;
    else if (load<u8>(seeds + <usize> i) != 0) {
      s = FROZEN;
      store<f64>(out + (<usize> i << 3), 0);
    }
    store<u8>(state + <usize> i, s);
  }
  let age = 0;
  for (let i = 0; i < n; i++) {
    if (load<u8>(state + <usize> i) != FROZEN) continue;
    age = updateNeighbours(i, state, speed, out, height, width, order, hp, age);
  }
  const top = hp.heap;
  while (hp.settle()) {
    const p = top.topIndex();
    const v = top.topValue();
    top.pop();
    if (load<u8>(state + <usize> p) != TRIAL || load<f64>(out + (<usize> p << 3)) != v) continue;
    store<u8>(state + <usize> p, FROZEN);
    age = updateNeighbours(p, state, speed, out, height, width, order, hp, age);
  }
  hp.dispose();
  heap.free(state);
}

function updateNeighbours(
  p: i32,
  state: usize,
  speed: usize,
  out: usize,
  height: i32,
  width: i32,
  order: i32,
  hp: BucketQueue,
  age: i32,
): i32 {
  const y = p / width;
  const x = p - y * width;
  for (let k = 0; k < 4; k++) {
    const yy = k == 0 ? y - 1 : k == 3 ? y + 1 : y;
    const xx = k == 1 ? x - 1 : k == 2 ? x + 1 : x;
    if (yy < 0 || yy >= height || xx < 0 || xx >= width) continue;
    const q = yy * width + xx;
    const s = load<u8>(state + <usize> q);
    if (s == FROZEN || s == MASKED) continue;
    const f = speed == 0 ? 1.0 : load<f64>(speed + (<usize> q << 3));
    const t = solve(q, yy, xx, state, out, height, width, order, f);
    if (t < load<f64>(out + (<usize> q << 3))) {
      store<f64>(out + (<usize> q << 3), t);
      store<u8>(state + <usize> q, TRIAL);
      hp.push(t, age++, q);
    }
  }
  return age;
}

/** The frozen value at `q`, or Infinity when `q` is not frozen. */

function frozenAt(state: usize, out: usize, q: i32): f64 {
  return load<u8>(state + <usize> q) == FROZEN ? load<f64>(out + (<usize> q << 3)) : Infinity;
}

function solve(
  q: i32,
  y: i32,
  x: i32,
  state: usize,
  out: usize,
  height: i32,
  width: i32,
  order: i32,
  f: f64,
): f64 {
  if (!(f > 0)) return Infinity;
  // per axis: t (upwind estimate) and alpha (weight)
  let t0 = Infinity;
  let a0 = 0.0;
  let t1 = Infinity;
  let a1 = 0.0;
  for (let axis = 0; axis < 2; axis++) {
    const step = axis == 0 ? width : 1;
    const pos = axis == 0 ? y : x;
    const len = axis == 0 ? height : width;
    let best = Infinity;
    let alpha = 0.0;
    for (let dir = -1; dir <= 1; dir += 2) {
      const p1 = pos + dir;
      if (p1 < 0 || p1 >= len) continue;
      const v1 = frozenAt(state, out, q + dir * step);
      if (v1 == Infinity) continue;
      let tv = v1;
      let av = 1.0;
      if (order >= 2) {
        const p2 = pos + 2 * dir;
        if (p2 >= 0 && p2 < len) {
          const v2 = frozenAt(state, out, q + 2 * dir * step);
          if (v2 <= v1) {
            tv = (4.0 * v1 - v2) / 3.0;
            av = 9.0 / 4.0;
          }
        }
      }
      if (v1 < best) {
        best = v1;
        if (axis == 0) {
          t0 = tv;
          alpha = av;
        } else {
          t1 = tv;
          alpha = av;
        }
      }
    }
    if (axis == 0) a0 = best == Infinity ? 0 : alpha;
    else a1 = best == Infinity ? 0 : alpha;
  }
  const rhs = 1.0 / (f * f);
  if (a0 > 0 && a1 > 0) {
    const a = a0 + a1;
    const b = -2.0 * (a0 * t0 + a1 * t1);
    const c = a0 * t0 * t0 + a1 * t1 * t1 - rhs;
    const disc = b * b - 4.0 * a * c;
    if (disc >= 0) {
      const t = (-b + Math.sqrt(disc)) / (2.0 * a);
      if (t >= t0 && t >= t1) return t;
    }
    // one axis only: the smaller resulting time
    return min(t0 + Math.sqrt(rhs / a0), t1 + Math.sqrt(rhs / a1));
  }
  if (a0 > 0) return t0 + Math.sqrt(rhs / a0);
  if (a1 > 0) return t1 + Math.sqrt(rhs / a1);
  return Infinity;
}
