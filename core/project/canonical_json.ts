/**
 * Canonical JSON (RFC 8785, JSON Canonicalization Scheme) and SHA-256 hashes of it, so the same
 * parameters give the same hash whatever the key order or whitespace they were written with.
 * Object keys are sorted by UTF-16 code units, no whitespace is emitted, numbers use the
 * ECMAScript shortest round-trip form, strings use JSON escaping. `undefined` members are
 * dropped as `JSON.stringify` does; non-finite numbers and other non-JSON values throw.
 * @module
 */
import { ScportraitError } from "../errors.ts";

function fail(where: string, what: string): never {
  throw new ScportraitError(
    "USAGE",
    `Cannot write canonical JSON: ${where} is ${what}; only null, booleans, finite numbers, ` +
      "strings, arrays and plain objects are allowed.",
  );
}

function encode(value: unknown, where: string): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isFinite(value)) fail(where, String(value));
      return Object.is(value, -0) ? "0" : String(value);
    case "string":
      return JSON.stringify(value);
    case "object":
      break;
    default:
      fail(where, `a ${typeof value}`);
  }
  if (Array.isArray(value)) {
    return `[${
      value.map((v, i) => encode(v === undefined ? null : v, `${where}[${i}]`)).join(",")
    }]`;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) fail(where, `a ${proto?.constructor?.name}`);
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).filter((k) => record[k] !== undefined).sort();
  return `{${
    keys.map((k) => `${JSON.stringify(k)}:${encode(record[k], `${where}.${k}`)}`).join(",")
  }}`;
}

/** The canonical JSON text of `value` (RFC 8785). */
export function canonicalJson(value: unknown): string {
  return encode(value, "the value");
}

/** Lower-case hex SHA-256 of bytes or of a string's UTF-8 encoding. */
export async function sha256Hex(data: Uint8Array | string): Promise<string> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** `sha256:<hex>` of the canonical JSON of `value` — the params hash recorded in provenance. */
export async function canonicalHash(value: unknown): Promise<string> {
  return `sha256:${await sha256Hex(canonicalJson(value))}`;
}
