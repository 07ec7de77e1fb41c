import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { H5scWriter } from "../../../../core/io/h5sc/h5sc_writer.ts";
import type { H5scCompression, H5scLayout } from "../../../../core/io/h5sc/h5sc_types.ts";
import { runPython } from "./run_python.ts";

const S = 16;
const C = 5;

function layout(n: number, compression: H5scCompression): H5scLayout {
  return {
    cellIds: new BigUint64Array(Array.from({ length: n }, (_, i) => BigInt(1000 + 7 * i))),
    maskNames: ["seg_all_nucleus", "seg_all_cytosol"],
    channelNames: ["DAPI", "WGA", "a_very_long_channel_name"],
    imageSize: S,
    normalization: true,
    normalizationRange: [0.001, 0.999],
    compression,
  };
}

/** Deterministic half floats in [0,1]: noise (incompressible) for odd cells, smooth for even. */
function cells(n: number): Float16Array {
  const data = new Float16Array(n * C * S * S);
  let seed = 12345;
  for (let i = 0; i < data.length; i++) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const cell = Math.floor(i / (C * S * S));
    data[i] = cell % 2 ? seed / 2 ** 32 : (i % (S * S)) / (S * S);
  }
  return data;
}

const CHECK = `
import sys, json, h5py, numpy as np, anndata
path, raw = sys.argv[1], sys.argv[2]
with h5py.File(path, "r") as f:
    d = f["obsm/single_cell_images"]
    expected = np.fromfile(raw, dtype=np.float16).reshape(d.shape)
    out = dict(shape=list(d.shape), dtype=str(d.dtype), chunks=list(d.chunks),
        compression=d.compression, equal=bool(np.array_equal(d[:], expected)),
        attrs={k: (v.tolist() if hasattr(v, "tolist") else v) for k, v in d.attrs.items()},
        root=dict(f.attrs), ids=f["obs/scportrait_cell_id"][:].tolist(),
        id_dtype=str(f["obs/scportrait_cell_id"].dtype))
    out["attrs"] = {k: ([x.decode() if isinstance(x, bytes) else x for x in v]
        if isinstance(v, list) else v) for k, v in out["attrs"].items()}
a = anndata.read_h5ad(path)
out["ad_obs"] = a.obs["scportrait_cell_id"].tolist()
out["ad_var"] = a.var["channels"].tolist()
out["ad_mapping"] = a.var["channel_mapping"].tolist()
out["ad_obsm"] = list(a.obsm["single_cell_images"].shape)
out["ad_uns"] = {k: (v.tolist() if hasattr(v, "tolist") else v)
    for k, v in a.uns["single_cell_images"].items()}
print(json.dumps(out))
`;

