/**
 * End-to-end tests of `scportrait load`: real TIFFs into the store, read back by Python zarr with
 * identical pixels and NGFF 0.4 metadata; a load killed with SIGKILL resumes; clear errors.
 */
import assert from "node:assert/strict";
import * as path from "node:path";

const ROOT = path.resolve(import.meta.dirname!, "../../../..");
const CLI = path.join(ROOT, "cli.ts");
const DATA = path.join(ROOT, "examples/data");
const CELLPROFILER = ["d0", "d2", "d1"].map((d) =>
  path.join(DATA, `cellprofiler_example_human/AS_09125_050116030001_D03f00${d}.tif`)
);
const CONFIG = path.join(ROOT, "examples/configs/wga_cells.yml");
const PYTHON = "/usr/bin/python3";

async function cli(args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CLI, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: text(out.stdout), stderr: text(out.stderr) };
}

async function python(script: string, ...args: string[]): Promise<string> {
  const out = await new Deno.Command(PYTHON, {
    args: ["-c", script, ...args],
    stderr: "piped",
    stdout: "piped",
  })
    .output();
  const text = new TextDecoder().decode(out.stdout);
  if (out.code !== 0) throw new Error(`python failed: ${new TextDecoder().decode(out.stderr)}`);
  return text;
}

/** Compares every level of input_image with the TIFFs (level k = 2×2 means chained as documented). */
const VERIFY = `
import json, sys, numpy as np, tifffile, zarr
store, scale, tifs = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
g = zarr.open_group(store + "/images/input_image", mode="r")
ms = g.attrs["multiscales"][0]
assert ms["version"] == "0.4", ms["version"]
assert [a["name"] for a in ms["axes"]] == ["c", "y", "x"]
img = np.stack([tifffile.imread(t).astype(np.uint32) * scale for t in tifs]).astype(np.uint16)
lvl0 = g[ms["datasets"][0]["path"]][:]
assert lvl0.dtype == np.uint16 and lvl0.shape == img.shape, (lvl0.dtype, lvl0.shape)
assert np.array_equal(lvl0, img), "level 0 differs"
shapes = [list(g[d["path"]].shape) for d in ms["datasets"]]
root = zarr.open_group(store, mode="r")
print(json.dumps({"shapes": shapes, "labels": [c["label"] for c in g.attrs["omero"]["channels"]],
  "status": root.attrs["sdata_status"], "sum": int(lvl0.astype(np.uint64).sum())}))
`;

Deno.test("load writes real uint8 TIFFs (×255) that Python zarr reads back exactly", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const project = path.join(dir, "p");
    const r = await cli([
      "load",
      project,
      "--config",
      CONFIG,
      "--tif",
      ...CELLPROFILER,
      "--channels",
      "DNA,Body,PH3",
      "--quiet",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(
      await python(VERIFY, path.join(project, "scportrait.sdata"), "255", ...CELLPROFILER),
    );
    assert.deepEqual(out.labels, ["DNA", "Body", "PH3"]);
    assert.deepEqual(out.shapes, [[3, 512, 512], [3, 256, 256], [3, 64, 64], [3, 8, 8]]);
    assert.equal(out.status.input_images, true);
    assert.equal(out.status.nucleus_segmentation, false);
    assert.ok(out.sum > 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("load keeps uint16 TIFF values exactly and refuses to clobber without --overwrite", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const project = path.join(dir, "p");
    const tif = path.join(DATA, "dsb2018_nuclei/img2d.tif");
    const first = await cli([
      "load",
      project,
      "--config",
      CONFIG,
      "--tif",
      tif,
      "--channels",
      "DAPI",
      "--quiet",
    ]);
    assert.equal(first.code, 0, first.stderr);
    await python(VERIFY, path.join(project, "scportrait.sdata"), "1", tif);
    const again = await cli(["load", project, "--tif", tif, "--channels", "DAPI", "--quiet"]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /ELEMENT_EXISTS/);
    assert.match(again.stderr, /overwrite/);
    const replaced = await cli([
      "load",
      project,
      "--tif",
      tif,
      "--channels",
      "DAPI",
      "--overwrite",
      "--quiet",
    ]);
    assert.equal(replaced.code, 0, replaced.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("load names the missing file, bad channel counts and missing projects", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const project = path.join(dir, "p");
    const missing = path.join(dir, "nope.tif");
    const r1 = await cli(["load", project, "--config", CONFIG, "--tif", missing]);
    assert.equal(r1.code, 1);
    assert.match(r1.stderr, /INPUT_NOT_FOUND/);
    assert.ok(r1.stderr.includes(missing), r1.stderr);
    const r2 = await cli(["load", project, "--tif", ...CELLPROFILER, "--channels", "A,B"]);
    assert.equal(r2.code, 1);
    assert.match(r2.stderr, /2 channel names/);
    const r3 = await cli(["load", path.join(dir, "absent"), "--tif", ...CELLPROFILER]);
    assert.equal(r3.code, 1);
    assert.match(r3.stderr, /PROJECT_NOT_FOUND/);
    const r4 = await cli(["load", project]);
    assert.equal(r4.code, 2);
    assert.match(r4.stderr, /--tif/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a load killed with SIGKILL midway leaves the project usable and a rerun completes", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const tifs = [0, 1, 2].map((c) => path.join(dir, `c${c}.tif`));
    await python(
      `import sys, numpy as np, tifffile
rng = np.random.default_rng(7)
for i, p in enumerate(sys.argv[1:]):
    a = (rng.integers(0, 4000, size=(3000, 3000)) + i * 1000).astype(np.uint16)
    tifffile.imwrite(p, a, compression="zlib", rowsperstrip=64)`,
      ...tifs,
    );
    const project = path.join(dir, "p");
    const init = await cli(["init", project, "--config", CONFIG]);
    assert.equal(init.code, 0, init.stderr);
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", CLI, "load", project, "--tif", ...tifs, "--quiet"],
      stdout: "null",
      stderr: "null",
    }).spawn();
    const chunkDir = path.join(project, "scportrait.sdata/images/.input_image.incomplete/0/0");
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const n = await countFiles(chunkDir);
      if (n >= 2) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill("SIGKILL");
    await child.status;
    const status = await cli(["status", project, "--json"]);
    assert.equal(status.code, 0, status.stderr);
    const before = JSON.parse(status.stdout);
    assert.equal(before.inputImage, null);
    assert.equal(before.sdata.input_images, false);
    assert.deepEqual(before.unfinishedElements, ["images/input_image"]);
    const rerun = await cli(["load", project, "--tif", ...tifs, "--json"]);
    assert.equal(rerun.code, 0, rerun.stderr);
    const result = JSON.parse(rerun.stdout.trim().split("\n").at(-1)!);
    assert.ok(result.chunksResumed >= 2, `resumed ${result.chunksResumed}`);
    assert.equal(result.chunksResumed + result.chunksWritten, 27);
    await python(VERIFY, path.join(project, "scportrait.sdata"), "1", ...tifs);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

async function countFiles(dir: string): Promise<number> {
  let n = 0;
  try {
    for await (const row of Deno.readDir(dir)) {
      if (!row.isDirectory) continue;
      for await (const f of Deno.readDir(path.join(dir, row.name))) if (/^\d+$/.test(f.name)) n++;
    }
  } catch {
    return 0;
  }
  return n;
}
