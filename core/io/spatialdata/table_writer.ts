/**
 * Writes a SpatialData table element: an AnnData object in anndata's zarr v2 encoding (as
 * anndata 0.8+ `write_zarr` lays it out: `obs`/`var` dataframes with `_index` and `column-order`,
 * string arrays as vlen-utf8 object arrays, categoricals as `codes` + `categories`, a dense float32
 * `X`, empty `obsm`/`varm`/`obsp`/`varp`/`layers` dicts) plus spatialdata's table annotation
 * (`uns/spatialdata_attrs` with `region`, `region_key`, `instance_key`, and the same keys on the
 * group, TablesFormatV01). The cell id column is `scportrait_cell_id`, as scPortrait.
 * @module
 */
import { ScportraitError } from "../../errors.ts";
import type { AtomicFileSystemStore } from "../zarr/atomic_fs_store.ts";
import { DEFAULT_COMPRESSOR, encodeChunk } from "../zarr/chunk_compressor.ts";
import { jsonBytes } from "../zarr/v2_array.ts";
import { encodeVlenUtf8 } from "../zarr/vlen_utf8.ts";

/** scPortrait's cell id column (`DEFAULT_CELL_ID_NAME`). */
export const CELL_ID_COLUMN = "scportrait_cell_id";
/** spatialdata's table format version for zarr v2 (TablesFormatV01). */
export const SPATIALDATA_TABLE_VERSION = "0.1";

/** A feature table of cells annotating one labels element. */
export interface TableData {
  /** Cell ids, one per row (`obs/scportrait_cell_id`, uint64). */
  cellIds: BigUint64Array;
  /** Feature names, one per column (`var` index). */
  varNames: readonly string[];
  /** Row-major `cells × features` values (`X`). */
  X: Float32Array;
  /** The labels element the rows are cells of, e.g. `seg_all_nucleus` (`obs/region`). */
  region: string;
  /** Extra numeric obs columns (float64), in order after the id and region. */
  obs?: Record<string, Float64Array>;
}

const ENC = (type: string, version = "0.2.0") => ({
  "encoding-type": type,
  "encoding-version": version,
});

/** Checks the table's shapes and names before anything is written. */
export function validateTable(name: string, table: TableData): void {
  const n = table.cellIds.length;
  const problems: string[] = [];
  if (table.X.length !== n * table.varNames.length) {
    problems.push(
      `X has ${table.X.length} values, expected ${n} cells × ` +
        `${table.varNames.length} features = ${n * table.varNames.length}`,
    );
  }
  if (new Set(table.varNames).size !== table.varNames.length) problems.push("varNames repeat");
  if (new Set(table.cellIds).size !== n) problems.push("cellIds repeat");
  for (const [column, values] of Object.entries(table.obs ?? {})) {
    if (values.length !== n) problems.push(`obs column ${column} has ${values.length} values`);
    if (column === CELL_ID_COLUMN || column === "region" || column === "_index") {
      problems.push(`obs column name ${column} is reserved`);
    }
  }
  if (problems.length > 0) {
    throw new ScportraitError(
      "STORE_INVALID",
      `Table "${name}" is inconsistent: ${problems.join("; ")}. Fix the data before writing.`,
    );
  }
}

/** Writes `table` as an AnnData zarr group at `groupKey` of `store`. */
export async function writeTableElement(
  store: AtomicFileSystemStore,
  groupKey: string,
  table: TableData,
): Promise<void> {
  const n = table.cellIds.length;
  const nVar = table.varNames.length;
  const group = async (key: string, attrs: Record<string, unknown>) => {
    await store.set(`${key}/.zgroup`, jsonBytes({ zarr_format: 2 }));
    await store.set(`${key}/.zattrs`, jsonBytes(attrs));
  };
  const extra = Object.keys(table.obs ?? {});
  await group(`${groupKey}/obs`, {
    _index: "_index",
    "column-order": [CELL_ID_COLUMN, "region", ...extra],
    ...ENC("dataframe"),
  });
  await stringArray(store, `${groupKey}/obs/_index`, [...table.cellIds].map(String));
  await numericArray(store, `${groupKey}/obs/${CELL_ID_COLUMN}`, table.cellIds, "<u8", [n]);
  await group(`${groupKey}/obs/region`, { ...ENC("categorical"), ordered: false });
  await numericArray(store, `${groupKey}/obs/region/codes`, new Int8Array(n), "|i1", [n]);
  await stringArray(store, `${groupKey}/obs/region/categories`, [table.region]);
  for (const column of extra) {
    await numericArray(store, `${groupKey}/obs/${column}`, table.obs![column], "<f8", [n]);
  }
  await group(`${groupKey}/var`, { _index: "_index", "column-order": [], ...ENC("dataframe") });
  await stringArray(store, `${groupKey}/var/_index`, table.varNames);
  await numericArray(store, `${groupKey}/X`, table.X, "<f4", [n, nVar]);
  for (const key of ["obsm", "varm", "obsp", "varp", "layers"]) {
    await group(`${groupKey}/${key}`, ENC("dict", "0.1.0"));
  }
  await group(`${groupKey}/uns`, ENC("dict", "0.1.0"));
  await group(`${groupKey}/uns/spatialdata_attrs`, ENC("dict", "0.1.0"));
  const keys = { region: table.region, region_key: "region", instance_key: CELL_ID_COLUMN };
  for (const [key, value] of Object.entries(keys)) {
    await stringScalar(store, `${groupKey}/uns/spatialdata_attrs/${key}`, value);
  }
  await group(groupKey, {
    ...ENC("anndata", "0.1.0"),
    "spatialdata-encoding-type": "ngff:regions_table",
    ...keys,
    version: SPATIALDATA_TABLE_VERSION,
  });
}

