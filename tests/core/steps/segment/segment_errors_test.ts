/**
 * Bad input and failures of the segmentation driver: an all-zero image gives zero cells without
 * error; a channel out of range, a missing nucleus channel and invalid params are refused with
 * messages naming the key; a plugin that traps mid-run leaves the finished tiles journalled and
 * the run resumable (a rerun does not recompute them).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { isScportraitError } from "../../../../core/errors.ts";
import { segmentProject } from "../../../../core/steps/segment/segment_project.ts";
import { resolveSegmentationPlugin } from "../../../../core/steps/segment/segmentation_plugin.ts";
import { buildCrashComponent } from "./crash_component.ts";
import {
  blobImage,
  makeProject,
  readMask,
  THRESHOLD_DIR,
  thresholdConfig,
  thresholdPlugin,
} from "./segment_fixture.ts";

const opts = { sanitizeResources: false, sanitizeOps: false };

async function withDir(prefix: string, fn: (dir: string) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test({
  name: "an all-zero image gives zero cells, all-zero masks and no error",
  ...opts,
  fn: () =>
    withDir("seg_zero_", async (dir) => {
      const project = await makeProject(
        dir,
        thresholdConfig(),
        [new Uint16Array(700 * 500)],
        700,
        500,
      );
      const warnings: string[] = [];
      const result = await segmentProject(project, {
        plugin: await thresholdPlugin(dir),
        tileSize: 256,
        quiet: true,
        warn: (m) => warnings.push(m),
      });
      assert.deepEqual(result.counts, { nucleus: 0 });
      assert.ok(warnings.some((w) => /no cells/.test(w)));
      assert.ok((await readMask(project, "seg_all_nucleus")).every((v) => v === 0n));
      assert.equal(await Deno.readTextFile(join(dir, "segmentation/classes.csv")), "");
    }),
});

Deno.test({
  name: "channel out of range, missing nucleus channel and invalid params name the key",
  ...opts,
  fn: () =>
    withDir("seg_bad_", async (dir) => {
      const img = blobImage(300, 300, 2);
      const cases: [string, string, RegExp][] = [
        [
          "range",
          thresholdConfig().replace("[0]", "[0, 3]"),
          /nucleus_channels\[1\] is 3.*1 channel/s,
        ],
        ["none", thresholdConfig().replace("[0]", "[]"), /nucleus_channels/],
        [
          "params",
          thresholdConfig().replace("params: {}", "params: {method: otsu2}"),
          /params\.method/,
        ],
      ];
      for (const [name, config, pattern] of cases) {
        let error: unknown;
        try {
          const project = await makeProject(join(dir, name), config, [img], 300, 300);
          await segmentProject(project, { plugin: await thresholdPlugin(dir), quiet: true });
        } catch (e) {
          error = e;
        }
        assert.ok(isScportraitError(error), `${name}: ${error}`);
        assert.match(error.message, pattern, name);
        assert.match(error.code, /^CONFIG_/, name);
      }
    }),
});

Deno.test({
  name: "a plugin trap mid-run keeps finished tiles journalled and the run resumable",
  ...opts,
  fn: () =>
    withDir("seg_crash_", async (dir) => {
      const wasm = join(dir, "crash.wasm");
      await Deno.writeFile(wasm, await buildCrashComponent());
      const manifest = join(dir, "manifest.yaml");
      const text = await Deno.readTextFile(join(THRESHOLD_DIR, "manifest.yaml"));
      await Deno.writeTextFile(manifest, text.replace(/^id: .*$/m, "id: crash-later-rows"));
      const project = await makeProject(
        join(dir, "p"),
        thresholdConfig(),
        [blobImage(1100, 600)],
        1100,
        600,
      );
      const plugin = await resolveSegmentationPlugin(project.root, {} as never, {
        componentPath: wasm,
        manifestPath: manifest,
      });
      const run = () =>
        segmentProject(project, { plugin, tileSize: 512, workers: 1, quiet: true, warn: () => {} });
      await assert.rejects(run(), (e) => isScportraitError(e, "PLUGIN_FAILED"));
      const journal = join(project.root, "segmentation/progress.jsonl");
      const first = await Deno.readTextFile(journal);
      assert.match(first, /"key":"tile\/0_0"/);
      assert.match(first, /"key":"tile\/0_1"/);
      assert.match(first, /"event":"fail"/);
      assert.equal((await project.provenance()).steps.at(-1)!.status, "failed");
      // rerun: resumes (no conflict, nothing finished is redone) and stops at the same tile
      await assert.rejects(run(), (e) => isScportraitError(e, "PLUGIN_FAILED"));
      const second = await Deno.readTextFile(journal);
      assert.equal(second.match(/"key":"tile\/0_0"/g)!.length, 1);
      assert.match(second.slice(first.length), /"resumed":true/);
    }),
});
