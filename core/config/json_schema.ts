/**
 * A small JSON-Schema subset: validation with key paths and "did you mean" suggestions, and
 * applying `default`s. Shared by the config loader and the plugin manifest (plugin `params`).
 *
 * Supported keywords: `type` (one or a list of `object` `array` `string` `number` `integer`
 * `boolean` `null`), `properties`, `required`, `additionalProperties` (false or a schema), `enum`,
 * `const`, `minimum` `maximum` `exclusiveMinimum` `exclusiveMaximum` (numbers, draft 2019 style),
 * `multipleOf`, `minLength` `maxLength` `pattern`, `format` (see {@link BUILTIN_FORMATS}), `items`
 * (one schema for every element), `minItems` `maxItems`, `oneOf` `anyOf`, `default`,
 * `description` and `title` (documentation only). Other keywords are ignored.
 * @module
 */
import {
  describeSchema,
  describeValue,
  joinPath,
  jsonTypeOf,
  typeMatches,
} from "./json_describe.ts";
import { nearestKey } from "./nearest_key.ts";
import { isValidRange, isValidVersion } from "./semver.ts";

/** A JSON type name. */
export type JsonType = "object" | "array" | "string" | "number" | "integer" | "boolean" | "null";

/** The supported JSON-Schema subset. */
export interface JsonSchema {
  /** Allowed type or types. */
  type?: JsonType | JsonType[];
  /** Human description (documentation; used in messages of `oneOf`/`anyOf`). */
  description?: string;
  /** Short title (documentation only). */
  title?: string;
  /** Schemas of known object keys. */
  properties?: Record<string, JsonSchema>;
  /** Keys that must be present. */
  required?: string[];
  /** `false` forbids unknown keys; a schema validates every unknown key's value. */
  additionalProperties?: boolean | JsonSchema;
  /** The value must equal one of these (compared as JSON). */
  enum?: unknown[];
  /** The value must equal this (compared as JSON). */
  const?: unknown;
  /** Inclusive lower bound. */
  minimum?: number;
  /** Inclusive upper bound. */
  maximum?: number;
  /** Exclusive lower bound. */
  exclusiveMinimum?: number;
  /** Exclusive upper bound. */
  exclusiveMaximum?: number;
  /** The number must be a multiple of this. */
  multipleOf?: number;
  /** Minimum string length. */
  minLength?: number;
  /** Maximum string length. */
  maxLength?: number;
  /** Regular expression (unanchored, as in JSON Schema) the string must match. */
  pattern?: string;
  /** A named string format checked by a format function. */
  format?: string;
  /** Schema of every array element. */
  items?: JsonSchema;
  /** Minimum array length. */
  minItems?: number;
  /** Maximum array length. */
  maxItems?: number;
  /** Exactly one of these must match. */
  oneOf?: JsonSchema[];
  /** At least one of these must match. */
  anyOf?: JsonSchema[];
  /** Value used by {@link applyDefaults} when the key is absent. */
  default?: unknown;
}

/** One validation problem. */
export interface SchemaIssue {
  /** Key path of the offending value, e.g. `segmentation.params.median_filter_size` or `a[2]`. */
  path: string;
  /** The schema keyword that failed (`type`, `required`, `additionalProperties`, …). */
  keyword: string;
  /** What the schema expects, in words. */
  expected: string;
  /** What was found, in words. */
  found: string;
  /** Nearest valid key for an unknown key, if one is close. */
  suggestion?: string;
  /** One-line description: `<path>: expected …, found …` (plus "did you mean"). */
  message: string;
}

/** Checks a string against a named format; returns what is wrong, or undefined when valid. */
export type FormatCheck = (value: string) => string | undefined;

/** Plugin ids: lower-case letters, digits and `-`, starting with a letter or digit, ≤ 64 chars. */
export const PLUGIN_ID_PATTERN: RegExp = /^[a-z0-9][a-z0-9-]{0,63}$/;

/**
 * Formats understood by default: `semver` (a SemVer 2.0.0 version), `semver-range` (an npm-style
 * range), `plugin-id` ({@link PLUGIN_ID_PATTERN}) and `method-ref` (`<plugin-id>@<semver-range>`).
 */
export const BUILTIN_FORMATS: Readonly<Record<string, FormatCheck>> = {
  "semver": (s) => isValidVersion(s) ? undefined : "a SemVer version like 1.2.3",
  "semver-range": (s) => isValidRange(s) ? undefined : "a SemVer range like ^0.1.0",
  "plugin-id": (s) =>
    PLUGIN_ID_PATTERN.test(s) ? undefined : "a plugin id matching [a-z0-9][a-z0-9-]*",
  "method-ref": checkMethodRef,
};

