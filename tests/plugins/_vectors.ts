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
  if (typeof value === "bigint") return Number(value);
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return Array.from(value as unknown as ArrayLike<number | bigint>, (v) => Number(v));
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

/** Asserts `actual` equals `expected` with numbers within `tolerance` (NaN equals NaN). */
export function assertClose(actual: unknown, expected: unknown, tolerance: number, at = "$"): void {
  const a = plain(actual), e = plain(expected);
  if (typeof e === "number" && typeof a === "number") {
    if (Number.isNaN(e) && Number.isNaN(a)) return;
    if (!(Math.abs(a - e) <= tolerance)) throw new Error(`${at}: ${a} differs from ${e}`);
    return;
  }
  if (Array.isArray(e)) {
    if (!Array.isArray(a) || a.length !== e.length) {
      throw new Error(`${at}: length ${Array.isArray(a) ? a.length : "?"} != ${e.length}`);
    }
    e.forEach((v, i) => assertClose(a[i], v, tolerance, `${at}[${i}]`));
    return;
  }
  if (e && typeof e === "object") {
    if (!a || typeof a !== "object") throw new Error(`${at}: expected an object`);
    const ak = Object.keys(a).sort(), ek = Object.keys(e).sort();
    if (ak.join() !== ek.join()) throw new Error(`${at}: keys ${ak} != ${ek}`);
    for (const k of ek) {
      assertClose(
        (a as Record<string, unknown>)[k],
        (e as Record<string, unknown>)[k],
        tolerance,
        `${at}.${k}`,
      );
    }
    return;
  }
  if (a !== e) throw new Error(`${at}: ${JSON.stringify(a)} != ${JSON.stringify(e)}`);
}
