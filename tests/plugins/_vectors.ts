/**
 * Test helper: reads the test-vector JSON of a plugin (`{"$u16": [...]}` typed lists, see
 * docs/readme/registry.md) into jco's value representation, and compares results.
 * @module
 */

const TYPED: Record<string, (a: number[]) => ArrayLike<number>> = {
  $u8: (a) => Uint8Array.from(a),
  $u16: (a) => Uint16Array.from(a),
  $u32: (a) => Uint32Array.from(a),
  $i32: (a) => Int32Array.from(a),
  $f32: (a) => Float32Array.from(a),
  $f64: (a) => Float64Array.from(a),
};

/** Turns `{"$u16": [...]}` objects into typed arrays, recursively. */
export function reviveTyped(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reviveTyped);
  if (value && typeof value === "object") {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] in TYPED) {
      return TYPED[keys[0]]((value as Record<string, number[]>)[keys[0]]);
    }
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, reviveTyped(v)]));
  }
  return value;
}

/** Converts typed arrays to plain arrays so results compare with `deepStrictEqual`. */
export function plain(value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return Array.from(value as unknown as ArrayLike<number>);
  }
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

/** Reads a vector file and revives its typed lists. */
export function readVector(path: string): unknown {
  return reviveTyped(JSON.parse(Deno.readTextFileSync(path)));
}
