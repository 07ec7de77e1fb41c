import assert from "node:assert/strict";
import { join } from "node:path";
import { openH5sc } from "../../../../core/io/h5sc/h5sc_reader.ts";
import { runPython } from "./run_python.ts";

// Writes a file the way scPortrait does (anndata.write, then h5py float16 + lzf) and the legacy
// SPARCSpy layout, plus the raw float32 values for comparison.
const MAKE = `
import sys, json, h5py, numpy as np, pandas as pd, anndata
d = sys.argv[1]
rng = np.random.default_rng(3)
N, C, S = 7, 4, 12
imgs = rng.random((N, C, S, S)).astype(np.float16)
ids = np.array([5, 9, 11, 20, 21, 40, 41], dtype=np.uint64)
names = np.array(["seg_all_nucleus", "seg_all_cytosol", "DAPI", "Alexa488"], dtype="<U15")
var = pd.DataFrame(index=np.arange(C).astype(str))
var["channels"] = names
var["channel_mapping"] = ["mask", "mask", "image_channel", "image_channel"]
obs = pd.DataFrame({"scportrait_cell_id": ids}); obs.index = obs.index.values.astype(str)
anndata.AnnData(obs=obs, var=var).write(d + "/py.h5sc")
with h5py.File(d + "/py.h5sc", "a") as f:
    f.create_dataset("obsm/single_cell_images", data=imgs, chunks=(1, 1, S, S), compression="lzf")
imgs.astype(np.float32).tofile(d + "/py.f32")
legacy = rng.random((N, 2 + 3, S, S)).astype(np.float16).astype(np.float32)
with h5py.File(d + "/single_cells.h5", "w") as f:
    f.create_dataset("single_cell_data", data=legacy, chunks=(1, 1, S, S), compression="lzf")
    f.create_dataset("single_cell_index", data=np.stack([np.arange(N), ids.astype(np.int64)], 1))
legacy.tofile(d + "/legacy.f32")
print(json.dumps({"ok": True}))
`;

