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
 * of a binary heap with lazy deletion, so results are unchanged. The march runs on a
 * {@link StripGrid} (8-column strips, two sentinel pixels around the image, no bounds checks)
 * holding per pixel its state — frozen `+t`, trial `−t`, far `−∞`, never-reachable NaN (masked,
 * speed ≤ 0 or NaN, and the sentinels) — next to `1 / speed²`, the only form of the speed the
 * solver uses (computed exactly as before, so times are bit-identical); with a front spread over
 * a whole tile, row-major planes cost a page walk per stencil row. When a bucket of the queue
 * becomes its sorted run, the queue reads the stencil rows of its items ahead of time
 * (`BucketQueue.batch`), so their cache misses overlap instead of stalling one pop at a time.
 * The march runs in batches so V8 tiers the loop up on first use.
 * @module
 */

import { BucketQueue } from "./bucket_queue";
import { STRIP_RECORD, StripGrid } from "./strip_grid";

/** Queue buckets per fastest unit step (bucket width 1 / (1024 · max speed)). */
const BUCKETS_PER_STEP: f64 = 1024;
/** Points frozen per call of the marching loop. */
const BATCH: i32 = 1 << 14;

/**
 * Arrival times from the `seeds` (u8, non-zero = phi 0) into `out` (f64), never entering
 * `mask` (u8, non-zero = masked; 0 pointer = none). `speed` (f64 per pixel) may be 0 for unit
 * speed, which gives the distance. `order` is 1 or 2 (scikit-fmm's default is 2). `out` may be
 * the `speed` plane itself (speed is read before any time is written).
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
  const grid = new StripGrid(height, width);
  const m = new Marcher(grid, order, new BucketQueue(0, delta, <i32> window));
  for (let y = 0; y < height; y++) m.initRow(seeds, mask, speed, y);
  for (let y = 0; y < height; y++) m.seedRow(y);
  while (m.run(BATCH));
  for (let y = 0; y < height; y++) m.finishRow(out, y);
  m.queue.dispose();
  grid.dispose();
}

/** Up / down neighbour offset in grid slots. */
const ROW: i32 = STRIP_RECORD;
/** Offset of a pixel's `1 / speed²` from its state. */
const RHS: i32 = 8;

/** The marching state on the strip grid (see the module comment). */
class Marcher {
  age: i32 = 0;
  batches: i32 = 0;
  touched: f64 = 0;

  constructor(
    readonly grid: StripGrid,
    readonly order: i32,
    readonly queue: BucketQueue,
  ) {}

  /** Row `y`: seeds frozen at 0, unreachable points NaN, the rest far, and `1 / speed²`. */
  initRow(seeds: usize, mask: usize, speed: usize, y: i32): void {
    const g = this.grid;
    const w = g.width;
    for (let x = 0; x < w; x++) {
      const i = y * w + x;
      const at = g.at(g.index(y, x));
      const f = speed == 0 ? 1.0 : load<f64>(speed + (<usize> i << 3));
      let v = -Infinity;
      if (mask != 0 && load<u8>(mask + <usize> i) != 0) v = NaN;
      else if (load<u8>(seeds + <usize> i) != 0) v = 0;
      else if (!(f > 0)) v = NaN; // never solved: stays unreached, like a masked point
      store<f64>(at, v);
      store<f64>(at, 1.0 / (f * f), RHS << 3);
    }
  }

  /** Row `y`: the neighbours of its seeds enter the band (raster order). */
  seedRow(y: i32): void {
    const g = this.grid;
    for (let x = 0; x < g.width; x++) {
      const p = g.index(y, x);
      if (load<f64>(g.at(p)) >= 0) this.update(p);
    }
  }

  /** Row `y` into `out`: frozen times stay, everything else becomes +Infinity. */
  finishRow(out: usize, y: i32): void {
    const g = this.grid;
    const w = g.width;
    for (let x = 0; x < w; x++) {
      const v = load<f64>(g.at(g.index(y, x)));
      store<f64>(out + (<usize> (y * w + x) << 3), v >= 0 ? v : Infinity);
    }
  }

