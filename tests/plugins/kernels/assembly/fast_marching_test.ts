import assert from "node:assert/strict";
import { loadKernels, put, take, zeros } from "../_harness.ts";

// scikit-fmm is not packaged in Debian, so the reference is the exact Euclidean distance on an
// obstacle-free grid: FMM must converge to it with first/second-order error. Documented
// tolerance: max error <= 0.06 * r + 0.5 px (first order along diagonals is the worst case),
// and the second-order scheme must be at least as accurate as the first-order one.
function run(order: number, n: number, seeds: [number, number][], speed?: Float64Array) {
  return (async () => {
    const k = await loadKernels();
    const s = new Uint8Array(n * n);
    for (const [y, x] of seeds) s[y * n + x] = 1;
    const out = zeros(k, n * n * 8);
    k.fmm(put(k, s), 0, speed ? put(k, speed) : 0, out, n, n, order);
    return take(k, Float64Array, out, n * n);
  })();
}

Deno.test("FMM distance approximates the Euclidean distance (single seed, open grid)", async () => {
  const n = 101;
  const c = 50;
  const errs: number[] = [];
  for (const order of [1, 2]) {
    const d = await run(order, n, [[c, c]]);
    let maxErr = 0;
    for (let y = 0; y < n; y++) {
      for (let x = 0; x < n; x++) {
        const e = Math.hypot(y - c, x - c);
        const err = Math.abs(d[y * n + x] - e);
        assert.ok(err <= 0.06 * e + 0.5, `order ${order} at ${y},${x}: ${d[y * n + x]} vs ${e}`);
        maxErr = Math.max(maxErr, err);
      }
    }
    // axis-aligned points are exact
    assert.equal(d[c * n + c + 10], 10);
    errs.push(maxErr);
  }
  assert.ok(errs[1] <= errs[0], `second order ${errs[1]} vs first ${errs[0]}`);
});

Deno.test("FMM travel time scales with 1/speed; masks block the front", async () => {
  const k = await loadKernels();
  const n = 41;
  const half = new Float64Array(n * n).fill(0.5);
  const d1 = await run(2, n, [[20, 20]]);
  const d2 = await run(2, n, [[20, 20]], half);
  for (let i = 0; i < n * n; i++) assert.ok(Math.abs(d2[i] - 2 * d1[i]) < 1e-9);
  // a wall with a gap: points behind it are reached around the wall, unreachable ones stay Inf
  const mask = new Uint8Array(n * n);
  for (let y = 0; y < n; y++) mask[y * n + 25] = 1;
  const seeds = new Uint8Array(n * n);
  seeds[20 * n + 20] = 1;
  const out = zeros(k, n * n * 8);
  k.fmm(put(k, seeds), put(k, mask), 0, out, n, n, 2);
  const d = take(k, Float64Array, out, n * n);
  assert.equal(d[20 * n + 30], Infinity);
  assert.equal(d[20 * n + 25], Infinity);
  assert.ok(Math.abs(d[20 * n + 24] - 4) < 1e-12);
  // two seeds: the value is the distance to the nearer one on the axis
  const two = await run(2, n, [[20, 5], [20, 35]]);
  assert.equal(two[20 * n + 10], 5);
  assert.equal(two[20 * n + 30], 5);
});

Deno.test("FMM with no seeds leaves everything unreached", async () => {
  const d = await run(2, 8, []);
  assert.ok(d.every((v) => v === Infinity));
});

Deno.test("FMM results do not depend on earlier calls of other sizes (reused grid memory)", async () => {
  const seeds: [number, number][] = [[3, 4], [20, 30], [36, 0]];
  const first = await run(2, 37, seeds);
  // a larger call with other contents, then a smaller one, leave stale values in the grid
  await run(2, 64, [[10, 10], [63, 63]], new Float64Array(64 * 64).fill(0.3));
  await run(1, 9, [[4, 4]]);
  const again = await run(2, 37, seeds);
  for (let i = 0; i < first.length; i++) assert.ok(Object.is(first[i], again[i]), `pixel ${i}`);
  // widths that are not multiples of the 8-column strips: every pixel is reached, axis steps
  // from a seed are exact
  for (const n of [1, 7, 8, 9, 17]) {
    const d = await run(2, n, [[0, 0]]);
    assert.ok(d.every((v) => Number.isFinite(v)), `n ${n}`);
    for (let x = 0; x < n; x++) assert.equal(d[x], x);
  }
});

Deno.test("FMM may write the travel time over its speed plane", async () => {
  const k = await loadKernels();
  const n = 33;
  const speed = new Float64Array(n * n);
  for (let i = 0; i < speed.length; i++) speed[i] = 0.1 + 0.9 * ((i * 7919) % 101) / 100;
  const expected = await run(2, n, [[5, 5], [20, 27]], speed);
  const seeds = new Uint8Array(n * n);
  seeds[5 * n + 5] = 1;
  seeds[20 * n + 27] = 1;
  const plane = put(k, speed);
  k.fmm(put(k, seeds), 0, plane, plane, n, n, 2);
  const got = take(k, Float64Array, plane, n * n);
  for (let i = 0; i < got.length; i++) assert.ok(Object.is(got[i], expected[i]), `pixel ${i}`);
});
