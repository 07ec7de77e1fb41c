/**
 * Semantic Versioning 2.0.0 versions and npm-style ranges: parse, compare, `satisfies` and
 * `maxSatisfying`. Range syntax and matching follow npm's `semver` package: `^` `~` `>=` `<` `=`
 * x-ranges (`1.x`, `1.2.*`, `*`), hyphen ranges (`1.2.3 - 2.3.4`), space-separated intersections
 * and `||` unions. A prerelease version only satisfies a range when some comparator of the matching
 * set names the same `major.minor.patch` with a prerelease (so `^1.2.3-beta.1` allows
 * `1.2.3-beta.2` but not `1.3.0-beta.1`). Build metadata is ignored for ordering.
 * @module
 */
import { ScportraitError } from "../errors.ts";

/** A parsed SemVer 2.0.0 version. */
export interface SemVer {
  /** Major version. */
  major: number;
  /** Minor version. */
  minor: number;
  /** Patch version. */
  patch: number;
  /** Prerelease identifiers (numbers for numeric identifiers), empty for a release. */
  prerelease: (string | number)[];
  /** Build metadata identifiers (ignored when comparing). */
  build: string[];
}

/** One comparator of a range, e.g. `>=1.2.3`. `operator` "" means "any version". */
export interface Comparator {
  /** The comparison operator; "" matches every release. */
  operator: "" | "=" | "<" | "<=" | ">" | ">=";
  /** The version compared against (unused when `operator` is ""). */
  version: SemVer;
}

/** A parsed range: a union (`||`) of intersections of comparators. */
export interface SemVerRange {
  /** The original range text. */
  raw: string;
  /** Union of comparator sets; a version matches when every comparator of one set matches. */
  sets: Comparator[][];
}

const NUM = "0|[1-9]\\d*";
const PRE_ID = "(?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)";
const VERSION_RE = new RegExp(
  `^(${NUM})\\.(${NUM})\\.(${NUM})(?:-(${PRE_ID}(?:\\.${PRE_ID})*))?` +
    `(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?$`,
);
const XR = `(?:${NUM}|[xX*])`;
const PARTIAL_RE = new RegExp(
  `^(${XR})(?:\\.(${XR})(?:\\.(${XR})(?:-(${PRE_ID}(?:\\.${PRE_ID})*))?` +
    `(?:\\+([0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*))?)?)?$`,
);
const ANY: Comparator = { operator: "", version: make(0, 0, 0) };

function make(major: number, minor: number, patch: number, pre: (string | number)[] = []): SemVer {
  return { major, minor, patch, prerelease: pre, build: [] };
}

function invalid(what: string, text: string, detail: string): ScportraitError {
  return new ScportraitError(
    "SEMVER_INVALID",
    `Invalid SemVer ${what} "${text}": ${detail}`,
  );
}

function parsePrerelease(text: string | undefined): (string | number)[] {
  if (text === undefined) return [];
  return text.split(".").map((id) => (/^\d+$/.test(id) ? Number(id) : id));
}

function safeNumber(text: string, whole: string, what: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw invalid(what, whole, `number ${text} is too large`);
  return n;
}

/** Parses a strict SemVer 2.0.0 version such as `1.2.3-beta.1+build.5`; throws `SEMVER_INVALID`. */
export function parseVersion(text: string): SemVer {
  const m = VERSION_RE.exec(text.trim());
  if (!m) {
    throw invalid("version", text, "expected MAJOR.MINOR.PATCH with optional -prerelease/+build");
  }
  return {
    major: safeNumber(m[1], text, "version"),
    minor: safeNumber(m[2], text, "version"),
    patch: safeNumber(m[3], text, "version"),
    prerelease: parsePrerelease(m[4]),
    build: m[5] === undefined ? [] : m[5].split("."),
  };
}

/** True when `text` is a valid SemVer 2.0.0 version. */
export function isValidVersion(text: string): boolean {
  try {
    parseVersion(text);
    return true;
  } catch {
    return false;
  }
}

/** Formats a version back to text (`1.2.3-beta.1+build`). */
export function formatVersion(version: SemVer): string {
  let s = `${version.major}.${version.minor}.${version.patch}`;
  if (version.prerelease.length > 0) s += `-${version.prerelease.join(".")}`;
  if (version.build.length > 0) s += `+${version.build.join(".")}`;
  return s;
}

