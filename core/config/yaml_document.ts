/**
 * YAML parsing for configs with positions: syntax errors become `CONFIG_PARSE` naming the file,
 * line and column, and validation issues can be located at the line of the offending key.
 * @module
 */
import { isMap, isScalar, LineCounter, parseDocument } from "yaml";
import { ScportraitError } from "../errors.ts";

/** A parsed config document: its plain value and a key-path → line locator. */
export interface ParsedYaml {
  /** The document as plain JSON-like data (`null` for an empty document). */
  value: unknown;
  /** 1-based line of the key at `path` (`a.b[2].c`), or of its nearest existing parent. */
  lineOf(path: string): number | undefined;
}

/** Splits `a.b[2].c` into `["a", "b", 2, "c"]`. */
export function splitPath(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const part of path.split(".")) {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) {
      out.push(part);
      continue;
    }
    if (m[1] !== "") out.push(m[1]);
    for (const idx of m[2].matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}

/** Parses YAML 1.2 (core schema; duplicate keys are errors); throws `CONFIG_PARSE` with position. */
export function parseYaml(text: string, source: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const pos = first.linePos?.[0];
    const where = pos ? `${source}:${pos.line}:${pos.col}` : source;
    const detail = first.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");
    const more = doc.errors.length > 1 ? ` (and ${doc.errors.length - 1} more)` : "";
    throw new ScportraitError(
      "CONFIG_PARSE",
      `YAML syntax error in ${where} (line ${pos?.line ?? "?"}, column ${pos?.col ?? "?"}): ` +
        `${detail}${more}. Fix the YAML at that position`,
      { cause: first },
    );
  }
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    throw new ScportraitError("CONFIG_PARSE", `Cannot read YAML ${source}: ${error}`, {
      cause: error,
    });
  }
  const lineOf = (path: string): number | undefined => {
    const segments = splitPath(path);
    while (segments.length > 0) {
      const last = segments[segments.length - 1];
      const parent = segments.length === 1 ? doc.contents : doc.getIn(segments.slice(0, -1), true);
      if (isMap(parent)) {
        const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === last);
        const range = pair && isScalar(pair.key) ? pair.key.range : undefined;
        if (range) return lineCounter.linePos(range[0]).line;
      } else {
        const node = doc.getIn(segments, true) as { range?: [number, number, number] } | undefined;
        if (node?.range) return lineCounter.linePos(node.range[0]).line;
      }
      segments.pop();
    }
    return undefined;
  };
  return { value, lineOf };
}
