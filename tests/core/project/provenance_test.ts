/** provenance.json: append across steps keeps history; a SIGKILL mid-append never loses or tears it. */
import assert from "node:assert/strict";
import { isScportraitError } from "../../../core/errors.ts";
import { Project } from "../../../core/project/project.ts";
import {
  PROVENANCE_FORMAT,
  readProvenance,
  TOOL_VERSION,
} from "../../../core/project/provenance.ts";
import { canonicalHash } from "../../../core/project/canonical_json.ts";
import { removeStaleTemps } from "../../../core/io/atomic_file.ts";

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
  try {
    const file = `${dir}/provenance.json`;
    let before = 0;
    let killedMidWrite = 0;
    // At least 3 kills, and go on (up to 24) until one has landed while the new file was written.
    for (let round = 0; round < 24 && (round < 3 || killedMidWrite === 0); round++) {
      const child = new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", new URL("./provenance_child.ts", import.meta.url).pathname, file],
        stdout: "piped",
      }).spawn();
      const reader = child.stdout.getReader();
      assert.match(new TextDecoder().decode((await reader.read()).value), /ready/);
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 200));
      child.kill("SIGKILL");
      reader.releaseLock();
      await child.stdout.cancel();
      await child.status;
      const history = await readProvenance(file); // throws if the file were torn
      assert.ok(history.steps.length > before, "records only ever grow");
      for (const record of history.steps) assert.equal(Object.keys(record.inputs).length, 2000);
      // Records are never rewritten: durations count up 0, 1, 2… within each child's run.
      assert.equal(history.steps[before]?.duration_s, 0);
      before = history.steps.length;
      const temps = await removeStaleTemps(dir);
      killedMidWrite += temps.length;
      assert.deepEqual((await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name), [
        "provenance.json",
      ]);
    }
    assert.ok(killedMidWrite >= 1, "no kill landed during a rewrite");
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