for (const compression of ["lzf", "gzip", "none"] as const) {
  Deno.test(`h5sc written with ${compression} opens in h5py and anndata with exact pixels`, async () => {
    const dir = await Deno.makeTempDir();
    try {
      const n = 6;
      const path = join(dir, "single_cells.h5sc");
      const data = cells(n);
      const writer = await H5scWriter.create(path, layout(n, compression), { maxBatchBytes: 5000 });
      assert.equal(writer.directChunks, true, "chunks should bypass HDF5's filter pipeline");
      const per = C * S * S;
      writer.writeCells(3, data.subarray(3 * per)); // out of order, split into several blocks
      assert.equal(existsSync(path), false, "final name must not exist before finish()");
      writer.writeCells(0, data.subarray(0, 3 * per));
      writer.finish();
      assert.equal(existsSync(`${path}.partial`), false);
      const raw = join(dir, "expected.f16");
      await Deno.writeFile(raw, new Uint8Array(data.buffer));
      // deno-lint-ignore no-explicit-any
      const r = await runPython(CHECK, [path, raw]) as any;
      assert.deepEqual(r.shape, [n, C, S, S]);
      assert.equal(r.dtype, "float16");
      assert.deepEqual(r.chunks, [1, 1, S, S]);
      assert.equal(r.compression, compression === "none" ? null : compression);
      assert.equal(r.equal, true, "pixels read by h5py differ from what was written");
      assert.deepEqual(r.root, { "encoding-type": "anndata", "encoding-version": "0.1.0" });
      assert.equal(r.id_dtype, "uint64");
      assert.deepEqual(r.ids, Array.from({ length: n }, (_, i) => 1000 + 7 * i));
      assert.equal(r.attrs["encoding-type"], "array");
      assert.equal(r.attrs["encoding-version"], "0.2.0");
      assert.equal(r.attrs.n_cells, n);
      assert.equal(r.attrs.n_masks, 2);
      assert.equal(r.attrs.image_size, S);
      assert.deepEqual(r.attrs.normalization_range, [0.001, 0.999]);
      assert.deepEqual(r.attrs.channel_names, [
        "seg_all_nucleus",
        "seg_all_cytosol",
        "DAPI",
        "WGA",
        "a_very_long_channel_name",
      ]);
      assert.deepEqual(r.ad_obs, r.ids);
      assert.deepEqual(r.ad_var, [
        "seg_all_nucleus",
        "seg_all_cytosol",
        "DAPI",
        "WGA",
        "a_very_long_cha",
      ]);
      assert.deepEqual(r.ad_mapping, [
        "mask",
        "mask",
        "image_channel",
        "image_channel",
        "image_channel",
      ]);
      assert.deepEqual(r.ad_obsm, [n, C, S, S]);
      assert.equal(r.ad_uns.n_cells, n);
      assert.equal(r.ad_uns.compression, compression);
      assert.equal(r.ad_uns.normalization_range_upper, 0.999);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("finish() with missing rows discards the file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "single_cells.h5sc");
    const writer = await H5scWriter.create(path, layout(3, "lzf"));
    writer.writeCells(0, cells(1));
    assert.throws(() => writer.finish(), /only 1 of 3 cells/);
    assert.equal(existsSync(path), false);
    assert.equal(existsSync(`${path}.partial`), false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("an existing file is not replaced without overwrite", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "single_cells.h5sc");
    await Deno.writeTextFile(path, "x");
    await assert.rejects(() => H5scWriter.create(path, layout(1, "lzf")), /already exists/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a writer killed mid-write leaves no file that reads as complete", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "single_cells.h5sc");
    const script = join(dir, "slow_writer.ts");
    const writerUrl = new URL("../../../../core/io/h5sc/h5sc_writer.ts", import.meta.url).href;
    await Deno.writeTextFile(
      script,
      `import { H5scWriter } from "${writerUrl}";
const n = 100000, S = 64, C = 5;
const w = await H5scWriter.create(${JSON.stringify(path)}, {
  cellIds: new BigUint64Array(n).map((_, i) => BigInt(i + 1)), maskNames: ["m"],
  channelNames: ["a", "b", "c", "d"], imageSize: S, normalization: false,
  normalizationRange: [0, 1], compression: "lzf" });
const block = new Uint16Array(100 * C * S * S).fill(0x3800);
console.log("started");
for (let r = 0; r < n; r += 100) w.writeCells(r, block);
w.finish();
`,
    );
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        "--config",
        new URL("../../../../deno.json", import.meta.url).pathname,
        script,
      ],
      stdout: "piped",
      stderr: "null",
    }).spawn();
    const reader = child.stdout.getReader();
    await reader.read(); // "started"
    await new Promise((r) => setTimeout(r, 300));
    child.kill("SIGKILL");
    await child.status;
    reader.releaseLock();
    await child.stdout.cancel();
    assert.equal(existsSync(path), false, "a killed run must not leave the final file");
    assert.equal(existsSync(`${path}.partial`), true);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("pre-compressed chunks in any row order, paged chunk index (>1024 chunks)", async () => {
  const { ChunkEncoder } = await import("../../../../core/io/h5sc/chunk_codec.ts");
  const dir = await Deno.makeTempDir();
  try {
    const n = 300; // 1500 chunks: the fixed-array index is split into pages of 1024
    const path = join(dir, "single_cells.h5sc");
    const data = cells(n);
    const bits = new Uint16Array(data.buffer);
    const per = C * S * S;
    const writer = await H5scWriter.create(path, layout(n, "lzf"));
    assert.equal(writer.directChunks, true);
    const encoder = new ChunkEncoder(S * S * 2, "lzf");
    // blocks of 7 rows taken from a shuffled order, as workers deliver tiles
    const order = Array.from({ length: n }, (_, i) => (i * 97) % n);
    for (let i = 0; i < n; i += 7) {
      const rows = order.slice(i, i + 7);
      const block = new Uint16Array(rows.length * per);
      rows.forEach((r, k) => block.set(bits.subarray(r * per, (r + 1) * per), k * per));
      writer.writeEncoded(rows, encoder.encode(block));
    }
    writer.finish();
    const raw = join(dir, "expected.f16");
    await Deno.writeFile(raw, new Uint8Array(data.buffer));
    // deno-lint-ignore no-explicit-any
    const r = await runPython(CHECK, [path, raw]) as any;
    assert.deepEqual(r.shape, [n, C, S, S]);
    assert.equal(r.compression, "lzf");
    assert.equal(r.equal, true, "pixels read by h5py differ from what was written");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a dataset of one chunk round-trips through h5py", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = join(dir, "one.h5sc");
    const writer = await H5scWriter.create(path, {
      ...layout(1, "lzf"),
      maskNames: ["seg_all_nucleus"],
      channelNames: [],
    });
    const data = new Float16Array(S * S).map((_, i) => i / (S * S));
    writer.writeCells(0, data);
    writer.finish();
    const r = await runPython(
      `import sys, json, h5py, numpy as np
with h5py.File(sys.argv[1], "r") as f:
    d = f["obsm/single_cell_images"][:]
print(json.dumps({"shape": list(d.shape), "v": d.astype(float).ravel().tolist()}))`,
      [path],
    ) as { shape: number[]; v: number[] };
    assert.deepEqual(r.shape, [1, 1, S, S]);
    assert.deepEqual(r.v, Array.from(data));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
