/**
 * The JSON encoding of test-vector values: jco's value representation in which typed lists are
 * written `{"$u16": [...]}` (also `$u8`, `$u32`, `$i32`, `$f32`, `$f64`). Decoding for inputs, and
 * comparing a result with the expected value within a tolerance.
 * @module
 */

const TYPED: Record<string, (values: number[]) => unknown> = {
  $u8: (v) => Uint8Array.from(v),
  $u16: (v) => Uint16Array.from(v),
  $u32: (v) => Uint32Array.from(v),
  $i32: (v) => Int32Array.from(v),
  $f32: (v) => Float32Array.from(v),
  $f64: (v) => Float64Array.from(v),
};

function typedMarker(value: unknown): [string, number[]] | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1 || !(keys[0] in TYPED)) return undefined;
  const list = (value as Record<string, unknown>)[keys[0]];
  return Array.isArray(list) ? [keys[0], list as number[]] : undefined;
}

/** Replaces every typed-list marker in `value` with the typed array it names. */
export function decodeTestValue(value: unknown): unknown {
  const marker = typedMarker(value);
  if (marker) return TYPED[marker[0]](marker[1]);
  if (Array.isArray(value)) return value.map(decodeTestValue);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decodeTestValue(v)]));
  }
  return value;
}

/** Turns typed arrays (results) and typed-list markers (expected files) into plain arrays. */
export function plainTestValue(value: unknown): unknown {
  const marker = typedMarker(value);
  if (marker) return marker[1];
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    return Array.from(value as unknown as ArrayLike<number | bigint>, (x) => Number(x));
  }
  if (Array.isArray(value)) return value.map(plainTestValue);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plainTestValue(v)]));
  }
  return typeof value === "bigint" ? Number(value) : value;
}

function show(v: unknown): string {
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 60 ? s.slice(0, 57) + "..." : s;
}

/**
 * The first difference between `actual` and `expected` (both plain, see {@link plainTestValue})
 * as `<path>: expected …, got …`, or undefined when they agree; numbers may differ by
 * `tolerance`.
 */
export function firstDifference(
  actual: unknown,
  expected: unknown,
  tolerance: number,
  path = "result",
): string | undefined {
  if (typeof expected === "number" && typeof actual === "number") {
    const same = Number.isNaN(expected)
      ? Number.isNaN(actual)
      : Math.abs(actual - expected) <= tolerance;
    return same ? undefined : `${path}: expected ${expected}, got ${actual}`;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path}: expected a list, got ${show(actual)}`;
    if (actual.length !== expected.length) {
      return `${path}: expected ${expected.length} items, got ${actual.length}`;
    }
    for (let i = 0; i < expected.length; i++) {
      const d = firstDifference(actual[i], expected[i], tolerance, `${path}[${i}]`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  if (typeof expected === "object" && expected !== null) {
    if (typeof actual !== "object" || actual === null || Array.isArray(actual)) {
      return `${path}: expected an object, got ${show(actual)}`;
    }
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    for (const key of new Set([...Object.keys(e), ...Object.keys(a)])) {
      if (!(key in a)) return `${path}.${key}: missing from the result`;
      if (!(key in e)) return `${path}.${key}: not expected (got ${show(a[key])})`;
      const d = firstDifference(a[key], e[key], tolerance, `${path}.${key}`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  return actual === expected
    ? undefined
    : `${path}: expected ${show(expected)}, got ${show(actual)}`;
}
