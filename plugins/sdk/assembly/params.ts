/**
 * Typed access to the JSON params object. The host validated it against the manifest's schema
 * and filled in defaults; these accessors still check types so a plugin is safe on its own.
 * A wrong type or range records `invalid-params` (see `errors.ts`) and returns the default.
 * @module
 */

import { invalidParams } from "./errors";
import { JsonKind, JsonValue, parseJson } from "./json";

/** The params object of one call. */
export class Params {
  /** The parsed JSON object. */
  root: JsonValue;

  constructor(root: JsonValue) {
    this.root = root;
  }

  /** Parses `len` bytes of UTF-8 at `ptr`; records `invalid-params` and returns null on error. */
  static parse(ptr: usize, len: usize): Params | null {
    if (len == 0) return new Params(emptyObject());
    const r = parseJson(ptr, len);
    const v = r.value;
    if (v === null) {
      invalidParams("params is not valid JSON: " + r.error);
      return null;
    }
    if (v.kind != JsonKind.Object) {
      invalidParams("params must be a JSON object, got " + v.typeName());
      return null;
    }
    return new Params(v);
  }

  /** True when `key` is present (even if null). */
  has(key: string): bool {
    return this.root.get(key) !== null;
  }

  /** The raw value of `key`, or null when absent. */
  get(key: string): JsonValue | null {
    return this.root.get(key);
  }

  /** Number at `key`; `fallback` when absent or null. */
  number(key: string, fallback: f64): f64 {
    const v = this.root.get(key);
    if (v === null || v.kind == JsonKind.Null) return fallback;
    if (v.kind != JsonKind.Number) {
      invalidParams("params." + key + " must be a number, got " + v.typeName());
      return fallback;
    }
    return v.num;
  }

  /** Number at `key` that must lie in `[min, max]`. */
  numberIn(key: string, fallback: f64, min: f64, max: f64): f64 {
    const x = this.number(key, fallback);
    if (!(x >= min && x <= max)) {
      invalidParams(
        "params." + key + " must be in [" + min.toString() + ", " + max.toString() + "], got " +
          x.toString(),
      );
      return fallback;
    }
    return x;
  }

  /** Integer at `key` that must lie in `[min, max]`. */
  integer(key: string, fallback: i64, min: i64, max: i64): i64 {
    const x = this.number(key, <f64> fallback);
    if (x != Math.floor(x)) {
      invalidParams("params." + key + " must be an integer, got " + x.toString());
      return fallback;
    }
    if (x < <f64> min || x > <f64> max) {
      invalidParams(
        "params." + key + " must be in [" + min.toString() + ", " + max.toString() + "], got " +
          x.toString(),
      );
      return fallback;
    }
    return <i64> x;
  }

  /** Boolean at `key`; `fallback` when absent or null. */
  bool(key: string, fallback: bool): bool {
    const v = this.root.get(key);
    if (v === null || v.kind == JsonKind.Null) return fallback;
    if (v.kind != JsonKind.Bool) {
      invalidParams("params." + key + " must be a boolean, got " + v.typeName());
      return fallback;
    }
    return v.bool;
  }

  /** String at `key`; `fallback` when absent or null. */
  string(key: string, fallback: string): string {
    const v = this.root.get(key);
    if (v === null || v.kind == JsonKind.Null) return fallback;
    if (v.kind != JsonKind.String) {
      invalidParams("params." + key + " must be a string, got " + v.typeName());
      return fallback;
    }
    return v.str;
  }

  /** String at `key` that must be one of `choices`. */
  choice(key: string, fallback: string, choices: string[]): string {
    const s = this.string(key, fallback);
    if (!choices.includes(s)) {
      invalidParams(
        "params." + key + " must be one of " + choices.join(", ") + ', got "' + s + '"',
      );
      return fallback;
    }
    return s;
  }

  /** Array of numbers at `key`; empty when absent or null. */
  numbers(key: string): f64[] {
    const out = new Array<f64>();
    const v = this.root.get(key);
    if (v === null || v.kind == JsonKind.Null) return out;
    if (v.kind != JsonKind.Array) {
      invalidParams("params." + key + " must be an array of numbers, got " + v.typeName());
      return out;
    }
    for (let i = 0; i < v.items.length; i++) {
      const item = unchecked(v.items[i]);
      if (item.kind != JsonKind.Number) {
        invalidParams(
          "params." + key + "[" + i.toString() + "] must be a number, got " + item.typeName(),
        );
        return new Array<f64>();
      }
      out.push(item.num);
    }
    return out;
  }
}

function emptyObject(): JsonValue {
  const v = new JsonValue();
  v.kind = JsonKind.Object;
  return v;
}