function checkMethodRef(s: string): string | undefined {
  const at = s.indexOf("@");
  const id = at < 0 ? s : s.slice(0, at);
  if (!PLUGIN_ID_PATTERN.test(id)) {
    return `"<plugin-id>@<semver-range>" whose id "${id}" matches [a-z0-9][a-z0-9-]*`;
  }
  if (at >= 0 && !isValidRange(s.slice(at + 1))) {
    return `"<plugin-id>@<semver-range>" whose range "${s.slice(at + 1)}" is a valid SemVer range`;
  }
  return undefined;
}

/** Options of {@link validateJson}. */
export interface ValidateOptions {
  /** Key path of `value` inside its document, prefixed to every issue path (default ""). */
  path?: string;
  /** Extra or overriding format checks, merged over {@link BUILTIN_FORMATS}. */
  formats?: Record<string, FormatCheck>;
}

function issue(
  path: string,
  keyword: string,
  expected: string,
  found: string,
  suggestion?: string,
): SchemaIssue {
  const where = path === "" ? "(top level)" : path;
  let message = `${where}: expected ${expected}, found ${found}`;
  if (suggestion !== undefined) message += `; did you mean "${suggestion}"?`;
  return { path, keyword, expected, found, suggestion, message };
}

/** Validates `value` against `schema`; returns every problem found (empty when valid). */
export function validateJson(
  schema: JsonSchema,
  value: unknown,
  options: ValidateOptions = {},
): SchemaIssue[] {
  const formats = { ...BUILTIN_FORMATS, ...options.formats };
  const out: SchemaIssue[] = [];
  check(schema, value, options.path ?? "", formats, out);
  return out;
}

function check(
  schema: JsonSchema,
  value: unknown,
  path: string,
  formats: Record<string, FormatCheck>,
  out: SchemaIssue[],
): void {
  if (schema.oneOf || schema.anyOf) {
    checkAlternatives(schema, value, path, formats, out);
    return;
  }
  if (schema.type !== undefined) {
    const types = [schema.type].flat();
    if (!types.some((t) => typeMatches(t, value))) {
      out.push(issue(path, "type", describeSchema(schema), describeValue(value)));
      return;
    }
  }
  const same = (a: unknown) => JSON.stringify(a) === JSON.stringify(value);
  if (schema.const !== undefined && !same(schema.const)) {
    out.push(issue(path, "const", describeSchema(schema), describeValue(value)));
  }
  if (schema.enum && !schema.enum.some(same)) {
    out.push(issue(path, "enum", describeSchema(schema), describeValue(value)));
  }
  if (typeof value === "number") checkNumber(schema, value, path, out);
  if (typeof value === "string") checkString(schema, value, path, formats, out);
  if (Array.isArray(value)) checkArray(schema, value, path, formats, out);
  else if (jsonTypeOf(value) === "object") {
    checkObject(schema, value as Record<string, unknown>, path, formats, out);
  }
}

function checkNumber(schema: JsonSchema, v: number, path: string, out: SchemaIssue[]): void {
  const bad = (schema.minimum !== undefined && v < schema.minimum) ||
    (schema.maximum !== undefined && v > schema.maximum) ||
    (schema.exclusiveMinimum !== undefined && v <= schema.exclusiveMinimum) ||
    (schema.exclusiveMaximum !== undefined && v >= schema.exclusiveMaximum);
  if (bad) out.push(issue(path, "range", describeSchema(schema), describeValue(v)));
  if (schema.multipleOf !== undefined && Math.abs(v / schema.multipleOf % 1) > 1e-9) {
    out.push(issue(path, "multipleOf", `a multiple of ${schema.multipleOf}`, describeValue(v)));
  }
}

function checkString(
  schema: JsonSchema,
  v: string,
  path: string,
  formats: Record<string, FormatCheck>,
  out: SchemaIssue[],
): void {
  if (schema.minLength !== undefined && v.length < schema.minLength) {
    out.push(issue(path, "minLength", `at least ${schema.minLength} characters`, describeValue(v)));
  }
  if (schema.maxLength !== undefined && v.length > schema.maxLength) {
    out.push(issue(path, "maxLength", `at most ${schema.maxLength} characters`, describeValue(v)));
  }
  if (schema.pattern !== undefined && !new RegExp(schema.pattern, "u").test(v)) {
    out.push(issue(path, "pattern", `text matching /${schema.pattern}/`, describeValue(v)));
  }
  const fmt = schema.format === undefined ? undefined : formats[schema.format];
  const problem = fmt?.(v);
  if (problem !== undefined) out.push(issue(path, "format", problem, describeValue(v)));
}

