/** provenance.json: append across steps keeps history; a SIGKILL mid-append never loses or tears it. */
import assert from "node:assert/strict";
import { isScportraitError } from "../../../core/errors.ts";
import { Project } from "../../../core/project/project.ts";
import {
  PROVENANCE_FORMAT,
  type ProvenanceRecord,
  readProvenance,
  TOOL_VERSION,
} from "../../../core/project/provenance.ts";
import { canonicalHash } from "../../../core/project/canonical_json.ts";
import { removeStaleTemps } from "../../../core/io/atomic_file.ts";
import { KILL_POINTS, killPaused, spawnUntilPaused } from "../io/atomic_kill_point.ts";

Deno.test("two steps append two records with plugin, params hash, inputs, counts, versions", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const project = await Project.create(`${dir}/p`, {
      config: { text: "name: p\n", source: "p.yml", config: { name: "p" } },
    });
    const params = { threshold: 0.5, sizes: [10, 20] };
    const seg = await project.beginStep("segmentation", {
      params,
      inputs: { input_image: "sha256:aa" },
      plugin: { id: "wga-segmentation", version: "0.1.2", sha256: "sha256:bb" },
    });
    await seg.markDone("tile/0");
    await seg.finish({ counts: { nucleus: 12, cytosol: 11 } });
    const ext = await project.beginStep("extraction", { params: { image_size: 64 } });
    await ext.finish({ counts: { cells: 11 } });
    const history = await readProvenance(project.paths.provenance);
    assert.equal(history.format, PROVENANCE_FORMAT);
    assert.equal(history.steps.length, 2);
    const [first, second] = history.steps;
    assert.equal(first?.step, "segmentation");
    assert.equal(first?.status, "ok");
    assert.equal(first?.plugin, "wga-segmentation@0.1.2");
    assert.equal(first?.plugin_sha256, "sha256:bb");
    assert.equal(first?.params_hash, await canonicalHash({ sizes: [10, 20], threshold: 0.5 }));
    assert.deepEqual(first?.inputs, { input_image: "sha256:aa" });
    assert.deepEqual(first?.counts, { nucleus: 12, cytosol: 11 });
    assert.deepEqual(first?.units, { computed: 1, reused: 0 });
    assert.equal(first?.deno, Deno.version.deno);
    assert.equal(first?.tool, TOOL_VERSION);
    assert.ok(Date.parse(first!.finished) >= Date.parse(first!.started));
    assert.ok(first!.duration_s >= 0);
    assert.equal(second?.step, "extraction");
    assert.deepEqual((await project.status()).cellCounts, {
      "segmentation.nucleus": 12,
      "segmentation.cytosol": 11,
      "extraction.cells": 11,
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a process killed while appending leaves the earlier history intact and parseable", async () => {
  const dir = await Deno.makeTempDir();
  const script = new URL("./provenance_child.ts", import.meta.url).pathname;
  try {
    const file = `${dir}/provenance.json`;
    let before: ProvenanceRecord[] = [];
    // One child per kill point inside the rewrite (atomic_kill_point.ts): appends 0..at-1 of the
    // child complete, append `at` is paused there and killed with SIGKILL.
    for (const [round, point] of KILL_POINTS.entries()) {
      const at = round + 1;
      const paused = await spawnUntilPaused(script, [file, String(at + 1)], point, at);
      assert.equal((await killPaused(paused)).signal, "SIGKILL");
      const history = await readProvenance(file); // throws if the file were torn
      // The killed append is in the history only if its rename was done.
      const added = at + (point === "after-rename" ? 1 : 0);
      assert.equal(history.steps.length, before.length + added, `records after a kill at ${point}`);
      // Records are never rewritten or lost: the earlier ones are unchanged, and the new ones
      // are this child's appends 0, 1, 2… in order.
      assert.deepEqual(history.steps.slice(0, before.length), before);
      const durations = history.steps.slice(before.length).map((r) => r.duration_s);
      assert.deepEqual(durations, Array.from({ length: added }, (_, i) => i));
      for (const record of history.steps) assert.equal(Object.keys(record.inputs).length, 2000);
      before = history.steps;
      const temps = await removeStaleTemps(dir);
      assert.deepEqual(temps, point === "after-rename" ? [] : [paused.temp]);
      assert.deepEqual((await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name), [
        "provenance.json",
      ]);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a garbled provenance.json is reported, not overwritten", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(`${dir}/provenance.json`, '{"steps": [');
    await assert.rejects(
      () => readProvenance(`${dir}/provenance.json`),
      (e) => isScportraitError(e, "PROJECT_INVALID") && e.message.includes("provenance.json"),
    );
    assert.deepEqual((await readProvenance(`${dir}/none.json`)).steps, []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
