/**
 * The sample type of a TIFF page (BitsPerSample + SampleFormat) as a dtype name, and the typed
 * array that holds it.
 * @module
 */

/** Sample types the TIFF reader accepts. */
export type TiffDtype =
  | "uint8"
  | "int8"
  | "uint16"
  | "int16"
  | "uint32"
  | "int32"
  | "float32"
  | "float64";

/** Typed arrays holding TIFF samples. */
export type TiffSampleArray =
  | Uint8Array
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array;

/**
 * Maps TIFF BitsPerSample and SampleFormat (1 uint, 2 int, 3 float) to a dtype, or `undefined`
 * when the combination is not supported (1-bit, 12-bit, float16, complex, …).
 */
export function tiffDtype(bitsPerSample: number, sampleFormat: number): TiffDtype | undefined {
  const key = `${sampleFormat}:${bitsPerSample}`;
  const table: Record<string, TiffDtype> = {
    "1:8": "uint8",
    "2:8": "int8",
    "1:16": "uint16",
    "2:16": "int16",
    "1:32": "uint32",
    "2:32": "int32",
    "3:32": "float32",
    "3:64": "float64",
  };
  return table[key];
}

/** Bytes per sample of `dtype`. */
export function dtypeBytes(dtype: TiffDtype): number {
  return Number(/\d+$/.exec(dtype)![0]) / 8;
}

/** A typed array of `dtype` viewing `buffer` (which must be aligned to the element size). */
export function sampleArray(
  dtype: TiffDtype,
  buffer: ArrayBuffer,
  byteOffset = 0,
  length?: number,
): TiffSampleArray {
  const n = length ?? (buffer.byteLength - byteOffset) / dtypeBytes(dtype);
  switch (dtype) {
    case "uint8":
      return new Uint8Array(buffer, byteOffset, n);
    case "int8":
      return new Int8Array(buffer, byteOffset, n);
    case "uint16":
      return new Uint16Array(buffer, byteOffset, n);
    case "int16":
      return new Int16Array(buffer, byteOffset, n);
    case "uint32":
      return new Uint32Array(buffer, byteOffset, n);
    case "int32":
      return new Int32Array(buffer, byteOffset, n);
    case "float32":
      return new Float32Array(buffer, byteOffset, n);
    case "float64":
      return new Float64Array(buffer, byteOffset, n);
  }
}
