import assert from "node:assert/strict";
import { applyDefaults, type JsonSchema, validateJson } from "../../../core/config/json_schema.ts";
import { editDistance, nearestKey } from "../../../core/config/nearest_key.ts";

const schema: JsonSchema = {
  type: "object",
  additionalProperties: false,
  required: ["method"],
  properties: {
    method: { type: "string", format: "method-ref" },
    tile_size: { type: "integer", minimum: 256, maximum: 65536, multipleOf: 16, default: 2048 },
    quantile: { type: "number", minimum: 0, maximum: 1 },
    fraction: { type: "number", exclusiveMinimum: 0, exclusiveMaximum: 1 },
    compression: { enum: ["lzf", "gzip", "none"], default: "lzf" },
    channels: { type: "array", items: { type: "integer", minimum: 0 }, minItems: 1, maxItems: 3 },
    mask: {
      description: "a mask name or a list of mask names",
      oneOf: [{ type: "string" }, { type: "array", items: { type: "string" } }],
    },
    nested: {
      type: "object",
      additionalProperties: false,
      properties: { a: { type: "boolean", default: true }, b: { type: "integer" } },
      default: {},
    },
    free: { type: "object" },
  },
};

Deno.test("json_schema: a valid value has no issues", () => {
  const issues = validateJson(schema, {
    method: "wga-segmentation@^0.1.0",
    tile_size: 1024,
    quantile: 1,
    fraction: 0.5,
    compression: "gzip",
    channels: [0, 2],
    mask: ["seg_all_nucleus"],
    nested: { b: 3 },
    free: { anything: [1, 2] },
  });
  assert.deepEqual(issues, []);
});

Deno.test("json_schema: each keyword reports its key path, expectation and finding", () => {
  const issues = validateJson(schema, {
    tile_sise: 1024,
    tile_size: 100,
    quantile: 1.5,
    fraction: 1,
    compression: "zstd",
    channels: [0, -1, "x", 3],
    mask: 5,
    nested: { a: "yes", c: 1 },
  }, { path: "segmentation" });
  const byPath = new Map(issues.map((i) => [`${i.path}:${i.keyword}`, i]));
  const get = (k: string) => {
    const found = byPath.get(k);
    assert.ok(found, `expected an issue ${k}; got ${issues.map((i) => i.message).join(" | ")}`);
    return found;
  };
  assert.equal(get("segmentation.method:required").found, "nothing");
  const typo = get("segmentation.tile_sise:additionalProperties");
  assert.equal(typo.suggestion, "tile_size");
  assert.match(typo.message, /did you mean "tile_size"\?/);
  assert.match(
    get("segmentation.tile_size:range").message,
    /expected an integer >= 256 and <= 65536, found 100/,
  );
  get("segmentation.tile_size:multipleOf");
  assert.match(get("segmentation.quantile:range").message, /<= 1, found 1.5/);
  assert.match(get("segmentation.fraction:range").message, /< 1, found 1$/);
  assert.match(get("segmentation.compression:enum").message, /one of "lzf", "gzip", "none"/);
  get("segmentation.channels:maxItems");
  get("segmentation.channels[1]:range");
  assert.match(get("segmentation.channels[2]:type").message, /expected an integer/);
  assert.match(get("segmentation.mask:oneOf").message, /a mask name or a list of mask names/);
  get("segmentation.nested.a:type");
  const unknown = get("segmentation.nested.c:additionalProperties");
  assert.equal(unknown.suggestion, undefined);
  assert.match(unknown.expected, /one of the keys a, b/);
  assert.equal(issues.length, 13, issues.map((i) => i.message).join("\n"));
});

Deno.test("json_schema: formats check method refs, versions and ranges", () => {
  const f = (format: string, value: string) =>
    validateJson({ type: "string", format }, value).length === 0;
  assert.equal(f("method-ref", "cell-featurizer@^0.1.0"), true);
  assert.equal(f("method-ref", "cell-featurizer"), true, "a bare id means any version");
  assert.equal(f("method-ref", "Cell_Featurizer@^0.1.0"), false);
  assert.equal(f("method-ref", "cell-featurizer@^0.1.0.0"), false);
  assert.equal(f("method-ref", "../evil@1"), false);
  assert.equal(f("semver", "1.0.0-rc.1"), true);
  assert.equal(f("semver", "1.0"), false);
  assert.equal(f("semver-range", ">=1 <2 || 3.x"), true);
  assert.equal(f("unknown-format", "anything"), true, "unknown formats are ignored");
  const custom = validateJson({ type: "string", format: "even" }, "abc", {
    formats: { even: (s) => s.length % 2 === 0 ? undefined : "an even-length string" },
  });
  assert.equal(custom[0].expected, "an even-length string");
});

Deno.test("json_schema: oneOf with one type-compatible branch reports that branch's issues", () => {
  const s: JsonSchema = {
    oneOf: [{ type: "integer", minimum: 0 }, { type: "array", items: { type: "integer" } }],
  };
  const issues = validateJson(s, [1, "a"], { path: "x" });
  assert.deepEqual(issues.map((i) => [i.path, i.keyword]), [["x[1]", "type"]]);
  assert.deepEqual(validateJson(s, 3), []);
  assert.equal(validateJson({ anyOf: [{ type: "number" }, { type: "integer" }] }, 3).length, 0);
  assert.equal(
    validateJson({ oneOf: [{ type: "number" }, { type: "integer" }] }, 3)[0].keyword,
    "oneOf",
  );
});

Deno.test("json_schema: applyDefaults fills absent keys, records paths, does not mutate", () => {
  const input = { method: "x@1", nested: { b: 1 }, channels: [0] };
  const { value, applied } = applyDefaults(schema, input, { path: "seg" });
  assert.deepEqual(applied, ["seg.tile_size", "seg.compression", "seg.nested.a"]);
  assert.deepEqual(value, {
    method: "x@1",
    nested: { a: true, b: 1 },
    channels: [0],
    tile_size: 2048,
    compression: "lzf",
  });
  assert.deepEqual(input, { method: "x@1", nested: { b: 1 }, channels: [0] }, "input unchanged");
  const empty = applyDefaults(schema, { method: "x@1" });
  assert.deepEqual(empty.applied, ["tile_size", "compression", "nested"]);
  assert.deepEqual((empty.value as Record<string, unknown>).nested, { a: true });
  const items = applyDefaults(
    { type: "array", items: { type: "object", properties: { k: { default: 1 } } } },
    [{}, { k: 2 }],
  );
  assert.deepEqual(items.value, [{ k: 1 }, { k: 2 }]);
  assert.deepEqual(items.applied, ["[0].k"]);
});

Deno.test("nearest_key: Damerau distance and suggestions", () => {
  assert.equal(editDistance("tile_sise", "tile_size"), 1);
  assert.equal(editDistance("tiel_size", "tile_size"), 1, "adjacent swap counts once");
  assert.equal(editDistance("kitten", "sitting"), 3);
  assert.equal(nearestKey("tile_sise", ["tile_size", "params", "method"]), "tile_size");
  assert.equal(
    nearestKey("median_filter", ["median_filter_size", "chunk_size"]),
    "median_filter_size",
  );
  assert.equal(nearestKey("Image-Size", ["image_size"]), "image_size");
  assert.equal(nearestKey("zzz", ["tile_size", "params"]), undefined);
});