/** Elements per chunk of 1-D arrays; X chunks hold about as many values. */
const CHUNK_VALUES = 1 << 20;

async function numericArray(
  store: AtomicFileSystemStore,
  key: string,
  values: BigUint64Array | Int8Array | Float32Array | Float64Array,
  dtype: string,
  shape: number[],
): Promise<void> {
  const rowValues = shape.length === 2 ? Math.max(1, shape[1]) : 1;
  const rows = Math.max(1, Math.min(shape[0], Math.floor(CHUNK_VALUES / rowValues)));
  const chunks = shape.length === 2 ? [rows, Math.max(1, shape[1])] : [rows];
  await store.set(
    `${key}/.zarray`,
    jsonBytes({
      zarr_format: 2,
      shape,
      chunks,
      dtype,
      compressor: DEFAULT_COMPRESSOR,
      fill_value: 0,
      order: "C",
      filters: null,
      dimension_separator: "/",
    }),
  );
  await store.set(`${key}/.zattrs`, jsonBytes(ENC("array")));
  const per = rows * rowValues;
  for (let i = 0; i * rows < shape[0]; i++) {
    const part = new (values.constructor as new (n: number) => typeof values)(per);
    // deno-lint-ignore no-explicit-any
    (part as any).set(values.subarray(i * per, Math.min(values.length, (i + 1) * per)));
    const raw = new Uint8Array(part.buffer, 0, part.byteLength);
    await store.set(
      `${key}/${shape.length === 2 ? `${i}/0` : i}`,
      await encodeChunk(DEFAULT_COMPRESSOR, raw),
    );
  }
}

async function stringArray(store: AtomicFileSystemStore, key: string, items: readonly string[]) {
  const rows = Math.max(1, Math.min(items.length, CHUNK_VALUES));
  await store.set(
    `${key}/.zarray`,
    jsonBytes({
      zarr_format: 2,
      shape: [items.length],
      chunks: [rows],
      dtype: "|O",
      compressor: DEFAULT_COMPRESSOR,
      fill_value: 0,
      order: "C",
      filters: [{ id: "vlen-utf8" }],
      dimension_separator: "/",
    }),
  );
  await store.set(`${key}/.zattrs`, jsonBytes(ENC("string-array")));
  for (let i = 0; i * rows < items.length; i++) {
    // a partial last chunk is padded with empty strings, as zarr stores edge chunks at full size
    const part = items.slice(i * rows, (i + 1) * rows);
    while (part.length < rows) part.push("");
    await store.set(`${key}/${i}`, await encodeChunk(DEFAULT_COMPRESSOR, encodeVlenUtf8(part)));
  }
}

/** A 0-d fixed-width unicode array (`<U<n>`, UTF-32LE), anndata's zarr encoding of a string. */
async function stringScalar(store: AtomicFileSystemStore, key: string, value: string) {
  const codePoints = [...value].map((c) => c.codePointAt(0)!);
  await store.set(
    `${key}/.zarray`,
    jsonBytes({
      zarr_format: 2,
      shape: [],
      chunks: [],
      dtype: `<U${Math.max(1, codePoints.length)}`,
      compressor: null,
      fill_value: "",
      order: "C",
      filters: null,
    }),
  );
  await store.set(`${key}/.zattrs`, jsonBytes(ENC("string")));
  const raw = new Uint32Array(Math.max(1, codePoints.length));
  raw.set(codePoints);
  await store.set(`${key}/0`, new Uint8Array(raw.buffer));
}
