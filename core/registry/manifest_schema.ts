/**
 * The JSON-Schema (subset of `core/config/json_schema.ts`) of a plugin's `manifest.yaml`. Checks
 * that need more than one field (paths that stay inside the package, the params schema's own
 * defaults, statistics naming declared channels) live in `manifest.ts`.
 * @module
 */
import type { JsonSchema } from "../config/json_schema.ts";

/** The WIT package every manifest of this host must name in `wit`. */
export const MANIFEST_WIT_PACKAGE = "scportrait:plugin@0.1.0";

/** The worlds a manifest may name. */
export const MANIFEST_WORLDS = ["segmentation", "featurization", "selection", "stitching"] as const;

/** Bounds of `limits.memory_mib`: one 64 KiB page rounds up to 1 MiB; wasm32 tops at 4 GiB. */
export const MEMORY_MIB_BOUNDS = { min: 1, max: 4096 } as const;
/** Bounds of `limits.timeout_s` (per call): above zero, at most a day. */
export const TIMEOUT_S_BOUNDS = { min: 0.001, max: 86_400 } as const;
/** Upper bound of `halo` in pixels. */
export const HALO_MAX = 4096;

/** Lower-case hex sha256. */
export const SHA256_PATTERN = "^[0-9a-f]{64}$";

// SPDX-ish: identifiers (or LicenseRef-…) joined by AND / OR / WITH, optional parentheses.
const LICENSE_PATTERN =
  "^\\(?[A-Za-z0-9][A-Za-z0-9.+-]*\\)?( (AND|OR|WITH) \\(?[A-Za-z0-9][A-Za-z0-9.+-]*\\)?)*$";

const relativePath: JsonSchema = {
  type: "string",
  minLength: 1,
  maxLength: 255,
  format: "package-path",
  description: "a relative path inside the package folder, e.g. test/input.json",
};

const channelRef: JsonSchema = {
  oneOf: [
    { type: "string", minLength: 1, description: "a role declared in inputs.channels" },
    { type: "integer", minimum: 0, description: "an index into inputs.channels" },
  ],
  description: "a channel role (string) or index (integer) of inputs.channels",
};

/** Schema of one entry of `statistics`. */
export const STATISTICS_SCHEMA: JsonSchema = {
  type: "object",
  additionalProperties: false,
  required: ["channel"],
  properties: {
    channel: channelRef,
    otsu: { type: "boolean", default: false, description: "the channel's global Otsu threshold" },
    quantiles: {
      type: "array",
      items: { type: "number", minimum: 0, maximum: 1 },
      default: [],
      description: "probabilities in [0, 1] whose global quantiles the plugin needs",
    },
  },
};

/** Schema of one entry of `test`. */
export const TEST_VECTOR_SCHEMA: JsonSchema = {
  type: "object",
  additionalProperties: false,
  required: ["input"],
  properties: {
    name: { type: "string", minLength: 1 },
    function: {
      type: "string",
      pattern: "^[a-z][a-z0-9-]*$",
      description: "the world function to call (default: the world's main function)",
    },
    input: relativePath,
    expected: relativePath,
    expect_error: {
      type: "string",
      enum: ["invalid-params", "invalid-input", "internal"],
    },
    tolerance: { type: "number", minimum: 0, default: 0 },
    params: { type: "object", default: {} },
  },
};

/** The schema of `manifest.yaml` (field by field documented in docs/readme/registry.md). */
export const MANIFEST_SCHEMA: JsonSchema = {
  type: "object",
  additionalProperties: false,
  required: [
    "id",
    "version",
    "world",
    "wit",
    "description",
    "authors",
    "license",
    "artifact",
    "params",
    "limits",
  ],
  properties: {
    id: { type: "string", format: "plugin-id" },
    version: { type: "string", format: "semver" },
    world: { type: "string", enum: [...MANIFEST_WORLDS] },
    wit: { type: "string", const: MANIFEST_WIT_PACKAGE },
    description: { type: "string", minLength: 1, maxLength: 4000 },
    authors: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["name"],
        properties: {
          name: { type: "string", minLength: 1 },
          email: { type: "string" },
          affiliation: { type: "string" },
          github: { type: "string" },
        },
      },
    },
    license: {
      type: "string",
      pattern: LICENSE_PATTERN,
      description: "an SPDX license expression such as Apache-2.0 or MIT OR Apache-2.0",
    },
    citation: {
      oneOf: [
        { type: "null" },
        { type: "string", minLength: 1 },
        {
          type: "object",
          additionalProperties: false,
          required: ["text"],
          properties: {
            text: { type: "string" },
            doi: { type: "string" },
            url: { type: "string" },
          },
        },
      ],
      default: null,
      description: "null, a citation string, or {text, doi, url}",
    },
    artifact: {
      type: "object",
      additionalProperties: false,
      required: ["path", "sha256"],
      properties: {
        path: relativePath,
        sha256: {
          oneOf: [{ type: "string", pattern: SHA256_PATTERN }, { type: "null" }],
          description: "64 lower-case hex digits (null only in a source folder before a build)",
        },
      },
    },
    params: { type: "object", description: "a JSON schema of type object for the params" },
    inputs: {
      type: "object",
      additionalProperties: false,
      default: {},
      properties: {
        channels: {
          type: "array",
          default: [],
          items: {
            type: "object",
            additionalProperties: false,
            required: ["role"],
            properties: {
              role: { type: "string", pattern: "^[a-z][a-z0-9_]*$" },
              description: { type: "string" },
            },
          },
        },
      },
    },
    outputs: {
      type: "object",
      additionalProperties: false,
      default: {},
      properties: {
        masks: { type: "array", items: { type: "string", pattern: "^[a-z][a-z0-9_]*$" } },
        features: { type: "array", items: { type: "string", minLength: 1 } },
      },
    },
    halo: { type: "integer", minimum: 0, maximum: HALO_MAX, default: 0 },
    limits: {
      type: "object",
      additionalProperties: false,
      required: ["memory_mib", "timeout_s"],
      properties: {
        memory_mib: {
          type: "integer",
          minimum: MEMORY_MIB_BOUNDS.min,
          maximum: MEMORY_MIB_BOUNDS.max,
        },
        timeout_s: {
          type: "number",
          minimum: TIMEOUT_S_BOUNDS.min,
          maximum: TIMEOUT_S_BOUNDS.max,
        },
      },
    },
    statistics: { type: "array", items: STATISTICS_SCHEMA, default: [] },
    test: { type: "array", items: TEST_VECTOR_SCHEMA, default: [] },
    files: {
      type: "object",
      additionalProperties: { type: "string", pattern: SHA256_PATTERN },
      default: {},
      description: "package path → sha256 of every other file (test vectors), set by the build",
    },
  },
};
