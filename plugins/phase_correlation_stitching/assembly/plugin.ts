// deno-lint-ignore-file verbatim-module-syntax -- AssemblyScript has no `import type`
/**
 * phase-correlation-stitching: integer-pixel phase correlation of the overlap of two tiles
 * implied by the expected offset (ashlar EdgeAligner style, without sub-pixel upsampling).
 * The error is `-ln(peak)` of the normalised cross-power spectrum's inverse transform (0 for a
 * perfect match, larger is worse).
 * @module
 */

import { invalidInput } from "../../sdk/assembly/errors";
import { RawArray } from "../../sdk/assembly/memory";
import { Params } from "../../sdk/assembly/params";
import { Registration } from "../../sdk/assembly/stitching";
import { TileU16 } from "../../sdk/assembly/tile";
import { fft2d, nextPow2 } from "./fft";

/** Copies the `h × w` window at (y0, x0) of plane `c` minus its mean into the padded grid. */
function loadWindow(
  t: TileU16,
  c: i32,
  y0: i32,
  x0: i32,
  h: i32,
  w: i32,
  re: RawArray<f64>,
  m: i32,
): void {
  let sum: f64 = 0;
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) sum += <f64> t.at(c, y0 + y, x0 + x);
  const mean = sum / <f64> (h * w);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) re.set(y * m + x, <f64> t.at(c, y0 + y, x0 + x) - mean);
  }
}

/** Registers `b` against `a`: returns the measured offset of `b` and the alignment error. */
export function register(
  a: TileU16,
  b: TileU16,
  expectedDy: f64,
  expectedDx: f64,
  params: Params,
): Registration | null {
  const c = <i32> params.integer("channel", 0, 0, 1023);
  const maxShift = params.numberIn("max_shift", 1e9, 0, 1e9);
  if (c >= a.channels || c >= b.channels) {
    invalidInput("params.channel " + c.toString() + " is not a channel of both tiles");
    return null;
  }
  const ey = <i32> Math.round(expectedDy), ex = <i32> Math.round(expectedDx);
  const ay0 = max(0, ey), ay1 = min(a.height, ey + b.height);
  const ax0 = max(0, ex), ax1 = min(a.width, ex + b.width);
  const h = ay1 - ay0, w = ax1 - ax0;
  if (h < 2 || w < 2) {
    invalidInput(
      "tiles do not overlap at the expected offset (" + expectedDy.toString() + ", " +
        expectedDx.toString() + ")",
    );
    return null;
  }
  const n = nextPow2(h), m = nextPow2(w);
  const size = n * m;
  const ar = RawArray.zeroed<f64>(size), ai = RawArray.zeroed<f64>(size);
  const br = RawArray.zeroed<f64>(size), bi = RawArray.zeroed<f64>(size);
  loadWindow(a, c, ay0, ax0, h, w, ar, m);
  loadWindow(b, c, ay0 - ey, ax0 - ex, h, w, br, m);
  fft2d(ar.ptr, ai.ptr, n, m, false);
  fft2d(br.ptr, bi.ptr, n, m, false);
  // R = A · conj(B) / |A · conj(B)|, stored in (ar, ai)
  for (let i = 0; i < size; i++) {
    const xr = ar.get(i), xi = ai.get(i), yr = br.get(i), yi = bi.get(i);
    const rr = xr * yr + xi * yi, ri = xi * yr - xr * yi;
    const mag = Math.sqrt(rr * rr + ri * ri);
    ar.set(i, mag > 1e-12 ? rr / mag : 0);
    ai.set(i, mag > 1e-12 ? ri / mag : 0);
  }
  fft2d(ar.ptr, ai.ptr, n, m, true);
  let best = 0;
  let peak = -Infinity;
  for (let i = 0; i < size; i++) {
    const y = i / m, x = i % m;
    const sy = y >= n / 2 ? y - n : y, sx = x >= m / 2 ? x - m : x;
    if (Math.abs(<f64> sy) > maxShift || Math.abs(<f64> sx) > maxShift) continue;
    if (ar.get(i) > peak) {
      peak = ar.get(i);
      best = i;
    }
  }
  ar.dispose();
  ai.dispose();
  br.dispose();
  bi.dispose();
  const py = best / m, px = best % m;
  const dy = py >= n / 2 ? py - n : py, dx = px >= m / 2 ? px - m : px;
  const norm = peak / <f64> size;
  const error = norm > 1e-300 ? -Math.log(min(norm, 1.0)) : Infinity;
  return new Registration(<f64> (ey + dy), <f64> (ex + dx), error);
}
