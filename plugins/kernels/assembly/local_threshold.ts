/**
 * Pieces of scPortrait's local threshold (`segment_local_threshold`): `img[::step, ::step]`,
 * the block median (`threshold_local(method="median")` = `ndimage.median_filter(size=block,
 * mode="reflect")`, see `median_filter.ts` with `squareHalfWidths`), and the bilinear resize back
 * to full size (`skimage.transform.resize(order=1)` = `ndimage.zoom(grid_mode=True,
 * mode="mirror")`, then clipped to the input's range).
 * @module
 */

/** `dst = src[::step, ::step]` for u16 planes; returns nothing, `dst` holds ceil(h/s)·ceil(w/s). */
export function downsampleU16(src: usize, dst: usize, height: i32, width: i32, step: i32): void {
  const oh = (height + step - 1) / step;
  const ow = (width + step - 1) / step;
  for (let y = 0; y < oh; y++) {
    const row = src + ((<usize> (y * step) * <usize> width) << 1);
    const out = dst + ((<usize> y * <usize> ow) << 1);
    for (let x = 0; x < ow; x++) {
      store<u16>(out + (<usize> x << 1), load<u16>(row + (<usize> (x * step) << 1)));
    }
  }
}

function mirror(i: i32, n: i32): i32 {
  if (n == 1) return 0;
  const period = 2 * n - 2;
  let k = i % period;
  if (k < 0) k += period;
  return k < n ? k : period - k;
}

/**
 * Bilinear resize of `src` (f64, `ih * iw`) to `dst` (f64, `oh * ow`) as skimage's `resize`
 * with `order=1` (pixel-centre aligned, mirror boundary, output clipped to [min, max] of src).
 */
export function resizeBilinear(src: usize, ih: i32, iw: i32, dst: usize, oh: i32, ow: i32): void {
  let lo = Infinity;
  let hi = -Infinity;
  const n = ih * iw;
  for (let i = 0; i < n; i++) {
    const v = load<f64>(src + (<usize> i << 3));
    lo = min(lo, v);
    hi = max(hi, v);
  }
  const zy = <f64> ih / <f64> oh;
  const zx = <f64> iw / <f64> ow;
  const x0s = heap.alloc(<usize> ow << 2);
  const x1s = heap.alloc(<usize> ow << 2);
  const fxs = heap.alloc(<usize> ow << 3);
  for (let x = 0; x < ow; x++) {
    const cx = (<f64> x + 0.5) * zx - 0.5;
    const fl = Math.floor(cx);
    store<i32>(x0s + (<usize> x << 2), mirror(<i32> fl, iw));
    store<i32>(x1s + (<usize> x << 2), mirror(<i32> fl + 1, iw));
    store<f64>(fxs + (<usize> x << 3), cx - fl);
  }
  for (let y = 0; y < oh; y++) {
    const cy = (<f64> y + 0.5) * zy - 0.5;
    const fl = Math.floor(cy);
    const fy = cy - fl;
    const r0 = src + ((<usize> mirror(<i32> fl, ih) * <usize> iw) << 3);
    const r1 = src + ((<usize> mirror(<i32> fl + 1, ih) * <usize> iw) << 3);
    const out = dst + ((<usize> y * <usize> ow) << 3);
    for (let x = 0; x < ow; x++) {
      const a = load<i32>(x0s + (<usize> x << 2));
      const b = load<i32>(x1s + (<usize> x << 2));
      const fx = load<f64>(fxs + (<usize> x << 3));
      const top = load<f64>(r0 + (<usize> a << 3)) * (1 - fx) +
        load<f64>(r0 + (<usize> b << 3)) * fx;
      const bot = load<f64>(r1 + (<usize> a << 3)) * (1 - fx) +
        load<f64>(r1 + (<usize> b << 3)) * fx;
      let v = top * (1 - fy) + bot * fy;
      v = v < lo ? lo : v > hi ? hi : v;
      store<f64>(out + (<usize> x << 3), v);
    }
  }
  heap.free(fxs);
  heap.free(x1s);
  heap.free(x0s);
}
