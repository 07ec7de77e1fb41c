/**
 * Loads a pipeline config from a file or URL: reads it, parses YAML with positions, detects its
 * shape (ours or scPortrait's `config.yml`), validates every key and normalises it into a
 * {@link PipelineConfig} with defaults applied and recorded.
 * @module
 */
import { ScportraitError } from "../errors.ts";
import { readConfigSource, type ReadSourceOptions } from "./config_source.ts";
import type { SchemaIssue } from "./json_schema.ts";
import { normalizePipeline } from "./our_shape.ts";
import type { LoadedConfig } from "./pipeline_config.ts";
import { detectShape, mapScportraitConfig } from "./scportrait_shape.ts";
import { parseYaml } from "./yaml_document.ts";

/** Options of {@link loadConfig}. */
export type LoadConfigOptions = ReadSourceOptions;

/**
 * Loads, validates and normalises a config. `source` is a file path, a `file://` URL or an
 * `https://` URL (fetched with a timeout, default 30 s). Throws `ScportraitError` with code
 * `CONFIG_NOT_FOUND`, `CONFIG_FETCH_FAILED`, `CONFIG_PARSE` (file, line, column) or
 * `CONFIG_INVALID` (every problem, each naming the file, line and key path; the individual
 * problems are the `errors` of the `AggregateError` in `cause`).
 */
export async function loadConfig(
  source: string,
  options: LoadConfigOptions = {},
): Promise<LoadedConfig> {
  const { source: where, text } = await readConfigSource(source, options);
  return parseConfig(text, where);
}

/** Validates and normalises config `text`; `source` names it in messages. See {@link loadConfig}. */
export function parseConfig(text: string, source: string): LoadedConfig {
  const parsed = parseYaml(text, source);
  const value = parsed.value ?? {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new ScportraitError(
      "CONFIG_INVALID",
      `Invalid config ${source}: expected a mapping of sections at the top level, found ` +
        `${Array.isArray(value) ? "a list" : JSON.stringify(value)}`,
    );
  }
  const raw = value as Record<string, unknown>;
  const shape = detectShape(raw);
  const fail = (issues: SchemaIssue[]) => invalid(source, issues, parsed.lineOf);
  if (shape === "mixed") {
    throw new ScportraitError(
      "CONFIG_INVALID",
      `Invalid config ${source}: it mixes scPortrait class sections (e.g. WGASegmentation) with ` +
        `this runtime's step keys (segmentation, extraction, …). Use one shape per file`,
    );
  }
  if (shape === "scportrait-deno") {
    const { config, applied, issues } = normalizePipeline(raw);
    if (issues.length > 0) throw fail(issues);
    return { source, text, shape, config, defaultsApplied: applied, origins: {}, warnings: [] };
  }
  const mapped = mapScportraitConfig(raw);
  if (mapped.issues.length > 0) throw fail(mapped.issues);
  const { config, applied, issues } = normalizePipeline(mapped.raw);
  if (issues.length > 0) {
    // The mapping produced something our shape rejects: report it at the scPortrait key.
    throw fail(issues.map((i) => ({ ...i, path: mapped.origins[i.path] ?? i.path })));
  }
  return {
    source,
    text,
    shape,
    config,
    defaultsApplied: [...mapped.applied, ...applied],
    origins: mapped.origins,
    warnings: mapped.warnings,
  };
}

function invalid(
  source: string,
  issues: SchemaIssue[],
  lineOf: (path: string) => number | undefined,
): ScportraitError {
  const lines = issues.map((i) => {
    const line = lineOf(i.path);
    return `${source}${line === undefined ? "" : `:${line}`}: ${i.message}`;
  });
  const errors = lines.map((l) => new ScportraitError("CONFIG_INVALID", l));
  const count = issues.length === 1 ? "1 problem" : `${issues.length} problems`;
  return new ScportraitError(
    "CONFIG_INVALID",
    `Invalid config ${source} (${count}); fix these keys:\n  - ${lines.join("\n  - ")}`,
    { cause: new AggregateError(errors, `${count} in ${source}`) },
  );
}
