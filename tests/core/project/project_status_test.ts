/** Project.status and `scportrait status`: an empty project vs one with a Python-written store. */
import assert from "node:assert/strict";
import { statusCommand } from "../../../core/cli/status_command.ts";
import { Project } from "../../../core/project/project.ts";
import { formatProjectStatus } from "../../../core/project/format_status.ts";
import { pinPlugin } from "../../../core/registry/lockfile.ts";

const CONFIG = { text: "name: s\n", source: "s.yml", config: { name: "s" } };

Deno.test("status of an empty project reports nothing present", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const project = await Project.create(`${dir}/p`, { config: CONFIG });
    const status = await project.status();
    assert.equal(status.inputImage, null);
    assert.deepEqual(Object.values(status.sdata), [false, false, false, false, false]);
    assert.equal(status.extraction, null);
    assert.deepEqual(
      [status.featurizationTables, status.selections, status.plugins, status.incomplete],
      [[], [], [], []],
    );
    assert.match(formatProjectStatus(status), /input image\s+no/);
    // A damaged lockfile is reported as a warning; status still works.
    await Deno.writeTextFile(project.paths.lockfile, "{oops");
    const warned = await project.status();
    assert.equal(warned.warnings.length, 1);
    assert.match(warned.warnings[0]!, /scportrait\.lock is not JSON/);
    assert.match(formatProjectStatus(warned), /warning: .*scportrait\.lock/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("status of a loaded project: image, sdata_status, counts, h5sc, XMLs, plugins, runs", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const project = await Project.create(`${dir}/p`, { config: CONFIG });
    const seg = await project.beginStep("segmentation", {});
    await seg.finish({ counts: { nucleus: 42 } });
    const py = await new Deno.Command("/usr/bin/python3", {
      args: [new URL("./make_status_store.py", import.meta.url).pathname, project.root],
    }).output();
    assert.equal(py.code, 0, new TextDecoder().decode(py.stderr));
    await Deno.mkdir(project.paths.extractionData, { recursive: true });
    await Deno.writeFile(project.paths.h5sc, new Uint8Array(2048));
    await Deno.mkdir(project.paths.selection);
    await Deno.writeTextFile(project.paths.selectionXml("plate_a"), "<ImageData/>");
    await pinPlugin(project.root, "wga-segmentation", {
      version: "0.1.2",
      sha256: "cd".repeat(32),
      manifest_sha256: "ef".repeat(32),
      registry: "file:///registry",
      signed_by: null,
    });
    const feat = await project.beginStep("featurization", { name: "complete_CellFeaturizer" });
    await feat.markDone("batch/0");
    await feat.fail("out of memory");

    const status = await project.status();
    assert.deepEqual(status.inputImage, {
      channels: ["DAPI", "WGA", "GFP"],
      shape: [3, 20, 30],
      dtype: "uint16",
    });
    assert.equal(status.sdata.input_images, true);
    assert.equal(status.sdata.nucleus_segmentation, true);
    assert.equal(status.sdata.cytosol_segmentation, false);
    assert.deepEqual(status.unfinishedElements, ["labels/seg_all_cytosol"]);
    assert.deepEqual(status.cellCounts, { "segmentation.nucleus": 42 });
    assert.deepEqual(status.extraction, { path: project.paths.h5sc, bytes: 2048 });
    assert.deepEqual(status.selections, ["plate_a"]);
    assert.deepEqual(status.plugins, [
      { id: "wga-segmentation", version: "0.1.2", sha256: "cd".repeat(32) },
    ]);
    assert.deepEqual(
      status.incomplete.map((r) => [r.step, r.name, r.unitsDone, r.failed]),
      [["featurization", "complete_CellFeaturizer", 1, true]],
    );
    assert.equal(status.provenanceRecords, 2);

    const table = formatProjectStatus(status);
    assert.match(table, /input image\s+yes\s+3 × 20 × 30 uint16; channels DAPI, WGA, GFP/);
    assert.match(table, /nucleus segmentation\s+yes\s+\(nucleus 42\)/);
    assert.match(table, /cytosol segmentation\s+unfinished/);
    assert.match(table, /extraction \(\.h5sc\)\s+yes\s+2\.0 KiB/);
    assert.match(table, /plugins pinned\s+yes\s+wga-segmentation@0\.1\.2/);
    assert.match(table, /incomplete: featurization "complete_CellFeaturizer" — 1 units done/);

    // The CLI prints the same status as JSON.
    const printed: string[] = [];
    const original = console.log;
    console.log = (text: string) => printed.push(text);
    try {
      assert.equal(await statusCommand.run([project.root, "--json"]), 0);
    } finally {
      console.log = original;
    }
    assert.deepEqual(JSON.parse(printed.join("\n")), JSON.parse(JSON.stringify(status)));

    // Overwriting segmentation removes its elements through the store, which recomputes
    // sdata_status from what is really there (no finished seg_all_* labels).
    const again = await project.beginStep("segmentation", { overwrite: true });
    await again.finish();
    const after = await project.status();
    assert.deepEqual(after.unfinishedElements, []);
    assert.equal(after.sdata.input_images, true);
    assert.equal(after.sdata.nucleus_segmentation, false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
