/**
 * float64 → IEEE binary16 bit pattern with round-to-nearest-even straight from the double (as
 * numpy's `astype(np.float16)`), in plain integer arithmetic. V8 only sometimes compiles
 * `Float16Array` stores to fast code; this stays fast inside large kernels.
 * @module
 */

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** The binary16 bits of `v` (NaN → 0x7e00, overflow → ±Infinity). */
export function toFloat16Bits(v: number): number {
  f64[0] = v;
  const hi = u32[1];
  const lo = u32[0];
  const sign = (hi >>> 16) & 0x8000;
  const exp = (hi >>> 20) & 0x7ff;
  if (exp === 0x7ff) return sign | (hi & 0xfffff || lo ? 0x7e00 : 0x7c00);
  const e = exp - 1023;
  if (e >= -14) {
    if (e > 15) return sign | 0x7c00;
    let h = ((e + 15) << 10) | ((hi >>> 10) & 0x3ff);
    // round bit is bit 9 of hi; sticky bits are hi[8..0] and lo
    if (hi & 0x200 && (hi & 0x1ff || lo || h & 1)) h++;
    return sign | h; // a carry into the exponent rounds up correctly, up to Infinity
  }
  if (e < -25) return sign; // below half the smallest subnormal (2^-25): rounds to zero
  // subnormal: units of 2^-24; scaling by a power of two is exact
  const r = Math.abs(v) * 16777216;
  let f = Math.floor(r);
  const d = r - f;
  if (d > 0.5 || (d === 0.5 && f & 1)) f++;
  return sign | f;
}