  /** Freezes up to `budget` points; returns false when the band is empty. */
  run(budget: i32): bool {
    const q = this.queue;
    const g = this.grid;
    for (let done = 0; done < budget;) {
      if (!q.settle()) return false;
      if (q.batches != this.batches) {
        this.batches = q.batches;
        this.touch(q.batch, q.batchSize);
      }
      const p = q.topIndex();
      const v = q.topValue();
      q.pop();
      const at = g.at(p);
      if (load<f64>(at) != -v) continue; // frozen since, or lowered again (stale item)
      store<f64>(at, v);
      this.update(p);
      done++;
    }
    return true;
  }

  /**
   * Reads the stencil rows (−3..3, and `1 / speed²` on rows −1..1) of the `count` queue items
   * at `items` before they pop (all inside the grid thanks to its sentinel rows).
   */
  touch(items: usize, count: i32): void {
    const base = this.grid.base;
    const row: usize = <usize> ROW << 3;
    let acc = 0.0;
    for (let i = 0; i < count; i++) {
      const at = base + (<usize> load<i32>(items + (<usize> i << 4), 12) << 3);
      acc += load<f64>(at - 3 * row) + load<f64>(at - 2 * row) + load<f64>(at - row);
      acc += load<f64>(at) + load<f64>(at + row) + load<f64>(at + 2 * row);
      acc += load<f64>(at + 3 * row) + load<f64>(at - row + 64) + load<f64>(at + 64);
      acc += load<f64>(at + row + 64);
    }
    this.touched += acc;
  }

  /** Re-solves the non-frozen, reachable 4-neighbours of `p` (up, left, right, down). */
  update(p: i32): void {
    const g = this.grid;
    this.relax(p - ROW);
    this.relax(g.left(p));
    this.relax(g.right(p));
    this.relax(p + ROW);
  }

  @inline
  private relax(q: i32): void {
    const g = this.grid;
    const at = g.at(q);
    const cur = -load<f64>(at); // trial time, +∞ when far
    if (!(cur > 0)) return; // frozen (≤ 0 after negation) or unreachable (NaN)
    const t = solve(g, q, this.order, load<f64>(at, RHS << 3));
    if (t < cur) {
      store<f64>(at, -t);
      this.queue.push(t, this.age++, q);
    }
  }
}

/** The frozen value at slot `q`, or Infinity when it is not frozen. */
function frozenAt(g: StripGrid, q: i32): f64 {
  const v = load<f64>(g.at(q));
  return v >= 0 ? v : Infinity;
}

/**
 * One axis of the upwind stencil: `a1`/`b1` the neighbour slots before/after `q`, `a2`/`b2`
 * the ones two away. The smaller frozen neighbour wins (`a1` on ties); with `order` 2 and a
 * monotone second neighbour on its side the estimate is `(4·v1 − v2) / 3` with weight 9/4, else
 * `v1` with weight 1. Returns the weight (0 = no upwind neighbour) and leaves the estimate in
 * `axisT`.
 */

function axis(g: StripGrid, a1: i32, a2: i32, b1: i32, b2: i32, order: i32): f64 {
  const va = frozenAt(g, a1);
  const vb = frozenAt(g, b1);
  const fromB = vb < va;
  const v1 = fromB ? vb : va;
  if (v1 == Infinity) {
    axisT = Infinity;
    return 0;
  }
  if (order >= 2) {
    const v2 = frozenAt(g, fromB ? b2 : a2);
    if (v2 <= v1) {
      axisT = (4.0 * v1 - v2) / 3.0;
      return 9.0 / 4.0;
    }
  }
  axisT = v1;
  return 1.0;
}

/** The estimate of the last {@link axis} call. */
let axisT: f64 = Infinity;

/** The eikonal update at slot `q` with `rhs = 1 / speed²`. */
function solve(g: StripGrid, q: i32, order: i32, rhs: f64): f64 {
  const a0 = axis(g, q - ROW, q - 2 * ROW, q + ROW, q + 2 * ROW, order);
  const t0 = axisT;
  const l = g.left(q);
  const r = g.right(q);
  const a1 = axis(g, l, g.left(l), r, g.right(r), order);
  const t1 = axisT;
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
