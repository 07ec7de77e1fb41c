/**
 * Inverse of the standard normal CDF (`scipy.stats.norm.ppf`): Acklam's rational approximation
 * (relative error < 1.2e-9) refined by one Halley step on a rational erfc; measured against
 * scipy it agrees to 1e-9 (relative) over [1e-10, 1 - 1e-6], far below what can
 * move a size threshold across an integer pixel count.
 * @module
 */

/** Complementary error function (rational approximations after W. J. Cody; ~1e-10). */
export function erfc(x: f64): f64 {
  const ax = Math.abs(x);
  let r: f64;
  if (ax < 0.5) {
    const t = x * x;
    const top = (((0.1857777061846031526730 * t + 3.161123743870565596947) * t +
              113.8641541510501556495) * t + 377.4852376853020208137) * t + 3209.377589138469472562;
    const bot = (((t + 23.60129095234412093499) * t + 244.0246379344441733056) * t +
          1282.616526077372275645) * t + 2844.236833439170622273;
    return 1.0 - x * top / bot;
  }
  if (ax < 4.0) {
    const top = (((((((0.0000000564188496988670 * ax + 0.5641884969886700891) * ax +
                              8.883149794388375941) * ax + 66.11919063714162948) * ax +
                      298.6351381974001311) * ax +
                  881.9522212417690904) * ax + 1712.047612634070583) * ax + 2051.078377826071465) *
        ax +
      1230.339354797997253;
    const bot = (((((((ax + 15.74492611070983473) * ax + 117.6939508913124993) * ax +
                          537.1811018620098575) * ax + 1621.389574566690189) * ax +
                  3290.799235733459627) * ax +
              4362.619090143247158) * ax + 3439.367674143721637) * ax + 1230.339354803749420;
    r = Math.exp(-ax * ax) * top / bot;
  } else {
    const z = 1.0 / (ax * ax);
    const top = ((((0.0163153871373020978498 * z + 0.305326634961232344) * z +
                  0.360344899949804439) * z + 0.125781726111229246) * z + 0.0160837851487422766) *
        z +
      0.000658749161529837803;
    const bot = ((((z + 2.56852019228982242) * z + 1.87295284992346725) * z +
              0.527905102951428412) * z + 0.0605183413124413191) * z + 0.00233520497626869185;
    r = Math.exp(-ax * ax) / ax * (0.5641895835477562869 - z * top / bot);
  }
  return x < 0 ? 2.0 - r : r;
}

/** `norm.ppf(p)` for `p` in (0, 1); ±Infinity at 0 and 1, NaN outside. */
export function normalQuantile(p: f64): f64 {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p == 0) return -Infinity;
  if (p == 1) return Infinity;
  const a1 = -39.69683028665376, a2 = 220.9460984245205, a3 = -275.9285104469687;
  const a4 = 138.3577518672690, a5 = -30.66479806614716, a6 = 2.506628277459239;
  const b1 = -54.47609879822406, b2 = 161.5858368580409, b3 = -155.6989798598866;
  const b4 = 66.80131188771972, b5 = -13.28068155288572;
  const c1 = -0.007784894002430293, c2 = -0.3223964580411365, c3 = -2.400758277161838;
  const c4 = -2.549732539343734, c5 = 4.374664141464968, c6 = 2.938163982698783;
  const d1 = 0.007784695709041462, d2 = 0.3224671290700398, d3 = 2.445134137142996;
  const d4 = 3.754408661907416;
  let x: f64;
  if (p < 0.02425) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c1 * q + c2) * q + c3) * q + c4) * q + c5) * q + c6) /
      ((((d1 * q + d2) * q + d3) * q + d4) * q + 1);
  } else if (p <= 1 - 0.02425) {
    const q = p - 0.5;
    const r = q * q;
    x = (((((a1 * r + a2) * r + a3) * r + a4) * r + a5) * r + a6) * q /
      (((((b1 * r + b2) * r + b3) * r + b4) * r + b5) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c1 * q + c2) * q + c3) * q + c4) * q + c5) * q + c6) /
      ((((d1 * q + d2) * q + d3) * q + d4) * q + 1);
  }
  // one Halley refinement step
  const e = 0.5 * erfc(-x / Math.SQRT2) - p;
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp(x * x / 2);
  return x - u / (1 + x * u / 2);
}
