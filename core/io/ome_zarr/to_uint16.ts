/**
 * Conversion of OME-Zarr samples to the uint16 the pipeline works in, the same rules as for TIFF
 * input: uint16 as is, uint8 × 255 (as scPortrait), everything else rounded and clipped to
 * [0, 65535] (the caller warns once).
 * @module
 */

/** Typed arrays zarrita returns for numeric arrays. */
export type NumericArray =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array
  | BigUint64Array
  | BigInt64Array;

/** True when converting `dtype` to uint16 may lose information (clipping or rounding). */
export function conversionIsLossy(dtype: string): boolean {
  return dtype !== "uint16" && dtype !== "uint8";
}

/** Converts samples of `dtype` to uint16. Returns the input itself for uint16. */
export function toUint16(data: NumericArray, dtype: string): Uint16Array {
  if (data instanceof Uint16Array) return data;
  const out = new Uint16Array(data.length);
  if (dtype === "uint8") {
    for (let i = 0; i < data.length; i++) out[i] = (data as Uint8Array)[i] * 255;
    return out;
  }
  for (let i = 0; i < data.length; i++) {
    const raw = data[i];
    const v = typeof raw === "bigint" ? Number(raw) : Math.round(raw);
    out[i] = v <= 0 || Number.isNaN(v) ? 0 : v >= 65535 ? 65535 : v;
  }
  return out;
}
