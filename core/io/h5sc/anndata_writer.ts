/**
 * Minimal AnnData (on-disk spec 0.8 "encoding-type" attributes) writers on top of h5wasm: the
 * element encodings an `.h5sc` needs (dataframe, string-array, string, numeric-scalar, dict).
 * Python `bool` values are written as int8 because h5wasm cannot create HDF5 enum types; anndata
 * then reads `1`/`0`. For the same reason there is no `categorical` writer (its `ordered` attribute
 * must be a real bool): string columns are written as `string-array` (see docs/decisions.md).
 * @module
 */
import type { H5wasm } from "./h5wasm_module.ts";

type H5Group = InstanceType<H5wasm["Group"]>;

/** Sets the `encoding-type` / `encoding-version` attribute pair on a group or dataset. */
export function setEncoding(
  node: { create_attribute(name: string, data: string): void },
  type: string,
  version: string,
): void {
  node.create_attribute("encoding-type", type);
  node.create_attribute("encoding-version", version);
}

/** Creates an empty AnnData `dict` group. */
export function writeDict(parent: H5Group, name: string): H5Group {
  const group = parent.create_group(name);
  setEncoding(group, "dict", "0.1.0");
  return group;
}

/** Writes a vlen UTF-8 `string-array`. */
export function writeStringArray(parent: H5Group, name: string, values: readonly string[]): void {
  const ds = parent.create_dataset({ name, data: [...values], dtype: "S" });
  setEncoding(ds, "string-array", "0.2.0");
}

/** Writes a scalar vlen UTF-8 `string`. */
export function writeString(parent: H5Group, name: string, value: string): void {
  const ds = parent.create_dataset({ name, data: value, shape: [], dtype: "S" });
  setEncoding(ds, "string", "0.2.0");
}

/** Writes a `numeric-scalar`: int64, float64, or int8 for booleans. */
export function writeNumericScalar(
  parent: H5Group,
  name: string,
  value: number | boolean,
  kind: "int" | "float" | "bool",
): void {
  const data = kind === "int"
    ? new BigInt64Array([BigInt(value as number)])
    : kind === "float"
    ? new Float64Array([value as number])
    : new Int8Array([value ? 1 : 0]);
  const dtype = kind === "int" ? "<q" : kind === "float" ? "<d" : "|b";
  const ds = parent.create_dataset({ name, data, shape: [], dtype });
  setEncoding(ds, "numeric-scalar", "0.2.0");
}

/** Writes a `dataframe` group with `_index` and the given column order; columns are added after. */
export function writeDataframe(
  parent: H5Group,
  name: string,
  index: readonly string[],
  columns: readonly string[],
): H5Group {
  const group = parent.create_group(name);
  group.create_attribute("_index", "_index");
  group.create_attribute("column-order", [...columns], [columns.length], "S");
  setEncoding(group, "dataframe", "0.2.0");
  writeStringArray(group, "_index", index);
  return group;
}
