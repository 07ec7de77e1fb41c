/**
 * Words for JSON values and schemas in error messages, key-path joining and JSON type names.
 * @module
 */
import type { JsonSchema, JsonType } from "./json_schema.ts";

/** Joins a key path: `joinPath("a", "b")` → `a.b`, `joinPath("a", 2)` → `a[2]`. */
export function joinPath(base: string, key: string | number): string {
  if (typeof key === "number") return `${base}[${key}]`;
  return base === "" ? key : `${base}.${key}`;
}

/** Describes a value briefly for a message: `0`, `"abc"`, `a list of 3 items`, `an object`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return `a list (${truncate(JSON.stringify(value))})`;
  if (typeof value === "object" && value !== null) {
    return `a mapping (${truncate(JSON.stringify(value))})`;
  }
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  return truncate(JSON.stringify(value));
}

function truncate(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** The JSON type of a value (`integer` for whole numbers). */
export function jsonTypeOf(value: unknown): JsonType | "undefined" {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "number") return Number.isInteger(value) ? "integer" : "number";
  if (typeof value === "object") return "object";
  if (typeof value === "string" || typeof value === "boolean") return typeof value as JsonType;
  return "undefined";
}

/** True when `value` has JSON type `type` (`number` also accepts integers; non-finite numbers fail). */
export function typeMatches(type: JsonType, value: unknown): boolean {
  const actual = jsonTypeOf(value);
  if (type === "number") {
    return actual === "integer" || (actual === "number" && Number.isFinite(value));
  }
  return actual === type;
}

function typeWords(t: JsonType): string {
  return {
    object: "a mapping",
    array: "a list",
    integer: "an integer",
    null: "null",
  }[t as string] ??
    `a ${t}`;
}

/** Describes what a schema expects in words (for messages). */
export function describeSchema(schema: JsonSchema): string {
  if (schema.description !== undefined && (schema.oneOf || schema.anyOf)) return schema.description;
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (schema.enum) return `one of ${schema.enum.map((e) => JSON.stringify(e)).join(", ")}`;
  const types = schema.type === undefined ? [] : [schema.type].flat();
  let s = types.length === 0 ? "a value" : types.map(typeWords).join(" or ");
  if (schema.items && types.includes("array")) s += ` of ${describeSchema(schema.items)}`;
  const bounds: string[] = [];
  if (schema.minimum !== undefined) bounds.push(`>= ${schema.minimum}`);
  if (schema.exclusiveMinimum !== undefined) bounds.push(`> ${schema.exclusiveMinimum}`);
  if (schema.maximum !== undefined) bounds.push(`<= ${schema.maximum}`);
  if (schema.exclusiveMaximum !== undefined) bounds.push(`< ${schema.exclusiveMaximum}`);
  if (bounds.length > 0) s += ` ${bounds.join(" and ")}`;
  return s;
}
