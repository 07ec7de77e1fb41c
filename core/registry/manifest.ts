/**
 * Plugin manifests (`manifest.yaml`): parse, validate with the file and key path of every
 * problem, and fill in defaults. The format is documented in docs/readme/registry.md.
 * @module
 */
import { applyDefaults, type JsonSchema, validateJson } from "../config/json_schema.ts";
import { parseYaml } from "../config/yaml_document.ts";
import { isScportraitError, ScportraitError } from "../errors.ts";
import { MANIFEST_SCHEMA } from "./manifest_schema.ts";
import { packagePathProblem } from "./package_path.ts";

/** A world a plugin implements. */
export type ManifestWorld = "segmentation" | "featurization" | "selection" | "stitching";

/** An author of a plugin. */
export interface ManifestAuthor {
  /** Full name. */
  name: string;
  /** E-mail address. */
  email?: string;
  /** Institution. */
  affiliation?: string;
  /** GitHub user name. */
  github?: string;
}

/** A global statistic request: the host computes it over the whole image in one pre-pass. */
export interface StatisticsRequest {
  /** Channel role (from `inputs.channels`) or index. */
  channel: string | number;
  /** Whether the Otsu threshold of the channel is needed. */
  otsu: boolean;
  /** Probabilities in [0, 1] whose quantiles are needed. */
  quantiles: number[];
}

/** One test vector: call a function with `input`, compare with `expected` within `tolerance`. */
export interface TestVector {
  /** Name shown in reports (default `test[i]`). */
  name?: string;
  /** World function to call (default: the world's main function, e.g. `segment`). */
  function?: string;
  /** Package path of the JSON input (`{"args": [...]}`, all arguments but params). */
  input: string;
  /** Package path of the JSON expected result (absent when `expect_error` is set). */
  expected?: string;
  /** Error variant the call must return instead of a result. */
  expect_error?: "invalid-params" | "invalid-input" | "internal";
  /** Largest absolute difference allowed between numbers of the result and of `expected`. */
  tolerance: number;
  /** Params passed (defaults from the manifest's params schema are filled in). */
  params: Record<string, unknown>;
}

/** A validated plugin manifest, defaults filled in. */
export interface PluginManifest {
  /** Plugin id, `[a-z0-9][a-z0-9-]{0,63}`. */
  id: string;
  /** SemVer version. */
  version: string;
  /** World implemented. */
  world: ManifestWorld;
  /** WIT package, `scportrait:plugin@0.1.0`. */
  wit: string;
  /** What the method does. */
  description: string;
  /** Authors. */
  authors: ManifestAuthor[];
  /** SPDX license expression. */
  license: string;
  /** How to cite the method. */
  citation: null | string | { text: string; doi?: string; url?: string };
  /** The component inside the package and its sha256 (null only in an unbuilt source folder). */
  artifact: { path: string; sha256: string | null };
  /** JSON schema (type object) of the params, with defaults. */
  params: JsonSchema;
  /** Channel roles the plugin reads, in tile channel order. */
  inputs: { channels: { role: string; description?: string }[] };
  /** Mask names (segmentation) or feature names (featurization). */
  outputs: { masks?: string[]; features?: string[] };
  /** Halo in pixels the host adds around each tile. */
  halo: number;
  /** Memory ceiling and per-call timeout. */
  limits: { memory_mib: number; timeout_s: number };
  /** Global statistics the host computes and passes in. */
  statistics: StatisticsRequest[];
  /** Test vectors run on install and by `plugin verify`. */
  test: TestVector[];
  /** Package path → sha256 of the package's other files (test vectors); set by the build. */
  files: Record<string, string>;
}

/** Every package path a manifest's test vectors read, in order, without repeats. */
export function testVectorPaths(m: Pick<PluginManifest, "test">): string[] {
  const paths = m.test.flatMap((t) => t.expected === undefined ? [t.input] : [t.input, t.expected]);
  return [...new Set(paths)];
}

/** Options of {@link parseManifest} and {@link validateManifest}. */
export interface ManifestOptions {
  /**
   * `true` (default) requires `artifact.sha256` (a published package); `false` accepts `null`
   * (a plugin source folder before the registry build fills it in).
   */
  requireSha256?: boolean;
}

const PATH_FORMAT = {
  "package-path": (s: string) => {
    const problem = packagePathProblem(s);
    return problem === undefined ? undefined : `a relative path inside the package, not ${problem}`;
  },
};