function checkArray(
  schema: JsonSchema,
  v: unknown[],
  path: string,
  formats: Record<string, FormatCheck>,
  out: SchemaIssue[],
): void {
  if (schema.minItems !== undefined && v.length < schema.minItems) {
    out.push(issue(path, "minItems", `at least ${schema.minItems} items`, describeValue(v)));
  }
  if (schema.maxItems !== undefined && v.length > schema.maxItems) {
    out.push(issue(path, "maxItems", `at most ${schema.maxItems} items`, describeValue(v)));
  }
  if (schema.items) {
    v.forEach((item, i) => check(schema.items!, item, joinPath(path, i), formats, out));
  }
}

function checkObject(
  schema: JsonSchema,
  v: Record<string, unknown>,
  path: string,
  formats: Record<string, FormatCheck>,
  out: SchemaIssue[],
): void {
  const props = schema.properties ?? {};
  for (const key of schema.required ?? []) {
    if (v[key] === undefined) {
      const expected = props[key] ? describeSchema(props[key]) : "a value";
      out.push(issue(joinPath(path, key), "required", `${expected} (required key)`, "nothing"));
    }
  }
  for (const [key, item] of Object.entries(v)) {
    const sub = props[key];
    if (sub) {
      if (item !== undefined) check(sub, item, joinPath(path, key), formats, out);
    } else if (schema.additionalProperties === false) {
      const known = Object.keys(props);
      const suggestion = nearestKey(key, known);
      const expected = suggestion === undefined
        ? `one of the keys ${known.join(", ")}`
        : "a known key";
      out.push(
        issue(joinPath(path, key), "additionalProperties", expected, "an unknown key", suggestion),
      );
    } else if (typeof schema.additionalProperties === "object") {
      check(schema.additionalProperties, item, joinPath(path, key), formats, out);
    }
  }
}

function checkAlternatives(
  schema: JsonSchema,
  value: unknown,
  path: string,
  formats: Record<string, FormatCheck>,
  out: SchemaIssue[],
): void {
  const { oneOf, anyOf, ...rest } = schema;
  const restIssues: SchemaIssue[] = [];
  check(rest, value, path, formats, restIssues);
  out.push(...restIssues);
  const branches = (oneOf ?? anyOf)!;
  const results = branches.map((b) => {
    const found: SchemaIssue[] = [];
    check(b, value, path, formats, found);
    return found;
  });
  const passing = results.filter((r) => r.length === 0).length;
  if (oneOf && passing > 1) {
    out.push(
      issue(
        path,
        "oneOf",
        `exactly one of: ${branches.map(describeSchema).join("; ")}`,
        `${describeValue(value)}, which matches ${passing}`,
      ),
    );
  }
  if (passing > 0) return;
  // If exactly one branch accepts the value's type (or literal), its precise issues are the useful ones.
  const rootMismatch = new Set(["type", "enum", "const"]);
  const typed = results.filter((r) =>
    !r.some((i) => rootMismatch.has(i.keyword) && i.path === path)
  );
  if (typed.length === 1) {
    out.push(...typed[0]);
    return;
  }
  const expected = schema.description ?? branches.map(describeSchema).join(" or ");
  out.push(issue(path, oneOf ? "oneOf" : "anyOf", expected, describeValue(value)));
}

/** Result of {@link applyDefaults}. */
export interface DefaultsResult<T = unknown> {
  /** A copy of the input with every absent key that has a `default` filled in. */
  value: T;
  /** Key paths that received a default, in document order. */
  applied: string[];
}

/**
 * Fills in `default`s: for every object key declared in `properties` with a `default` and absent
 * from the value, a copy of the default is inserted; present objects and arrays are recursed into
 * (array elements through `items`). `oneOf`/`anyOf` branches are not applied (they are
 * ambiguous). The input is not modified. Run {@link validateJson} first: defaults are only filled
 * where the value already has the right shape.
 */
export function applyDefaults<T = unknown>(
  schema: JsonSchema,
  value: T,
  options: { path?: string } = {},
): DefaultsResult<T> {
  const applied: string[] = [];
  const path = options.path ?? "";
  if (value === undefined && schema.default !== undefined) {
    applied.push(path);
    return { value: structuredClone(schema.default) as T, applied };
  }
  return { value: fill(schema, structuredClone(value), path, applied) as T, applied };
}

function fill(schema: JsonSchema, value: unknown, path: string, applied: string[]): unknown {
  if (Array.isArray(value)) {
    if (schema.items) {
      value.forEach((v, i) => value[i] = fill(schema.items!, v, joinPath(path, i), applied));
    }
    return value;
  }
  if (jsonTypeOf(value) !== "object" || !schema.properties) return value;
  const obj = value as Record<string, unknown>;
  for (const [key, sub] of Object.entries(schema.properties)) {
    const p = joinPath(path, key);
    if (obj[key] === undefined) {
      if (sub.default !== undefined) {
        obj[key] = structuredClone(sub.default);
        applied.push(p);
        fill(sub, obj[key], p, []);
      }
    } else {
      obj[key] = fill(sub, obj[key], p, applied);
    }
  }
  return obj;
}
