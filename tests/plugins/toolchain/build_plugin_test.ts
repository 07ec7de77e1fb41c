/**
 * The plugin build: reproducible bytes, zero imports, the exports of the world, and the
 * `describe` identity taken from the manifest.
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { buildPlugin, sha256Hex } from "../../../plugins/toolchain/build_plugin.ts";
import { witOfComponent } from "../../../plugins/toolchain/componentize.ts";

const ROOT = new URL("../../../", import.meta.url).pathname;

Deno.test("building twice gives the same sha256; the component imports nothing", async () => {
  const dir = join(ROOT, "plugins/threshold_segmentation");
  const first = await buildPlugin(dir, ROOT);
  const second = await buildPlugin(dir, ROOT);
  assert.match(first.sha256, /^[0-9a-f]{64}$/);
  assert.equal(second.sha256, first.sha256);
  assert.deepEqual(second.component, first.component);
  assert.equal(await sha256Hex(Deno.readFileSync(second.componentPath)), first.sha256);
  const wit = await witOfComponent(first.component);
  assert.doesNotMatch(wit, /^\s*import\s/m, wit);
  assert.match(wit, /export scportrait:plugin\/segmentation@0\.1\.0;/);
  assert.match(wit, /export describe: func\(\) -> string;/);
  console.log(
    `threshold-segmentation: ${first.component.length} B, build ${first.ms.toFixed(0)} ms ` +
      `then ${second.ms.toFixed(0)} ms`,
  );
});

Deno.test("a manifest naming an unknown world is refused before compiling", async () => {
  const dir = await Deno.makeTempDir({ dir: join(ROOT, "plugins"), prefix: "_bad_" });
  try {
    const text = Deno.readTextFileSync(join(ROOT, "plugins/threshold_segmentation/manifest.yaml"))
      .replace("world: segmentation", "world: segmenter");
    Deno.writeTextFileSync(join(dir, "manifest.yaml"), text);
    await assert.rejects(
      () => buildPlugin(dir, ROOT),
      (e: Error & { code?: string }) => e.code === "MANIFEST_INVALID" && /world/.test(e.message),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
