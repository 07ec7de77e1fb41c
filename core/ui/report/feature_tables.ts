/**
 * Reads featurization results for plotting: the AnnData tables of the SpatialData store
 * (`tables/<name>`, zarr v2, as scPortrait and anndata write them) — feature names from the
 * `var` dataframe index, and one column of a dense `X` at a time, so a wide table is never read
 * whole. Sparse `X` is reported, not plotted.
 * @module
 */
import * as path from "node:path";
import * as zarr from "zarrita";
import { ScportraitError } from "../../errors.ts";
import { openReadableStore } from "../../io/zarr/open_readable_store.ts";
import { registerZarrCodecs } from "../../io/zarr/register_codecs.ts";
import { parseJsonBytes } from "../../io/zarr/v2_array.ts";

/** One feature table opened for reading. */
export interface FeatureTable {
  /** Table name, e.g. `CellFeaturizer_nucleus`. */
  name: string;
  /** Number of cells (rows). */
  nObs: number;
  /** Feature names (columns), in order. */
  columns: string[];
  /** Why the table cannot be plotted (e.g. sparse X), or null. */
  unsupported: string | null;
  /** Reads column `j` as float64. */
  column(j: number): Promise<Float64Array>;
}

/** Opens table `name` of the store at `sdataPath` (a local folder). */
export async function openFeatureTable(sdataPath: string, name: string): Promise<FeatureTable> {
  registerZarrCodecs();
  const where = path.join(sdataPath, "tables", name);
  const { store } = openReadableStore(where);
  const root = zarr.root(store);
  const attrs = async (key: string) => {
    const bytes = await store.get(`/${key}/.zattrs`);
    return bytes === undefined ? {} : parseJsonBytes(bytes, `${where}/${key}/.zattrs`) as Record<
      string,
      unknown
    >;
  };
  try {
    const varAttrs = await attrs("var");
    const indexKey = typeof varAttrs._index === "string" ? varAttrs._index : "_index";
    const index = await zarr.open.v2(root.resolve(`var/${indexKey}`), { kind: "array" });
    const names = Array.from((await zarr.get(index)).data as ArrayLike<unknown>, String);
    const xAttrs = await attrs("X");
    const encoding = typeof xAttrs["encoding-type"] === "string" ? xAttrs["encoding-type"] : "";
    if (encoding.endsWith("_matrix")) {
      const shape = Array.isArray(xAttrs.shape) ? xAttrs.shape as number[] : [0, names.length];
      return {
        name,
        nObs: shape[0],
        columns: names,
        unsupported: `X is a ${encoding}; sparse tables are not plotted`,
        column: () => Promise.resolve(new Float64Array(0)),
      };
    }
    const X = await zarr.open.v2(root.resolve("X"), { kind: "array" });
    return {
      name,
      nObs: X.shape[0],
      columns: names,
      unsupported: X.shape.length === 2 ? null : `X has ${X.shape.length} dimensions, not 2`,
      column: async (j: number) => {
        const col = await zarr.get(X, [null, j]);
        return Float64Array.from(col.data as ArrayLike<number | bigint>, Number);
      },
    };
  } catch (error) {
    throw new ScportraitError(
      "STORE_INVALID",
      `${where} is not a readable AnnData table (var index and dense X expected): ` +
        `${(error as Error).message}. Rewrite the table or remove it from the store.`,
      { cause: error },
    );
  }
}