function asVersion(v: SemVer | string): SemVer {
  return typeof v === "string" ? parseVersion(v) : v;
}

function compareIds(a: string | number, b: string | number): number {
  if (typeof a === "number" && typeof b === "number") return Math.sign(a - b);
  if (typeof a === "number") return -1;
  if (typeof b === "number") return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Orders two versions by SemVer precedence: -1, 0 or 1 (build metadata is ignored). */
export function compareVersions(a: SemVer | string, b: SemVer | string): -1 | 0 | 1 {
  const x = asVersion(a);
  const y = asVersion(b);
  const main = Math.sign(x.major - y.major) || Math.sign(x.minor - y.minor) ||
    Math.sign(x.patch - y.patch);
  if (main !== 0) return main as -1 | 1;
  const pa = x.prerelease;
  const pb = y.prerelease;
  if (pa.length === 0 || pb.length === 0) return Math.sign(pb.length - pa.length) as -1 | 0 | 1;
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    if (i >= pa.length) return -1;
    if (i >= pb.length) return 1;
    const c = compareIds(pa[i], pb[i]);
    if (c !== 0) return c as -1 | 1;
  }
  return 0;
}

interface Partial {
  major?: number;
  minor?: number;
  patch?: number;
  prerelease: (string | number)[];
}

function parsePartial(text: string, whole: string): Partial {
  const m = PARTIAL_RE.exec(text);
  if (!m) throw invalid("range", whole, `"${text}" is not a version or x-range`);
  const num = (s: string | undefined) =>
    s === undefined || /^[xX*]$/.test(s) ? undefined : safeNumber(s, whole, "range");
  const p: Partial = { major: num(m[1]), prerelease: parsePrerelease(m[4]) };
  if (p.major !== undefined) p.minor = num(m[2]);
  if (p.minor !== undefined) p.patch = num(m[3]);
  if (p.patch === undefined && p.prerelease.length > 0) {
    throw invalid("range", whole, `a prerelease needs a full version in "${text}"`);
  }
  return p;
}

function lower(p: Partial): SemVer {
  return make(p.major ?? 0, p.minor ?? 0, p.patch ?? 0, p.prerelease);
}

/** The exclusive upper bound of an x-range (`1.2` → `<1.3.0-0`), or undefined for `*`. */
function xUpper(p: Partial): Comparator | undefined {
  if (p.major === undefined) return undefined;
  if (p.minor === undefined) return { operator: "<", version: make(p.major + 1, 0, 0, [0]) };
  return { operator: "<", version: make(p.major, p.minor + 1, 0, [0]) };
}

function xRange(p: Partial): Comparator[] {
  if (p.major === undefined) return [ANY];
  if (p.patch !== undefined) return [{ operator: "=", version: lower(p) }];
  return [{ operator: ">=", version: lower(p) }, xUpper(p)!];
}

function tilde(p: Partial): Comparator[] {
  if (p.major === undefined) return [ANY];
  const upper = p.minor === undefined
    ? make(p.major + 1, 0, 0, [0])
    : make(p.major, p.minor + 1, 0, [0]);
  return [{ operator: ">=", version: lower(p) }, { operator: "<", version: upper }];
}

function caret(p: Partial): Comparator[] {
  if (p.major === undefined) return [ANY];
  const { major, minor, patch } = p;
  let upper: SemVer;
  if (major > 0 || minor === undefined) upper = make(major + 1, 0, 0, [0]);
  else if (minor > 0 || patch === undefined) upper = make(0, minor + 1, 0, [0]);
  else upper = make(0, 0, patch + 1, [0]);
  return [{ operator: ">=", version: lower(p) }, { operator: "<", version: upper }];
}

