import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { ArrayExtractionSource } from "../../../../core/steps/extract/extraction_source.ts";
import { extractCells } from "../../../../core/steps/extract/extract_cells.ts";
import { runPython } from "../../io/h5sc/run_python.ts";

// Python builds the scene and recomputes every cell with numpy/scipy/skimage exactly as scPortrait's
// _extract_classes does; the test compares the .h5sc Deno wrote against it.
const SCENE = `
import sys, json, numpy as np
d = sys.argv[1]
H, W = 150, 170
rng = np.random.default_rng(11)
nuc = np.zeros((H, W), np.uint64); cyt = np.zeros((H, W), np.uint64)
yy, xx = np.mgrid[:H, :W]
cells = [(1, 40, 40), (2, 40, 95), (3, 100, 60), (4, 8, 120), (5, 100, 140), (6, 145, 20), (7, 75, 125)]
for cid, cy, cx in cells:
    cyt[(yy - cy) ** 2 + (xx - cx) ** 2 < 14 ** 2] = cid
    nuc[(yy - cy) ** 2 + (xx - cx) ** 2 < 6 ** 2] = cid
# cell 2: a hole in its cytosol and nucleus masks
cyt[(yy - 40) ** 2 + (xx - 101) ** 2 < 3 ** 2] = 0
nuc[40, 95] = 0
# cell 7: nucleus centre outside its cytosol (cytosol is a crescent to the right)
cyt[cyt == 7] = 0
cyt[((yy - 75) ** 2 + (xx - 133) ** 2 < 12 ** 2) & ((yy - 75) ** 2 + (xx - 125) ** 2 >= 8 ** 2)] = 7
img = rng.integers(100, 60000, size=(3, H, W)).astype(np.uint16)
nuc.tofile(d + "/nuc.u64"); cyt.tofile(d + "/cyt.u64"); img.tofile(d + "/img.u16")
print(json.dumps({"H": H, "W": W}))
`;

const CHECK = `
import sys, json, h5py, numpy as np
from scipy.ndimage import binary_fill_holes
from skimage.filters import gaussian
d, path, S, H, W = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
nuc = np.fromfile(d + "/nuc.u64", np.uint64).reshape(H, W)
cyt = np.fromfile(d + "/cyt.u64", np.uint64).reshape(H, W)
img = np.fromfile(d + "/img.u16", np.uint16).reshape(3, H, W)
ids = np.unique(nuc); ids = ids[ids > 0]
centers = np.array([np.argwhere(nuc == i).mean(0) for i in ids])  # (y, x)
px = np.round(centers[:, ::-1]).astype(int)                        # (x, y)
w = S // 2
keep = [(w < x < W - w) and (w < y < H - w) for x, y in px]
def norm(im, lo=0.001, hi=0.999):
    a, b = np.quantile(np.ravel(im), lo), np.quantile(np.ravel(im), hi)
    out = im - a
    if b - a != 0: out = out / (b - a)
    return np.clip(out, 0, 1)
expected = []
for cid, (x, y), k in zip(ids, px, keep):
    if not k: continue
    wy, wx = slice(y - w, y + w), slice(x - w, x + w)
    masks = []
    for m in (nuc, cyt):
        mm = np.where(m[wy, wx] == cid, 1, 0)
        masks.append(gaussian(binary_fill_holes(mm), preserve_range=True, sigma=1))
    data = img[:, wy, wx] * masks[-1]
    expected.append(np.stack(masks + [norm(c) for c in data]).astype(np.float16))
with h5py.File(path, "r") as f:
    got = f["obsm/single_cell_images"][:]
    got_ids = f["obs/scportrait_cell_id"][:].tolist()
expected = np.stack(expected)
diff = np.abs(got.astype(np.float64) - expected.astype(np.float64))
print(json.dumps({"ids": got_ids, "expected_ids": [int(i) for i, k in zip(ids, keep) if k],
  "removed": [int(i) for i, k in zip(ids, keep) if not k], "max_diff": float(diff.max()),
  "n_exact": int((diff == 0).sum()), "n": int(diff.size), "shape": list(got.shape)}))
`;

async function scene(dir: string) {
  await runPython(SCENE, [dir]);
  const H = 150, W = 170;
  const u64 = async (f: string) => new BigUint64Array((await Deno.readFile(join(dir, f))).buffer);
  const img = new Uint16Array((await Deno.readFile(join(dir, "img.u16"))).buffer);
  return new ArrayExtractionSource({
    width: W,
    height: H,
    labels: [await u64("nuc.u64"), await u64("cyt.u64")],
    image: [0, 1, 2].map((c) => img.slice(c * H * W, (c + 1) * H * W)),
    channelNames: ["DAPI", "WGA", "Marker"],
    maskNames: ["seg_all_nucleus", "seg_all_cytosol"],
  });
}

for (const [threads, labels] of [[1, "uint32"], [2, "uint32"], [2, "uint64"]] as const) {
  Deno.test(`extraction matches a numpy/scipy/skimage re-computation (threads=${threads}, ${labels} label tiles)`, async () => {
    const dir = await Deno.makeTempDir();
    try {
      const source = await scene(dir);
      // without readLabels32 the tiles stay uint64 (sources that do not offer uint32 ids)
      if (labels === "uint64") Object.assign(source, { readLabels32: undefined });
      const res = await extractCells(source, {
        extractionDir: join(dir, "extraction"),
        imageSize: 40,
        threads,
        tileSize: 64,
        progress: { quiet: true },
      });
      assert.equal(res.nCells, 5);
      // deno-lint-ignore no-explicit-any
      const r = await runPython(CHECK, [dir, res.path!, "40", "150", "170"]) as any;
      assert.deepEqual(r.ids, r.expected_ids, "obs ids = centre ids − removed ids");
      assert.deepEqual(r.ids, [1, 2, 3, 5, 7]);
      assert.deepEqual(r.removed, [4, 6]); // border cells
      assert.deepEqual(Array.from(res.removedIds, Number), [4, 6]);
      const removed = await Deno.readTextFile(join(dir, "extraction/data/removed_classes.csv"));
      assert.equal(removed, "4\n6\n");
      assert.deepEqual(r.shape, [5, 5, 40, 40]);
      assert.ok(r.max_diff <= 0.001, `max |Δ| ${r.max_diff} exceeds one float16 step near 1`);
      assert.ok(r.n_exact / r.n > 0.999, `only ${r.n_exact}/${r.n} values are bit-identical`);
      assert.ok(existsSync(join(dir, "extraction/benchmarking.csv")));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("odd image_size is an error; zero cells writes no .h5sc", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const source = await scene(dir);
    const base = { extractionDir: join(dir, "extraction"), threads: 1, progress: { quiet: true } };
    await assert.rejects(
      () => extractCells(source, { ...base, imageSize: 41 }),
      /must be a positive even/,
    );
    const res = await extractCells(source, { ...base, imageSize: 148, overwrite: true });
    assert.equal(res.nCells, 0);
    assert.equal(res.path, undefined);
    assert.equal(existsSync(join(dir, "extraction/data/single_cells.h5sc")), false);
    assert.equal(
      await Deno.readTextFile(join(dir, "extraction/data/removed_classes.csv")),
      "1\n2\n3\n4\n5\n6\n7\n",
    );
    const partial = await extractCells(source, { ...base, imageSize: 40, nCells: 3, seed: 1 });
    assert.ok(partial.folder.endsWith("partial_data_ncells_3_seed_1"));
    assert.equal(partial.nCells + partial.removedIds.length, 3);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