function invalid(source: string, problems: string[]): ScportraitError {
  return new ScportraitError(
    "MANIFEST_INVALID",
    `Plugin manifest ${source} is invalid:\n  - ${problems.join("\n  - ")}\n` +
      "Fix these keys (the format is in docs/readme/registry.md).",
  );
}

/** Problems of checks that span fields; `m` has passed the schema. */
function crossChecks(m: PluginManifest, options: ManifestOptions): string[] {
  const out: string[] = [];
  if ((options.requireSha256 ?? true) && m.artifact.sha256 === null) {
    out.push("artifact.sha256: expected 64 lower-case hex digits, found null (build the registry)");
  }
  if (m.params.type !== "object") {
    out.push(`params.type: expected "object", found ${JSON.stringify(m.params.type ?? null)}`);
  } else {
    const defaults = applyDefaults(m.params, {}).value;
    for (const i of validateJson(m.params, defaults, { path: "params(defaults)" })) {
      out.push(`${i.message} (a default in the params schema is invalid or a key is required)`);
    }
  }
  const roles = m.inputs.channels.map((c) => c.role);
  const seen = new Set<string>();
  roles.forEach((r, i) => {
    if (seen.has(r)) out.push(`inputs.channels[${i}].role: duplicate role "${r}"`);
    seen.add(r);
  });
  m.statistics.forEach((s, i) => {
    const ok = typeof s.channel === "number" ? s.channel < roles.length : roles.includes(s.channel);
    if (!ok) {
      out.push(
        `statistics[${i}].channel: expected a role or index of inputs.channels ` +
          `(${roles.join(", ") || "none declared"}), found ${JSON.stringify(s.channel)}`,
      );
    }
  });
  if (m.world === "segmentation" && !(m.outputs.masks && m.outputs.masks.length > 0)) {
    out.push("outputs.masks: a segmentation plugin must name at least one mask, e.g. [nucleus]");
  }
  m.test.forEach((t, i) => {
    if ((t.expected === undefined) === (t.expect_error === undefined)) {
      out.push(`test[${i}]: give exactly one of expected (a result file) or expect_error`);
    }
  });
  for (const path of Object.keys(m.files)) {
    const problem = packagePathProblem(path);
    if (problem !== undefined) out.push(`files."${path}": the key is ${problem}`);
    if (path === m.artifact.path) out.push(`files."${path}": the artifact is pinned by artifact`);
  }
  if (options.requireSha256 ?? true) {
    for (const path of testVectorPaths(m)) {
      if (!(path in m.files)) out.push(`files: no sha256 for test file "${path}"`);
    }
  }
  return out;
}

/**
 * Validates a parsed manifest value and fills in defaults. `source` names the file in messages;
 * `lineOf` (optional) locates key paths. Throws `MANIFEST_INVALID` listing every problem with its
 * key path.
 */
export function validateManifest(
  value: unknown,
  source: string,
  options: ManifestOptions = {},
  lineOf?: (path: string) => number | undefined,
): PluginManifest {
  const at = (path: string) => {
    const line = lineOf?.(path);
    return line === undefined ? "" : ` (line ${line})`;
  };
  const issues = validateJson(MANIFEST_SCHEMA, value, { formats: PATH_FORMAT });
  if (issues.length > 0) throw invalid(source, issues.map((i) => i.message + at(i.path)));
  const manifest = applyDefaults(MANIFEST_SCHEMA, value).value as PluginManifest;
  const problems = crossChecks(manifest, options);
  if (problems.length > 0) throw invalid(source, problems);
  return manifest;
}

/**
 * Parses `manifest.yaml` text and validates it ({@link validateManifest}). YAML syntax errors
 * and schema problems both throw `MANIFEST_INVALID` naming `source`.
 */
export function parseManifest(
  text: string,
  source: string,
  options: ManifestOptions = {},
): PluginManifest {
  let parsed;
  try {
    parsed = parseYaml(text, source);
  } catch (error) {
    if (!isScportraitError(error)) throw error;
    throw new ScportraitError("MANIFEST_INVALID", error.message, { cause: error });
  }
  return validateManifest(parsed.value, source, options, parsed.lineOf);
}

/** `id@version` of a manifest, as used in messages, the lockfile and the worker pool. */
export function manifestRef(m: Pick<PluginManifest, "id" | "version">): string {
  return `${m.id}@${m.version}`;
}