function primitive(op: string, p: Partial): Comparator[] {
  if (op === "=" || op === "") return xRange(p);
  if (p.major === undefined) {
    return op === "<" || op === ">" ? [{ operator: "<", version: make(0, 0, 0, [0]) }] : [ANY];
  }
  if (p.patch !== undefined) return [{ operator: op as Comparator["operator"], version: lower(p) }];
  // Partial versions: round to the x-range's edges as npm does.
  const up = xUpper(p)!.version;
  switch (op) {
    case ">":
      return [{ operator: ">=", version: make(up.major, up.minor, up.patch) }];
    case ">=":
      return [{ operator: ">=", version: lower(p) }];
    case "<":
      return [{ operator: "<", version: make(p.major, p.minor ?? 0, 0, [0]) }];
    default: // "<="
      return [{ operator: "<", version: up }];
  }
}

function parseSimple(token: string, whole: string): Comparator[] {
  const m = /^(<=|>=|<|>|=|~>|~|\^)?(.*)$/.exec(token)!;
  const op = m[1] ?? "";
  if (m[2] === "") throw invalid("range", whole, `operator "${op}" has no version`);
  const p = parsePartial(m[2], whole);
  if (op === "~" || op === "~>") return tilde(p);
  if (op === "^") return caret(p);
  return primitive(op, p);
}

function parseHyphen(from: string, to: string, whole: string): Comparator[] {
  const a = parsePartial(from, whole);
  const b = parsePartial(to, whole);
  const out: Comparator[] = a.major === undefined ? [] : [{ operator: ">=", version: lower(a) }];
  if (b.major === undefined) return out.length > 0 ? out : [ANY];
  if (b.patch !== undefined) out.push({ operator: "<=", version: lower(b) });
  else out.push(xUpper(b)!);
  return out;
}

function parseSet(text: string, whole: string): Comparator[] {
  // Glue operators to their versions: ">= 1.2.3" → ">=1.2.3".
  const t = text.trim().replace(/(<=|>=|<|>|=|~>|~|\^)\s+/g, "$1");
  if (t === "") return [ANY];
  const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(t);
  if (hyphen) return parseHyphen(hyphen[1], hyphen[2], whole);
  return t.split(/\s+/).flatMap((token) => parseSimple(token, whole));
}

/** Parses an npm-style range (`^0.1.0`, `>=1.2 <2`, `1.x || 2.0.0 - 2.3`); throws `SEMVER_INVALID`. */
export function parseRange(text: string): SemVerRange {
  return { raw: text, sets: text.split("||").map((part) => parseSet(part, text)) };
}

/** True when `text` is a valid npm-style SemVer range. */
export function isValidRange(text: string): boolean {
  try {
    parseRange(text);
    return true;
  } catch {
    return false;
  }
}

function testComparator(c: Comparator, v: SemVer): boolean {
  if (c.operator === "") return true;
  const r = compareVersions(v, c.version);
  switch (c.operator) {
    case "=":
      return r === 0;
    case "<":
      return r < 0;
    case "<=":
      return r <= 0;
    case ">":
      return r > 0;
    default:
      return r >= 0;
  }
}

function testSet(set: Comparator[], v: SemVer): boolean {
  if (!set.every((c) => testComparator(c, v))) return false;
  if (v.prerelease.length === 0) return true;
  // npm rule: a prerelease matches only if a comparator opts in on the same [major, minor, patch].
  return set.some((c) =>
    c.operator !== "" && c.version.prerelease.length > 0 && c.version.major === v.major &&
    c.version.minor === v.minor && c.version.patch === v.patch
  );
}

/** True when `version` satisfies `range` (npm semantics, prereleases excluded unless opted in). */
export function satisfies(version: SemVer | string, range: SemVerRange | string): boolean {
  const v = asVersion(version);
  const r = typeof range === "string" ? parseRange(range) : range;
  return r.sets.some((set) => testSet(set, v));
}

/** The highest of `versions` that satisfies `range`, or undefined; invalid versions are skipped. */
export function maxSatisfying(
  versions: Iterable<string>,
  range: SemVerRange | string,
): string | undefined {
  const r = typeof range === "string" ? parseRange(range) : range;
  let best: { text: string; v: SemVer } | undefined;
  for (const text of versions) {
    if (!isValidVersion(text)) continue;
    const v = parseVersion(text);
    if (!satisfies(v, r)) continue;
    if (best === undefined || compareVersions(v, best.v) > 0) best = { text, v };
  }
  return best?.text;
}
