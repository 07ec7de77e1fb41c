/**
 * The seeded inputs of the kernel benchmarks (`kernels_bench.ts`, `kernels_compare.ts`), so both
 * time the kernels on the same pixels: uniform noise images, and WGA-like flooding inputs (seed
 * points with their marker ids and a random speed map).
 * @module
 */
import { rng } from "../tests/plugins/kernels/_harness.ts";

/** `len` u16 values uniform in 0..maxValue. */
export function noiseU16(seed: number, len: number, maxValue: number): Uint16Array {
  const r = rng(seed);
  const a = new Uint16Array(len);
  for (let i = 0; i < len; i++) a[i] = Math.floor(r() * (maxValue + 1));
  return a;
}

/** Markers per pixel of the benchmarks: 2000 on a 2048² tile. */
export function markerCountFor(px: number): number {
  return Math.round(2000 * px / (2048 * 2048));
}

/** Watershed on noise: f64 values uniform in [0, 1) and `count` markers at random pixels. */
export function noiseFlooding(px: number, count: number) {
  const r = rng(2);
  const image = new Float64Array(px);
  for (let i = 0; i < px; i++) image[i] = r();
  const markers = new Uint32Array(px);
  for (let i = 1; i <= count; i++) markers[Math.floor(r() * px)] = i;
  return { image, markers };
}

/** Fast marching as in WGA: `count` spread seeds (with marker ids) and speeds in [0.1, 1). */
export function marchingInputs(px: number, count: number) {
  const seeds = new Uint8Array(px);
  const markers = new Uint32Array(px);
  for (let i = 0; i < count; i++) {
    const p = (i * 2654435761) % px;
    seeds[p] = 1;
    markers[p] = i + 1;
  }
  const speed = new Float64Array(px);
  const r = rng(9);
  for (let i = 0; i < px; i++) speed[i] = 0.1 + 0.9 * r();
  return { seeds, markers, speed };
}
