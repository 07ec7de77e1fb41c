/**
 * Every first-party plugin: built by the toolchain, loaded with jco, `describe` checked, and
 * every test vector of its manifest run (results within tolerance, or the expected error case).
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { parseManifest } from "../../core/registry/manifest.ts";
import { listPluginFolders } from "../../plugins/build.ts";
import { buildPlugin } from "../../plugins/toolchain/build_plugin.ts";
import { loadComponent } from "./_component_loader.ts";
import { assertClose, readVector } from "./_vectors.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

const MAIN_FUNCTION: Record<string, string> = {
  segmentation: "segment",
  featurization: "featurize",
  selection: "shapes",
  stitching: "register",
};

const camel = (s: string) => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

for (const dir of listPluginFolders(join(ROOT, "plugins"))) {
  const manifestPath = join(dir, "manifest.yaml");
  const manifest = parseManifest(Deno.readTextFileSync(manifestPath), manifestPath, {
    requireSha256: false,
  });
  Deno.test(`${manifest.id}: describe and ${manifest.test.length} test vector(s)`, async () => {
    assert.ok(manifest.test.length > 0, `${manifest.id} has no test vectors`);
    const built = await buildPlugin(dir, ROOT);
    const component = await loadComponent(built.component);
    try {
      const describe = component.exports.describe as () => string;
      assert.deepEqual(JSON.parse(describe()), {
        id: manifest.id,
        version: manifest.version,
        world: manifest.world,
        wit: "scportrait:plugin@0.1.0",
      });
      const iface = component.exports[manifest.world] as Record<
        string,
        (...args: unknown[]) => unknown
      >;
      for (const [i, t] of manifest.test.entries()) {
        const name = `${manifest.id} ${t.name ?? `test[${i}]`}`;
        const fn = iface[camel(t.function ?? MAIN_FUNCTION[manifest.world])];
        assert.equal(typeof fn, "function", `${name}: no function ${t.function}`);
        const { args } = readVector(join(dir, t.input)) as { args: unknown[] };
        const params = JSON.stringify(t.params);
        if (t.expect_error) {
          assert.throws(
            () => fn(...args, params),
            (e: { payload?: { tag: string } }) => e.payload?.tag === t.expect_error,
            name,
          );
          continue;
        }
        const result = fn(...args, params);
        assertClose(result, readVector(join(dir, t.expected!)), t.tolerance, name);
      }
    } finally {
      await component.close();
    }
  });
}
