/**
 * In-place radix-2 complex FFT over rows and columns of an `n × m` grid (both powers of two),
 * real and imaginary parts in separate f64 buffers.
 * @module
 */

function fft1d(re: usize, im: usize, n: i32, stride: usize, inverse: bool): void {
  // bit reversal
  let j = 0;
  for (let i = 0; i < n - 1; i++) {
    if (i < j) {
      const pi = <usize> i * stride << 3, pj = <usize> j * stride << 3;
      const tr = load<f64>(re + pi), ti = load<f64>(im + pi);
      store<f64>(re + pi, load<f64>(re + pj));
      store<f64>(im + pi, load<f64>(im + pj));
      store<f64>(re + pj, tr);
      store<f64>(im + pj, ti);
    }
    let k = n >> 1;
    while (k <= j) {
      j -= k;
      k >>= 1;
    }
    j += k;
  }
  const sign: f64 = inverse ? 1 : -1;
  for (let len = 2; len <= n; len <<= 1) {
    const ang = sign * 2 * Math.PI / <f64> len;
    const wr = Math.cos(ang), wi = Math.sin(ang);
    const half = len >> 1;
    for (let i = 0; i < n; i += len) {
      let cr: f64 = 1, ci: f64 = 0;
      for (let k = 0; k < half; k++) {
        const p = <usize> (i + k) * stride << 3, q = <usize> (i + k + half) * stride << 3;
        const xr = load<f64>(re + q) * cr - load<f64>(im + q) * ci;
        const xi = load<f64>(re + q) * ci + load<f64>(im + q) * cr;
        const ur = load<f64>(re + p), ui = load<f64>(im + p);
        store<f64>(re + p, ur + xr);
        store<f64>(im + p, ui + xi);
        store<f64>(re + q, ur - xr);
        store<f64>(im + q, ui - xi);
        const t = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = t;
      }
    }
  }
}

/** 2-D FFT (or unscaled inverse) of the row-major `n × m` grid at `re`, `im`. */
export function fft2d(re: usize, im: usize, n: i32, m: i32, inverse: bool): void {
  for (let y = 0; y < n; y++) {
    const off = (<usize> y * <usize> m) << 3;
    fft1d(re + off, im + off, m, 1, inverse);
  }
  for (let x = 0; x < m; x++) {
    fft1d(re + (<usize> x << 3), im + (<usize> x << 3), n, <usize> m, inverse);
  }
}

/** Smallest power of two ≥ `v` (v ≥ 1). */
export function nextPow2(v: i32): i32 {
  let p = 1;
  while (p < v) p <<= 1;
  return p;
}
