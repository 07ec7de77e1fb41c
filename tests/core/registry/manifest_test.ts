import assert from "node:assert/strict";
import { parseManifest, validateManifest } from "../../../core/registry/manifest.ts";
import { packagePathProblem } from "../../../core/registry/package_path.ts";
import { isScportraitError } from "../../../core/errors.ts";

const SHA = "a".repeat(64);

/** A valid manifest text; `patch` replaces lines by key prefix. */
export function manifestText(overrides: Record<string, string> = {}): string {
  const fields: Record<string, string> = {
    id: "id: threshold-segmentation",
    version: "version: 0.1.0",
    world: "world: segmentation",
    wit: "wit: scportrait:plugin@0.1.0",
    description: "description: Global threshold and 8-connected labelling.",
    authors: "authors:\n  - name: A. Person",
    license: "license: Apache-2.0",
    artifact: `artifact:\n  path: component.wasm\n  sha256: ${SHA}`,
    params: "params:\n  type: object\n  properties:\n    threshold: {type: number, default: 3}",
    inputs: "inputs:\n  channels:\n    - role: nucleus",
    outputs: "outputs:\n  masks: [nucleus]",
    halo: "halo: 8",
    limits: "limits:\n  memory_mib: 256\n  timeout_s: 30",
    statistics: "statistics:\n  - channel: nucleus\n    otsu: true",
    test: "test:\n  - input: test/input.json\n    expected: test/expected.json",
    files: `files:\n  test/input.json: ${SHA}\n  test/expected.json: ${SHA}`,
    ...overrides,
  };
  return Object.values(fields).filter((l) => l !== "").join("\n") + "\n";
}

function rejects(text: string, ...needles: RegExp[]): string {
  try {
    parseManifest(text, "pkg/manifest.yaml");
  } catch (error) {
    assert.ok(isScportraitError(error, "MANIFEST_INVALID"), String(error));
    assert.match(error.message, /pkg\/manifest\.yaml/);
    for (const n of needles) assert.match(error.message, n);
    return error.message;
  }
  throw new Error(`expected MANIFEST_INVALID for:\n${text}`);
}

Deno.test("parseManifest accepts a valid manifest and fills in defaults", () => {
  const m = parseManifest(manifestText({ halo: "" }), "m.yaml");
  assert.equal(m.id, "threshold-segmentation");
  assert.equal(m.halo, 0);
  assert.equal(m.citation, null);
  assert.deepEqual(m.statistics, [{ channel: "nucleus", otsu: true, quantiles: [] }]);
  assert.deepEqual(m.test[0].params, {});
  assert.equal(m.test[0].tolerance, 0);
  assert.equal(m.artifact.sha256, SHA);
});

Deno.test("parseManifest refuses ids with path traversal, slashes, dots or capitals", () => {
  for (const id of ["../evil", "a/b", "a.b", "Evil", "-lead", "a".repeat(65), ""]) {
    rejects(manifestText({ id: `id: "${id}"` }), /id: expected a plugin id/, /line 1/);
  }
});

Deno.test("parseManifest refuses artifact and test paths that leave the package", () => {
  for (const p of ["../x.wasm", "/etc/passwd", "a/../../x", "./x.wasm", "a//b", "C:/x", "a\\b"]) {
    rejects(
      manifestText({
        artifact: `artifact:\n  path: "${p.replace(/\\/g, "\\\\")}"\n  sha256: ${SHA}`,
      }),
      /artifact\.path: expected a relative path inside the package/,
    );
  }
  rejects(
    manifestText({ test: "test:\n  - input: ../../secret.json\n    expected: e.json" }),
    /test\[0\]\.input/,
  );
  assert.equal(packagePathProblem("build/component.wasm"), undefined);
  assert.match(packagePathProblem("https://x/y")!, /URL/);
});

Deno.test("parseManifest names the key path of every problem", () => {
  const message = rejects(
    manifestText({ version: 'version: "1.0"', world: "world: segmentaton", halo: "halo: -1" }),
    /version: expected a SemVer version/,
    /world: expected one of/,
    /halo: expected/,
  );
  assert.match(message, /line 2/);
});

Deno.test("parseManifest checks limits bounds", () => {
  rejects(manifestText({ limits: "limits:\n  memory_mib: 8192\n  timeout_s: 30" }), /memory_mib/);
  rejects(manifestText({ limits: "limits:\n  memory_mib: 64\n  timeout_s: 0" }), /timeout_s/);
  rejects(manifestText({ limits: "limits:\n  memory_mib: 64" }), /timeout_s/);
});

Deno.test("parseManifest checks cross-field rules", () => {
  rejects(manifestText({ statistics: "statistics:\n  - channel: cytosol" }), /statistics\[0\]/);
  rejects(manifestText({ statistics: "statistics:\n  - channel: 3" }), /statistics\[0\]/);
  rejects(manifestText({ outputs: "" }), /outputs\.masks/);
  rejects(manifestText({ test: "test:\n  - input: i.json" }), /test\[0\]: give exactly one/);
  rejects(
    manifestText({
      params: "params:\n  type: object\n  properties:\n    t: {type: number, default: x}",
    }),
    /params\(defaults\)\.t/,
  );
  rejects(manifestText({ params: "params:\n  type: array" }), /params\.type/);
  rejects(manifestText({ files: `files:\n  test/input.json: ${SHA}` }), /test\/expected\.json/);
  rejects(manifestText({ files: `files:\n  ../x: ${SHA}` }), /files\."\.\.\/x"/);
});

Deno.test("parseManifest requires sha256 unless reading a source folder", () => {
  const text = manifestText({
    artifact: "artifact:\n  path: build/component.wasm\n  sha256: null",
  });
  rejects(text, /artifact\.sha256/);
  assert.equal(parseManifest(text, "m", { requireSha256: false }).artifact.sha256, null);
});

Deno.test("parseManifest turns YAML syntax errors into MANIFEST_INVALID", () => {
  rejects("id: [unclosed\n", /YAML syntax error/);
  rejects(manifestText() + "stats: []\n", /stats/);
  assert.throws(() => validateManifest(null, "x"), /MANIFEST_INVALID|invalid/);
});
