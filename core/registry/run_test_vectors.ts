/**
 * Runs a package's test vectors through the sandboxed host (a permission-less worker pool of one
 * worker) and reports each vector's outcome. Called only after the package's sha256 and
 * signature were verified.
 * @module
 */
import { applyDefaults, validateJson } from "../config/json_schema.ts";
import { ScportraitError } from "../errors.ts";
import { PluginResultError } from "../host/plugin_call_error.ts";
import { PluginPool } from "../host/plugin_pool.ts";
import { interfaceName } from "../host/plugin_worlds.ts";
import { manifestRef, type PluginManifest, type TestVector } from "./manifest.ts";
import { decodeTestValue, firstDifference, plainTestValue } from "./test_vector_values.ts";

/** The function a test vector calls when it names none. */
export const MAIN_FUNCTION: Record<PluginManifest["world"], string> = {
  segmentation: "segment",
  featurization: "featurize",
  selection: "shapes",
  stitching: "register",
};

/** The outcome of one test vector. */
export interface TestVectorResult {
  /** The vector's name (or `test[i]`). */
  name: string;
  /** Whether the result matched. */
  passed: boolean;
  /** What differed, when it failed. */
  detail?: string;
  /** Wall time of the call in ms. */
  ms: number;
}

function parseJson(bytes: Uint8Array, path: string, m: PluginManifest): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new ScportraitError(
      "PLUGIN_INVALID",
      `Test file ${path} of ${manifestRef(m)} is not JSON (${(error as Error).message}).`,
      { cause: error },
    );
  }
}

async function runOne(
  pool: PluginPool,
  m: PluginManifest,
  t: TestVector,
  name: string,
  readFile: (path: string) => Promise<Uint8Array>,
): Promise<TestVectorResult> {
  const input = parseJson(await readFile(t.input), t.input, m) as { args?: unknown };
  if (!Array.isArray(input?.args)) {
    return { name, passed: false, detail: `${t.input} has no "args" list`, ms: 0 };
  }
  const params = applyDefaults(m.params, t.params).value;
  const issues = validateJson(m.params, params, { path: "params" });
  if (issues.length > 0 && t.expect_error !== "invalid-params") {
    return { name, passed: false, detail: issues.map((i) => i.message).join("; "), ms: 0 };
  }
  const args = [...(decodeTestValue(input.args) as unknown[]), JSON.stringify(params)];
  const fn = `${interfaceName(m.world)}#${t.function ?? MAIN_FUNCTION[m.world]}`;
  const t0 = performance.now();
  let value: unknown;
  try {
    value = await pool.call(fn, args);
  } catch (error) {
    const ms = performance.now() - t0;
    if (error instanceof PluginResultError && t.expect_error !== undefined) {
      const passed = error.variant === t.expect_error;
      return passed ? { name, passed, ms } : {
        name,
        passed,
        ms,
        detail: `expected error ${t.expect_error}, got ${error.variant}: ${error.detail}`,
      };
    }
    return { name, passed: false, detail: (error as Error).message, ms };
  }
  const ms = performance.now() - t0;
  if (t.expect_error !== undefined) {
    return { name, passed: false, detail: `expected error ${t.expect_error}, got a result`, ms };
  }
  const expected = plainTestValue(parseJson(await readFile(t.expected!), t.expected!, m));
  const detail = firstDifference(plainTestValue(value), expected, t.tolerance);
  return detail === undefined ? { name, passed: true, ms } : { name, passed: false, detail, ms };
}

/**
 * Runs every test vector of `manifest` against the component `bytes` (verified beforehand) in
 * one sandboxed worker under the manifest's limits. `readFile` reads package files by path.
 * Resolves to one result per vector; never throws for a failing vector.
 */
export async function runTestVectors(
  manifest: PluginManifest,
  bytes: Uint8Array,
  readFile: (path: string) => Promise<Uint8Array>,
): Promise<TestVectorResult[]> {
  if (manifest.test.length === 0) return [];
  const pool = await PluginPool.create({
    component: bytes,
    world: manifest.world,
    name: manifestRef(manifest),
    limits: { memoryMib: manifest.limits.memory_mib, timeoutS: manifest.limits.timeout_s },
    workers: 1,
  });
  try {
    const out: TestVectorResult[] = [];
    for (const [i, t] of manifest.test.entries()) {
      out.push(await runOne(pool, manifest, t, t.name ?? `test[${i}]`, readFile));
    }
    return out;
  } finally {
    pool.close();
  }
}
