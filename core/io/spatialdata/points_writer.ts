/**
 * SpatialData points elements as spatialdata writes them for zarr v2 (PointsFormatV01): a group
 * with `encoding-type: ngff:points`, `axes: [x, y]`, an identity transformation to `global` and
 * `spatialdata_attrs.version`, and the table in `points.parquet/part.0.parquet` (the layout of a
 * one-partition dask `to_parquet`). Columns are float64 `x`, `y` and the cell id as the dataframe
 * index (uint64 column `__null_dask_index__`, named in the pandas metadata so pandas / dask
 * restore it as the unnamed index, as scPortrait's `pd.DataFrame(..., index=ids)`).
 * @module
 */
import { parquetReadObjects } from "hyparquet";
import { parquetWriteBuffer } from "hyparquet-writer";
import { ScportraitError } from "../../errors.ts";
import type { AtomicFileSystemStore } from "../zarr/atomic_fs_store.ts";
import { jsonBytes } from "../zarr/v2_array.ts";

/** Cell centres (or any 2-D points) with their cell ids. */
export interface PointsData {
  /** x (column) coordinates. */
  x: Float64Array;
  /** y (row) coordinates. */
  y: Float64Array;
  /** Cell ids, the dataframe index. */
  ids: BigUint64Array;
}

/** spatialdata's points format version for zarr v2 (PointsFormatV01). */
export const SPATIALDATA_POINTS_VERSION = "0.1";
/** Where the parquet data lives inside a points element. */
export const POINTS_PARQUET = "points.parquet/part.0.parquet";
/** Column dask writes an unnamed index to. */
export const INDEX_COLUMN = "__null_dask_index__";

/** The `.zattrs` of a points element. */
export function pointsAttrs(): Record<string, unknown> {
  const axes = ["x", "y"].map((name) => ({ name, type: "space", unit: "unit" }));
  return {
    "encoding-type": "ngff:points",
    axes: ["x", "y"],
    coordinateTransformations: [{
      type: "identity",
      input: { name: "xy", axes },
      output: { name: "global", axes },
    }],
    spatialdata_attrs: { version: SPATIALDATA_POINTS_VERSION },
  };
}

function pandasMetadata(): string {
  const column = (name: string, type: string) => ({
    name,
    field_name: name,
    pandas_type: type,
    numpy_type: type,
    metadata: null,
  });
  return JSON.stringify({
    index_columns: [INDEX_COLUMN],
    column_indexes: [{
      name: null,
      field_name: null,
      pandas_type: "unicode",
      numpy_type: "object",
      metadata: { encoding: "UTF-8" },
    }],
    columns: [column("x", "float64"), column("y", "float64"), column(INDEX_COLUMN, "uint64")],
    creator: { library: "scportrait-deno", version: "0.1.0" },
    pandas_version: "1.5.3",
  });
}

/** Checks that the three columns have one value per point. */
export function validatePoints(name: string, points: PointsData): void {
  const n = points.ids.length;
  if (points.x.length !== n || points.y.length !== n) {
    throw new ScportraitError(
      "STORE_INVALID",
      `Points "${name}": ${points.x.length} x, ${points.y.length} y and ${n} ids; give one x, ` +
        "one y and one id per point.",
    );
  }
}

/** Writes `points` as a points element group at `groupKey`. */
export async function writePointsElement(
  store: AtomicFileSystemStore,
  groupKey: string,
  points: PointsData,
): Promise<void> {
  const buffer = parquetWriteBuffer({
    columnData: [
      { name: "x", data: points.x },
      { name: "y", data: points.y },
      { name: INDEX_COLUMN, data: points.ids }, // unsigned: the writer checks the uint64 range
    ],
    schema: [
      { name: "schema", num_children: 3 },
      { name: "x", type: "DOUBLE", repetition_type: "REQUIRED" },
      { name: "y", type: "DOUBLE", repetition_type: "REQUIRED" },
      {
        name: INDEX_COLUMN,
        type: "INT64",
        repetition_type: "REQUIRED",
        converted_type: "UINT_64",
        logical_type: { type: "INTEGER", bitWidth: 64, isSigned: false },
      },
    ],
    kvMetadata: [{ key: "pandas", value: pandasMetadata() }],
    createdBy: "scportrait-deno (hyparquet-writer 0.17.0)",
  });
  await store.set(`${groupKey}/${POINTS_PARQUET}`, new Uint8Array(buffer));
  await store.set(`${groupKey}/.zgroup`, jsonBytes({ zarr_format: 2 }));
  await store.set(`${groupKey}/.zattrs`, jsonBytes(pointsAttrs()));
}

/** Reads a points element's parquet data back (x, y and the index as ids). */
export async function readPointsParquet(bytes: Uint8Array, where: string): Promise<PointsData> {
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  let rows: Record<string, unknown>[];
  try {
    rows = await parquetReadObjects({
      file: file as ArrayBuffer,
      columns: ["x", "y", INDEX_COLUMN],
    });
  } catch (error) {
    throw new ScportraitError(
      "STORE_INVALID",
      `${where} is not a readable points parquet file with columns x, y and ${INDEX_COLUMN}: ` +
        "re-create the points element.",
      { cause: error },
    );
  }
  return {
    x: Float64Array.from(rows, (r) => Number(r.x)),
    y: Float64Array.from(rows, (r) => Number(r.y)),
    ids: BigUint64Array.from(rows, (r) => BigInt.asUintN(64, BigInt(r[INDEX_COLUMN] as bigint))),
  };
}
