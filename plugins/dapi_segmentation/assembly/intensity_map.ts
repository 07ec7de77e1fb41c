/**
 * scPortrait's chain of percentile normalisations as one monotone map of raw u16 values:
 * `clip((v - lo) / (hi - lo), 0, 1)` in float32 (numpy's arithmetic for a float32 image), the
 * division skipped when `hi == lo`, applied up to twice (the global normalisation, then the
 * mask-specific one). Because every step is monotone, it commutes with the median filter and
 * with `[::step]` sampling, so plugins filter raw u16 planes and map values afterwards.
 * @module
 */

/** Up to two successive percentile normalisations; none = the raw value. */
export class IntensityMap {
  /** Number of normalisations applied (0, 1 or 2). */
  stages: i32 = 0;
  private lo0: f32 = 0;
  private hi0: f32 = 0;
  private lo1: f32 = 0;
  private hi1: f32 = 0;

  /** Appends a normalisation with bounds `lo`, `hi` (in the units of the previous stage). */
  then(lo: f64, hi: f64): IntensityMap {
    if (this.stages == 0) {
      this.lo0 = <f32> lo;
      this.hi0 = <f32> hi;
    } else {
      this.lo1 = <f32> lo;
      this.hi1 = <f32> hi;
    }
    this.stages++;
    return this;
  }

  /** True when values are float32 after the map (some normalisation applies). */
  @inline
  get isFloat(): bool {
    return this.stages > 0;
  }

  /** The mapped value of raw value `v`. */
  apply(v: f64): f64 {
    if (this.stages == 0) return v;
    let x = step(<f32> v, this.lo0, this.hi0);
    if (this.stages > 1) x = step(x, this.lo1, this.hi1);
    return <f64> x;
  }

  /** A copy of this map (so a later stage can be added without changing it). */
  clone(): IntensityMap {
    const m = new IntensityMap();
    m.stages = this.stages;
    m.lo0 = this.lo0;
    m.hi0 = this.hi0;
    m.lo1 = this.lo1;
    m.hi1 = this.hi1;
    return m;
  }
}

function step(v: f32, lo: f32, hi: f32): f32 {
  let x = v - lo;
  if (hi != lo) x = x / (hi - lo);
  return x < 0 ? 0 : x > 1 ? 1 : x;
}

/** A 65536-entry table of `map.apply(v)` for every u16 value (f64). */
export function mapTable(map: IntensityMap): StaticArray<f64> {
  const t = new StaticArray<f64>(65536);
  for (let v = 0; v < 65536; v++) unchecked(t[v] = map.apply(<f64> v));
  return t;
}
