/**
 * buildReport on projects written through the store / h5sc / provenance APIs: the sections that
 * have data appear (and only those), the overlay PNG has outline pixels exactly at skimage's
 * inner label boundaries, the crops carry outlines at level 0, cell counts match zarr, and the
 * gallery shows N cells whose strips match the h5sc pixels read by h5py. Feature tables written
 * by Python anndata and LMD XML in py-lmd's layout are drawn.
 * @module
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { buildReport } from "../../../../core/ui/report/build_report.ts";
import { runPython } from "../../io/h5sc/run_python.ts";
import { CELLS, makeReportProject } from "./report_fixture.ts";

const here = import.meta.dirname!;

function sectionIds(html: string): string[] {
  return [...html.matchAll(/<section id="([a-z-]+)">/g)].map((m) => m[1]);
}

Deno.test("report of a project with input, masks, h5sc, a feature table and selections", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const root = await makeReportProject(dir);
    const sdata = path.join(root, "scportrait.sdata");
    // a feature table as anndata writes it (zarr v2, blosc), in the store's tables/
    await runPython(
      `
import sys, json, numpy as np, pandas as pd, anndata
n = 6
X = np.arange(n * 3, dtype=np.float32).reshape(n, 3)
obs = pd.DataFrame({"scportrait_cell_id": np.arange(n, dtype=np.uint64)}, index=[str(i) for i in range(n)])
a = anndata.AnnData(X=X, obs=obs, var=pd.DataFrame(index=["nucleus_area", "mean_DAPI", "sum_WGA"]))
a.write_zarr(sys.argv[1] + "/tables/CellFeaturizer_nucleus")
print(json.dumps(True))
`,
      [sdata],
    );
    // py-lmd layout, T = [[0,-1],[1,0]], scale 100: x = col·100, y = −row·100
    const rect = [[50, 100], [50, 140], [80, 140], [80, 100], [50, 100]];
    const xml = (shapes: number[][][], cal: number[][]) =>
      `<?xml version='1.0' encoding='UTF-8'?>\n<ImageData>\n  <GlobalCoordinates>1</GlobalCoordinates>\n` +
      cal.map(([r, c], i) =>
        `  <X_CalibrationPoint_${i + 1}>${c * 100}</X_CalibrationPoint_${i + 1}>\n` +
        `  <Y_CalibrationPoint_${i + 1}>${-r * 100}</Y_CalibrationPoint_${i + 1}>\n`
      ).join("") +
      `  <ShapeCount>${shapes.length}</ShapeCount>\n` +
      shapes.map((pts, s) =>
        `  <Shape_${s + 1}>\n    <PointCount>${pts.length}</PointCount>\n    <CapID>A${
          s % 2 + 1
        }</CapID>\n` +
        pts.map(([r, c], i) =>
          `    <X_${i + 1}>${c * 100}</X_${i + 1}>\n    <Y_${i + 1}>${-r * 100}</Y_${i + 1}>\n`
        ).join("") + `  </Shape_${s + 1}>\n`
      ).join("") + "</ImageData>\n";
    await Deno.mkdir(path.join(root, "selection"));
    await Deno.writeTextFile(
      path.join(root, "selection", "cells.xml"),
      xml([rect, rect.map(([r, c]) => [r + 100, c + 50])], [[0, 0], [0, 399], [299, 399]]),
    );
    await Deno.writeTextFile(
      path.join(root, "selection", "far.xml"),
      xml([rect.map(([r, c]) => [r * 1000, c * 1000])], [[0, 0], [0, 1e6], [1e6, 0]]),
    );

    const lines: string[] = [];
    const t0 = performance.now();
    const result = await buildReport(root, {
      cells: 48,
      cropSize: 150,
      write: (l) => lines.push(l),
    });
    console.log(`report: ${((performance.now() - t0) / 1000).toFixed(2)} s`, result.seconds);
    assert.equal(result.path, path.join(root, "report.html"));
    assert.deepEqual(result.warnings, []);
    const html = await Deno.readTextFile(result.path);
    assert.deepEqual(sectionIds(html), [
      "overview",
      "input-image",
      "segmentation",
      "cell-gallery",
      "features",
      "selection",
    ]);
    assert.deepEqual(result.sections, sectionIds(html));
    assert.match(html, /threshold-segmentation@0\.1\.0/);
    assert.match(html, /12\.5s/);
    assert.match(html, /DAPI, WGA, Marker/);
    assert.ok(lines.some((l) => /report: reading image and masks: \d+\/\d+ chunks/.test(l)));
    assert.ok(!/<script/i.test(html) && !/src="(?!data:)/.test(html), "self-contained");

    const py = await runPython(await Deno.readTextFile(path.join(here, "check_report.py")), [
      result.path,
      sdata,
      path.join(root, "extraction", "data", "single_cells.h5sc"),
    ]) as Record<string, unknown>;
    assert.deepEqual(py.overlay_shape, [300, 400, 3]);
    assert.equal(py.overlay_mismatches, 0);
    assert.ok((py.nucleus_boundary_pixels as number) > 300);
    assert.deepEqual(py.counts, { nucleus: CELLS.length + 1, cytosol: CELLS.length });
    assert.deepEqual(result.cellCounts, py.counts);
    const crops = py.crops as { shape: number[]; nucleus_ok: boolean; cytosol_ok: boolean }[];
    assert.equal(crops.length, 2);
    for (const c of crops) {
      assert.deepEqual(c, { ...c, shape: [150, 150, 3], nucleus_ok: true, cytosol_ok: true });
    }
    assert.deepEqual(py.gallery_ids, Array.from({ length: 48 }, (_, i) => 1000 + 3 * i));
    assert.deepEqual(py.gallery_strips_equal, [true, true]);

    // features: one histogram per column of the anndata table
    const features = html.slice(html.indexOf('<section id="features">'));
    assert.match(features, /CellFeaturizer_nucleus/);
    assert.match(features, /6 cells × 3 features/);
    assert.equal(
      features.slice(0, features.indexOf("</section>")).match(/<svg class="plot"/g)?.length,
      3,
    );
    // selection: on-image for cells.xml, XML frame for far.xml
    const selection = html.slice(html.indexOf('<section id="selection">'));
    assert.match(selection, /cells\.xml<\/h3><p>2 shapes, 10 points, 3 calibration points; drawn/);
    assert.match(selection, /data-frame="image"[^]*data-frame="xml"/);
    assert.match(
      selection,
      /points="100\.00,50\.00 140\.00,50\.00 140\.00,80\.00 100\.00,80\.00 100\.00,50\.00"/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("report of a project with nothing but a config has only the overview", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(path.join(dir, "config.yml"), 'name: "empty"\n');
    const { loadConfig } = await import("../../../../core/config/load_config.ts");
    const { Project } = await import("../../../../core/project/project.ts");
    const project = await Project.create(path.join(dir, "p"), {
      config: await loadConfig(path.join(dir, "config.yml")),
    });
    const out = path.join(dir, "elsewhere", "r.html");
    const result = await buildReport(project.root, { out, quiet: true });
    assert.equal(result.path, out);
    const html = await Deno.readTextFile(out);
    assert.deepEqual(sectionIds(html), ["overview"]);
    assert.match(html, /No step has run yet/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
