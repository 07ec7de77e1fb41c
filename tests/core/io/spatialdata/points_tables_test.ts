/**
 * Points and tables in the SpatialData store: the points parquet read back by hyparquet (schema,
 * pandas index metadata, values) and the zarr attrs spatialdata's PointsFormatV01 expects; tables
 * read by Debian anndata 0.8 `read_zarr`; sdata_status, overwrite rules and bad input.
 */
import assert from "node:assert/strict";
import { parquetMetadata } from "hyparquet";
import { isScportraitError } from "../../../../core/errors.ts";
import { SpatialDataStore } from "../../../../core/io/spatialdata/spatialdata_store.ts";

const HERE = new URL(".", import.meta.url).pathname;
const centers = {
  x: Float64Array.from([10.5, 20.25, 3]),
  y: Float64Array.from([1.5, 2, 300.75]),
  ids: BigUint64Array.from([7n, 42n, 2n ** 63n + 5n]), // beyond int64: must stay unsigned
};

Deno.test("points: parquet schema, pandas index, spatialdata attrs, read back, sdata_status", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const store = await SpatialDataStore.create(`${dir}/s.sdata`);
    await store.writePoints("centers_seg_all_nucleus", centers);
    const element = `${dir}/s.sdata/points/centers_seg_all_nucleus`;
    const attrs = JSON.parse(await Deno.readTextFile(`${element}/.zattrs`));
    // spatialdata _write_metadata + PointsFormatV01 + an identity to "global" over axes x, y
    assert.equal(attrs["encoding-type"], "ngff:points");
    assert.deepEqual(attrs.axes, ["x", "y"]);
    assert.deepEqual(attrs.spatialdata_attrs, { version: "0.1" });
    const [t] = attrs.coordinateTransformations;
    assert.equal(t.type, "identity");
    assert.equal(t.output.name, "global");
    assert.deepEqual(t.input.axes.map((a: { name: string }) => a.name), ["x", "y"]);
    assert.deepEqual(JSON.parse(await Deno.readTextFile(`${element}/.zgroup`)), {
      zarr_format: 2,
    });

    const bytes = await Deno.readFile(`${element}/points.parquet/part.0.parquet`);
    const meta = parquetMetadata(bytes.buffer.slice(0) as ArrayBuffer);
    assert.equal(Number(meta.num_rows), 3);
    const schema = Object.fromEntries(meta.schema.slice(1).map((s) => [s.name, s]));
    assert.equal(schema.x.type, "DOUBLE");
    assert.equal(schema.y.type, "DOUBLE");
    assert.equal(schema.__null_dask_index__.type, "INT64");
    assert.equal(schema.__null_dask_index__.converted_type, "UINT_64");
    const pandas = JSON.parse(meta.key_value_metadata!.find((kv) => kv.key === "pandas")!.value!);
    assert.deepEqual(pandas.index_columns, ["__null_dask_index__"]);
    assert.deepEqual(pandas.columns.map((c: { name: string }) => c.name), [
      "x",
      "y",
      "__null_dask_index__",
    ]);

    const back = await (await SpatialDataStore.open(`${dir}/s.sdata`)).readPoints(
      "centers_seg_all_nucleus",
    );
    assert.deepEqual(back, centers);
    const status = (await store.rootAttrs()).sdata_status as Record<string, boolean>;
    assert.equal(status.nucleus_centers, true);
    assert.equal(status.cytosol_centers, false);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("points: exists / overwrite / leftovers of a killed write / mismatched columns", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const store = await SpatialDataStore.create(`${dir}/s.sdata`);
    // a killed earlier write left its hidden folder: a new write replaces it without overwrite
    await Deno.mkdir(`${dir}/s.sdata/points/.centers_seg_all_cytosol.incomplete`, {
      recursive: true,
    });
    await store.writePoints("centers_seg_all_cytosol", centers);
    await assert.rejects(
      store.writePoints("centers_seg_all_cytosol", centers),
      (e) => isScportraitError(e, "ELEMENT_EXISTS"),
    );
    const fewer = {
      x: centers.x.slice(0, 1),
      y: centers.y.slice(0, 1),
      ids: centers.ids.slice(0, 1),
    };
    await store.writePoints("centers_seg_all_cytosol", fewer, { overwrite: true });
    assert.deepEqual(await store.readPoints("centers_seg_all_cytosol"), fewer);
    assert.deepEqual(
      (await store.elements()).filter((e) => e.type === "points"),
      [{ type: "points", name: "centers_seg_all_cytosol", complete: true }],
    );
    await assert.rejects(
      store.writePoints("p", { ...centers, x: centers.x.slice(1) }),
      (e) => isScportraitError(e, "STORE_INVALID") && /2 x, 3 y and 3 ids/.test(e.message),
    );
    await assert.rejects(
      store.readPoints("nope"),
      (e) => isScportraitError(e, "ELEMENT_NOT_FOUND"),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("tables: AnnData zarr read by Debian anndata 0.8 with spatialdata annotation", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const store = await SpatialDataStore.create(`${dir}/s.sdata`);
    const X = Float32Array.from([1.5, -2, 3.25, 4, 5, 6e6]);
    await store.writeTable("CellFeaturizer_nucleus", {
      cellIds: BigUint64Array.from([3n, 1n, 99n]),
      varNames: ["area", "mean_DAPI"],
      X,
      region: "seg_all_nucleus",
      obs: { score: Float64Array.from([0.5, 1, 2]) },
    });
    const out = await new Deno.Command("/usr/bin/python3", {
      args: [`${HERE}verify_table.py`, `${dir}/s.sdata/tables/CellFeaturizer_nucleus`],
      stderr: "piped",
    }).output();
    assert.ok(out.success, new TextDecoder().decode(out.stderr));
    const got = JSON.parse(new TextDecoder().decode(out.stdout));
    assert.deepEqual(got.shape, [3, 2]);
    assert.equal(got.X_dtype, "float32");
    assert.deepEqual(got.X, Array.from(X));
    assert.deepEqual(got.obs_names, ["3", "1", "99"]);
    assert.deepEqual(got.var_names, ["area", "mean_DAPI"]);
    assert.deepEqual(got.obs_columns, ["scportrait_cell_id", "region", "score"]);
    assert.deepEqual(got.cell_ids, [3, 1, 99]);
    assert.equal(got.cell_id_dtype, "uint64");
    assert.equal(got.region_dtype, "category");
    assert.deepEqual(got.region, ["seg_all_nucleus", "seg_all_nucleus", "seg_all_nucleus"]);
    assert.deepEqual(got.extra, { score: [0.5, 1, 2] });
    assert.deepEqual(got.uns, {
      region: "seg_all_nucleus",
      region_key: "region",
      instance_key: "scportrait_cell_id",
    });
    // spatialdata write_table's group attrs (TablesFormatV01)
    assert.equal(got.group_attrs["encoding-type"], "anndata");
    assert.equal(got.group_attrs["spatialdata-encoding-type"], "ngff:regions_table");
    assert.equal(got.group_attrs.region, "seg_all_nucleus");
    assert.equal(got.group_attrs.region_key, "region");
    assert.equal(got.group_attrs.instance_key, "scportrait_cell_id");
    assert.equal(got.group_attrs.version, "0.1");
    assert.deepEqual(await store.elements(), [
      { type: "tables", name: "CellFeaturizer_nucleus", complete: true },
    ]);
    await assert.rejects(
      store.writeTable("t", {
        cellIds: new BigUint64Array(2),
        varNames: ["a"],
        X: new Float32Array(2),
        region: "r",
      }),
      (e) => isScportraitError(e, "STORE_INVALID") && /cellIds repeat/.test(e.message),
    );
    await assert.rejects(
      store.writeTable("t", {
        cellIds: new BigUint64Array(1),
        varNames: ["a"],
        X: new Float32Array(3),
        region: "r",
      }),
      (e) => isScportraitError(e, "STORE_INVALID") && /X has 3 values/.test(e.message),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
