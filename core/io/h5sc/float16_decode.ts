/**
 * float16 → float32 conversion through a 65 536-entry lookup table (exact: every half value is
 * representable in float32).
 * @module
 */

let table: Float32Array | undefined;

/** The lookup table from half-float bit pattern to its float32 value. */
export function float16Table(): Float32Array {
  if (!table) {
    const bits = new Uint16Array(65536);
    for (let i = 0; i < 65536; i++) bits[i] = i;
    table = new Float32Array(new Float16Array(bits.buffer));
  }
  return table;
}

/** Converts half-float bit patterns to float32 values into `out` (allocated when omitted). */
export function decodeFloat16(
  bits: Uint16Array,
  out = new Float32Array(bits.length),
): Float32Array {
  const lut = float16Table();
  for (let i = 0; i < bits.length; i++) out[i] = lut[bits[i]];
  return out;
}
