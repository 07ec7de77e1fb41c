/**
 * `scportrait extract` through the real CLI entry: a project whose store holds a synthetic image
 * and nucleus/cytosol masks written with the store API; the `.h5sc` it writes opens in h5py with
 * the right N and ids, and a partial run lands in its own folder.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parseConfig } from "../../../core/config/load_config.ts";
import { Project } from "../../../core/project/project.ts";
import { runPython } from "../io/h5sc/run_python.ts";

const CLI = new URL("../../../cli.ts", import.meta.url).pathname;

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = await new Deno.Command(Deno.execPath(), { args: ["run", "-A", CLI, ...args] })
    .output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, out: text(out.stdout), err: text(out.stderr) };
}

const H = 200, W = 260, S = 40;
// cells on a 50 px grid from (25, 25): the border rule (20 < x < W-20) removes the first row and
// column's neighbours only where the centre is too close to the edge
const CENTRES: [number, number][] = [];
for (let y = 25; y < H; y += 50) for (let x = 25; x < W; x += 50) CENTRES.push([y, x]);

async function makeProject(dir: string): Promise<Project> {
  const project = await Project.create(dir, {
    config: parseConfig(
      `name: extract-test\nextraction:\n  image_size: ${S}\n  compression: lzf\n`,
      join(dir, "config.yml"),
    ),
  });
  const store = await project.openStore();
  const image = await store.createImage("input_image", {
    channels: 2,
    height: H,
    width: W,
    channelNames: ["DAPI", "WGA"],
    chunk: [1, 128, 128],
  });
  const nuc = new Uint32Array(H * W), cyt = new Uint32Array(H * W);
  CENTRES.forEach(([cy, cx], i) => {
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const d = (y - cy) ** 2 + (x - cx) ** 2;
        if (d < 18 * 18) cyt[y * W + x] = i + 1;
        if (d < 7 * 7) nuc[y * W + x] = i + 1;
      }
    }
  });
  const cut = <T extends Uint16Array | Uint32Array>(
    a: T,
    y: number,
    x: number,
    h: number,
    w: number,
  ) => {
    const out = new (a.constructor as { new (n: number): T })(h * w);
    for (let r = 0; r < h; r++) {
      out.set(a.subarray((y + r) * W + x, (y + r) * W + x + w) as never, r * w);
    }
    return out;
  };
  for (let c = 0; c < 2; c++) {
    const plane = Uint16Array.from(
      { length: H * W },
      (_, i) => 500 + ((i * (c + 7) * 2654435761) >>> 22),
    );
    for (let y = 0; y < H; y += 128) {
      for (let x = 0; x < W; x += 128) {
        const h = Math.min(128, H - y), w = Math.min(128, W - x);
        await image.writeChunk(c, y, x, cut(plane, y, x, h, w), h, w);
      }
    }
  }
  await image.finalize({ progress: false });
  for (const [name, mask] of [["seg_all_nucleus", nuc], ["seg_all_cytosol", cyt]] as const) {
    const labels = await store.createLabels(name, { height: H, width: W, chunk: [128, 128] });
    for (let y = 0; y < H; y += 128) {
      for (let x = 0; x < W; x += 128) {
        const h = Math.min(128, H - y), w = Math.min(128, W - x);
        await labels.writeChunk(y, x, cut(mask, y, x, h, w), h, w);
      }
    }
    await labels.finalize({ progress: false });
  }
  return project;
}

Deno.test("scportrait extract writes an .h5sc that h5py opens with the right cells", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const project = await makeProject(join(dir, "p"));
    const res = await cli("extract", project.root, "--threads", "2", "--json");
    assert.equal(res.code, 0, res.err);
    const summary = JSON.parse(res.out.trim().split("\n").at(-1)!);
    const half = S / 2;
    const kept = CENTRES.map(([y, x], i) => ({ id: i + 1, y, x }))
      .filter(({ y, x }) => half < x && x < W - half && half < y && y < H - half);
    assert.equal(summary.cells, kept.length);
    assert.equal(summary.removed, CENTRES.length - kept.length);
    const r = await runPython(
      `import sys, json, h5py
with h5py.File(sys.argv[1], "r") as f:
    d = f["obsm/single_cell_images"]
    print(json.dumps({"shape": list(d.shape), "ids": f["obs/scportrait_cell_id"][:].tolist(),
        "channels": [c.decode() for c in f["var/channels"][:]], "max": float(d[:].max())}))`,
      [project.paths.h5sc],
    ) as { shape: number[]; ids: number[]; channels: string[]; max: number };
    assert.deepEqual(r.shape, [kept.length, 4, S, S]);
    assert.deepEqual(r.ids, kept.map((k) => k.id));
    assert.deepEqual(r.channels, ["seg_all_nucleus", "seg_all_cytosol", "DAPI", "WGA"]);
    assert.ok(r.max > 0.9 && r.max <= 1);
    // a second run needs --overwrite; a partial run goes to its own folder
    const again = await cli("extract", project.root, "--quiet");
    assert.equal(again.code, 1);
    assert.match(again.err, /ELEMENT_EXISTS.*--overwrite/s);
    const partial = await cli("extract", project.root, "--n-cells", "5", "--seed", "3", "--quiet");
    assert.equal(partial.code, 0, partial.err);
    const folder = join(project.paths.extraction, "partial_data_ncells_5_seed_3");
    const removed = (await Deno.readTextFile(join(folder, "removed_classes.csv"))).trim();
    const n = await runPython(
      `import sys, json, h5py
with h5py.File(sys.argv[1], "r") as f:
    print(json.dumps(f["obsm/single_cell_images"].shape[0]))`,
      [join(folder, "single_cells.h5sc")],
    ) as number;
    assert.equal(n + (removed ? removed.split("\n").length : 0), 5);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
