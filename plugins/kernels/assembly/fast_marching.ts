/**
 * Fast marching on the unit grid, the equivalent of scikit-fmm's `distance(phi)` and
 * `travel_time(phi, speed)` for scPortrait's inputs: `phi` is 1 everywhere except 0 at the seed
 * pixels, masked where the array is masked. Seeds are frozen at 0; the front then grows in
 * order of arrival time, each point solving the upwind eikonal `|∇T| = 1 / speed` from its
 * frozen neighbours with scikit-fmm's default second-order stencil where the two upwind points
 * are available and monotone (`(4·T1 − T2) / 3` with weight 9/4), first order otherwise, and the
 * standard fall-back to fewer axes when the quadratic has no admissible root.
 * Masked and unreachable points get `+Infinity` (scikit-fmm masks them; the caller fills them).
 *
 * Speed: the narrow band is a {@link BucketQueue} popping in exactly the (time, push order) order
 * of a binary heap with lazy deletion, so results are unchanged; while marching, `out` alone
 * carries each point's state (frozen `+t`, trial `−t`, far `−∞`, masked NaN), which keeps the
 * stencil reads in one array; the march runs in batches so V8 tiers the loop up on first use.
 * @module
 */

import { BucketQueue } from "./bucket_queue";

/** Queue buckets per fastest unit step (bucket width 1 / (1024 · max speed)). */
const BUCKETS_PER_STEP: f64 = 1024;
/** Points frozen per call of the marching loop. */
const BATCH: i32 = 1 << 14;

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
  const m = new Marcher(
    mask,
    speed,
    out,
    height,
    width,
    order,
    new BucketQueue(0, delta, <i32> window),
  );
  for (let y = 0; y < height; y++) m.initRow(seeds, y);
  for (let y = 0; y < height; y++) m.seedRow(y);
  while (m.run(BATCH));
  for (let y = 0; y < height; y++) m.finishRow(y);
  m.queue.dispose();
}

/** The marching state; `out` encodes frozen `+t`, trial `−t`, far `−∞`, masked NaN. */
class Marcher {
  age: i32 = 0;

  constructor(
    readonly mask: usize,
    readonly speed: usize,
    readonly out: usize,
    readonly height: i32,
    readonly width: i32,
    readonly order: i32,
    readonly queue: BucketQueue,
  ) {}

  /** Row `y`: seeds frozen at 0, masked points NaN, the rest far. */
  initRow(seeds: usize, y: i32): void {
    const w = this.width;
    const mask = this.mask;
    const out = this.out;
    for (let i = y * w; i < y * w + w; i++) {
      let v = -Infinity;
      if (mask != 0 && load<u8>(mask + <usize> i) != 0) v = NaN;
      else if (load<u8>(seeds + <usize> i) != 0) v = 0;
      store<f64>(out + (<usize> i << 3), v);
    }
  }

  /** Row `y`: the neighbours of its seeds enter the band (raster order). */
  seedRow(y: i32): void {
    const w = this.width;
    for (let i = y * w; i < y * w + w; i++) {
      if (load<f64>(this.out + (<usize> i << 3)) >= 0) this.update(i);
    }
  }

  /** Row `y`: frozen times stay, everything else becomes +Infinity. */
  finishRow(y: i32): void {
    const w = this.width;
    const out = this.out;
    for (let i = y * w; i < y * w + w; i++) {
      const p = out + (<usize> i << 3);
      if (!(load<f64>(p) >= 0)) store<f64>(p, Infinity);
    }
  }

  /** Freezes up to `budget` points; returns false when the band is empty. */
  run(budget: i32): bool {
    const q = this.queue;
    const top = q.heap;
    const out = this.out;
    for (let done = 0; done < budget;) {
      if (!q.settle()) return false;
      const p = top.topIndex();
      const v = top.topValue();
      top.pop();
      const at = out + (<usize> p << 3);
      if (load<f64>(at) != -v) continue; // frozen since, or lowered again (stale item)
      store<f64>(at, v);
      this.update(p);
      done++;
    }
    return true;
  }

  /** Re-solves the non-frozen, unmasked 4-neighbours of the just-frozen point `p`. */
  update(p: i32): void {
    const width = this.width;
    const height = this.height;
    const out = this.out;
    const y = p / width;
    const x = p - y * width;
    for (let k = 0; k < 4; k++) {
      const yy = k == 0 ? y - 1 : k == 3 ? y + 1 : y;
      const xx = k == 1 ? x - 1 : k == 2 ? x + 1 : x;
      if (<u32> yy >= <u32> height || <u32> xx >= <u32> width) continue;
      const q = yy * width + xx;
      const cur = -load<f64>(out + (<usize> q << 3)); // trial time, +∞ when far
      if (!(cur > 0)) continue; // frozen (≤ 0 after negation) or masked (NaN)
      const f = this.speed == 0 ? 1.0 : load<f64>(this.speed + (<usize> q << 3));
      const t = solve(q, yy, xx, out, height, width, this.order, f);
      if (t < cur) {
        store<f64>(out + (<usize> q << 3), -t);
        this.queue.push(t, this.age++, q);
      }
    }
  }
}

/** The frozen value at `q`, or Infinity when `q` is not frozen. */

function frozenAt(out: usize, q: i32): f64 {
  const v = load<f64>(out + (<usize> q << 3));
  return v >= 0 ? v : Infinity;
}

function solve(
  q: i32,
  y: i32,
  x: i32,
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
      const v1 = frozenAt(out, q + dir * step);
      if (v1 == Infinity) continue;
      let tv = v1;
      let av = 1.0;
      if (order >= 2) {
        const p2 = pos + 2 * dir;
        if (p2 >= 0 && p2 < len) {
          const v2 = frozenAt(out, q + 2 * dir * step);
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