Deno.test("openH5sc reads a Python/scPortrait-written .h5sc and a legacy single_cells.h5", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await runPython(MAKE, [dir]);
    const expected = new Float32Array((await Deno.readFile(join(dir, "py.f32"))).buffer);
    const f = await openH5sc(join(dir, "py.h5sc"));
    try {
      assert.equal(f.format, "h5sc");
      assert.equal(f.dtype, "float16");
      assert.deepEqual([f.nCells, f.nChannels, f.imageSize, f.nMasks], [7, 4, 12, 2]);
      assert.deepEqual(f.channelNames, ["seg_all_nucleus", "seg_all_cytosol", "DAPI", "Alexa488"]);
      assert.deepEqual(f.channelMapping, ["mask", "mask", "image_channel", "image_channel"]);
      assert.deepEqual(Array.from(f.cellIds, Number), [5, 9, 11, 20, 21, 40, 41]);
      const plane = 144;
      const cell = (row: number, c: number) =>
        expected.subarray((row * 4 + c) * plane, (row * 4 + c + 1) * plane);
      assert.deepEqual(f.readCell(3), expected.subarray(3 * 4 * plane, 4 * 4 * plane));
      const byId = f.readCellById(40n, [3, 1]);
      assert.deepEqual(byId.subarray(0, plane), cell(5, 3));
      assert.deepEqual(byId.subarray(plane), cell(5, 1));
      assert.throws(() => f.readCellById(6n), /no cell with id 6/);
      const batches = [...f.batches({ batchSize: 3, channels: [0, 2, 3] })];
      assert.deepEqual(batches.map((b) => b.count), [3, 3, 1]);
      assert.deepEqual(Array.from(batches[2].cellIds, Number), [41]);
      assert.deepEqual(batches[1].data.subarray(3 * plane, 4 * plane), cell(4, 0));
      assert.deepEqual(batches[1].data.subarray(5 * plane, 6 * plane), cell(4, 3));
    } finally {
      f.close();
    }
    const legacyExpected = new Float32Array((await Deno.readFile(join(dir, "legacy.f32"))).buffer);
    const legacy = await openH5sc(join(dir, "single_cells.h5"));
    try {
      assert.equal(legacy.format, "legacy");
      assert.equal(legacy.dtype, "float32");
      assert.deepEqual([legacy.nCells, legacy.nChannels, legacy.nMasks], [7, 5, 2]);
      assert.deepEqual(Array.from(legacy.cellIds, Number), [5, 9, 11, 20, 21, 40, 41]);
      assert.deepEqual(legacy.readCellById(21), legacyExpected.subarray(4 * 5 * 144, 5 * 5 * 144));
    } finally {
      legacy.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("openH5sc names the missing file and rejects other HDF5 files", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await assert.rejects(() => openH5sc(join(dir, "nope.h5sc")), /nope\.h5sc: no such/);
    await runPython(
      `import sys, h5py, json\nh5py.File(sys.argv[1], "w").create_dataset("x", data=[1])\nprint(json.dumps(1))`,
      [join(dir, "other.h5")],
    );
    await assert.rejects(() => openH5sc(join(dir, "other.h5")), /neither an \.h5sc/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("our own .h5sc files are read straight from the file, equal to what was written", async () => {
  const { H5scWriter } = await import("../../../../core/io/h5sc/h5sc_writer.ts");
  const dir = await Deno.makeTempDir();
  try {
    const N = 40, C = 3, S = 8;
    const data = new Float16Array(N * C * S * S).map((_, i) => ((i * 7919) % 1000) / 999);
    for (let i = 0; i < data.length; i += 5) data[i] = 0; // some structure for LZF
    for (let i = 0; i < data.length; i += S * S) data.fill(0, i + 3, i + 30); // background runs
    for (const compression of ["lzf", "gzip", "none"] as const) {
      const path = join(dir, `${compression}.h5sc`);
      const w = await H5scWriter.create(path, {
        cellIds: BigUint64Array.from({ length: N }, (_, i) => BigInt(10 + i)),
        maskNames: ["seg_all_nucleus"],
        channelNames: ["a", "b"],
        imageSize: S,
        normalization: true,
        normalizationRange: [0.001, 0.999],
        compression,
      });
      w.writeCells(0, data);
      w.finish();
      const f = await openH5sc(path);
      try {
        assert.equal(f.directReads, true, compression);
        const all = Float32Array.from(data);
        assert.deepEqual(f.readRows(0, N), all);
        const per = C * S * S;
        assert.deepEqual(f.readCellById(25n), all.subarray(15 * per, 16 * per));
        const two = f.readRows(3, 2, [2, 0]); // non-contiguous channel selection
        assert.deepEqual(two.subarray(0, S * S), all.subarray(3 * per + 2 * S * S, 4 * per));
        // a reused, dirty buffer: every value is overwritten (zeros included)
        const buffer = new Float32Array(per + 5).fill(Number.NaN);
        for (const row of [7, 0, 39]) {
          const got = f.readCellInto(row, buffer);
          assert.deepEqual(got, all.subarray(row * per, (row + 1) * per));
        }
        assert.throws(() => f.readCellInto(40, buffer), /readCellInto needs row/);
        // batches in one reused array equal fresh batches (contiguous and scattered channels)
        for (const channels of [[0, 1, 2], [2, 0]]) {
          const fresh = [...f.batches({ batchSize: 16, channels })].map((b) => b.data);
          let shared: ArrayBufferLike | undefined;
          let i = 0;
          for (const b of f.batches({ batchSize: 16, channels, reuse: true })) {
            assert.deepEqual(b.data, fresh[i++], `batch ${i} of channels ${channels}`);
            shared ??= b.data.buffer;
            assert.equal(b.data.buffer, shared, "every batch uses the same buffer");
          }
          assert.equal(i, 3);
        }
      } finally {
        f.close();
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
