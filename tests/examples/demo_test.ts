/**
 * The README's first set-up command, `deno task demo`, end to end on the bundled CellProfiler
 * ExampleHuman images: every step succeeds and what it leaves is checked with the Python tools a
 * user would open it with (zarr, h5py).
 */
import assert from "node:assert/strict";
import { join } from "node:path";

const ROOT = join(import.meta.dirname!, "..", "..");

async function python(script: string, ...args: string[]): Promise<string> {
  const out = await new Deno.Command("/usr/bin/python3", { args: ["-c", script, ...args] })
    .output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr);
  return new TextDecoder().decode(out.stdout);
}

Deno.test("deno task demo: WGA nuclei + cytosols, single cells and a report on real images", async () => {
  const dir = await Deno.makeTempDir({ prefix: "demo_test_" });
  try {
    const project = join(dir, "cellprofiler");
    const run = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", join(ROOT, "examples/demo.ts"), project],
      cwd: ROOT,
    }).output();
    const log = new TextDecoder().decode(run.stdout) + new TextDecoder().decode(run.stderr);
    assert.equal(run.code, 0, log);
    for (
      const step of ["init", "load", "plugin install", "segment", "extract", "status", "report"]
    ) {
      assert.ok(log.includes(`$ scportrait ${step}`), `the demo prints '${step}'`);
    }
    const facts = JSON.parse(
      await python(
        `
import sys, json, zarr, h5py, numpy as np
root = sys.argv[1]
g = zarr.open_group(root + "/scportrait.sdata", mode="r")
nuc = g["labels/seg_all_nucleus/0"][:]
cyto = g["labels/seg_all_cytosol/0"][:]
with h5py.File(root + "/extraction/data/single_cells.h5sc", "r") as f:
    images = f["obsm/single_cell_images"]
    ids = f["obs/scportrait_cell_id"][:]
    print(json.dumps({
        "channels": list(g["images/input_image"].attrs["omero"]["channels"][i]["label"] for i in range(3)),
        "nuclei": sorted(int(v) for v in np.unique(nuc) if v),
        "cytosols": sorted(int(v) for v in np.unique(cyto) if v),
        "shape": list(images.shape), "dtype": str(images.dtype),
        "ids": sorted(int(v) for v in ids),
    }))
`,
        project,
      ),
    );
    assert.deepEqual(facts.channels, ["DNA", "CellBody", "PH3"]);
    // the field shows a few hundred HT29 cells (CellProfiler's own pipeline finds ~300 nuclei)
    assert.ok(facts.nuclei.length >= 200 && facts.nuclei.length <= 350, `${facts.nuclei.length}`);
    assert.deepEqual(facts.cytosols, facts.nuclei, "every nucleus has the cytosol of its id");
    // 2 masks + 3 channels of 64 × 64, float16, one row per cell not removed at the border
    assert.deepEqual(facts.shape.slice(1), [5, 64, 64]);
    assert.equal(facts.dtype, "float16");
    const removed = (await Deno.readTextFile(join(project, "extraction/data/removed_classes.csv")))
      .trim().split("\n").filter((line) => /^\d+$/.test(line.trim())).map(Number);
    assert.equal(facts.shape[0] + removed.length, facts.nuclei.length);
    assert.ok(facts.ids.every((id: number) => facts.nuclei.includes(id)), "ids are nucleus ids");
    const report = await Deno.readTextFile(join(project, "report.html"));
    assert.ok(report.includes("Segmentation") && report.includes("Cell gallery"));
    assert.ok((report.match(/data:image\/png;base64,/g) ?? []).length >= 3, "report pictures");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
