/**
 * The empty `.h5sc` structure (spec §4.2) that {@link H5scWriter} fills: AnnData `obs`, `var`,
 * `uns/single_cell_images/*` and the chunked `obsm/single_cell_images` dataset, created with h5wasm
 * in the HDF5 1.10 file format.
 * @module
 */
import { ScportraitError } from "../../errors.ts";
import {
  setEncoding,
  writeDataframe,
  writeDict,
  writeNumericScalar,
  writeString,
  writeStringArray,
} from "./anndata_writer.ts";
import { h5, type H5Module } from "./h5wasm_module.ts";
import type { H5scLayout } from "./h5sc_types.ts";

const UNS = "single_cell_images";
const IMAGES_DATASET = "obsm/single_cell_images";
const LZF_FILTER_ID = 32000;

/** Truncates like numpy's `<U15` cast that scPortrait applies to `var`/`uns` channel names. */
export function truncateU15(name: string): string {
  return [...name].slice(0, 15).join("");
}

/** Throws `H5SC_INVALID` when the layout cannot be stored. */
export function validateLayout(path: string, layout: H5scLayout): void {
  const bad = (msg: string) => new ScportraitError("H5SC_INVALID", `${path}: ${msg}`);
  if (!Number.isInteger(layout.imageSize) || layout.imageSize <= 0) {
    throw bad(`image_size must be a positive integer, got ${layout.imageSize}`);
  }
  if (layout.maskNames.length + layout.channelNames.length === 0) {
    throw bad("no mask or image channels to store");
  }
}

/** Writes the skeleton to `tempPath` (float32 images, patched to float16 by the caller). */
export function createSkeleton(tempPath: string, layout: H5scLayout): void {
  // HDF5 1.10 file format: chunked datasets of fixed size get a fixed-array chunk index that
  // DirectChunkFile fills in; h5py/HDF5 ≥ 1.10 read it
  const f = new h5.File(tempPath, "w", { libver: ["v110", "v110"] });
  try {
    setEncoding(f, "anndata", "0.1.0");
    const n = layout.cellIds.length;
    const index = Array.from({ length: n }, (_, i) => String(i));
    const obs = writeDataframe(f, "obs", index, ["scportrait_cell_id"]);
    const ids = obs.create_dataset({
      name: "scportrait_cell_id",
      data: new BigUint64Array(layout.cellIds),
      dtype: "<Q",
    });
    setEncoding(ids, "array", "0.2.0");
    const names = [...layout.maskNames, ...layout.channelNames].map(truncateU15);
    const mapping = names.map((_, i) => i < layout.maskNames.length ? "mask" : "image_channel");
    const varIndex = names.map((_, i) => String(i));
    const v = writeDataframe(f, "var", varIndex, ["channels", "channel_mapping"]);
    writeStringArray(v, "channels", names);
    writeStringArray(v, "channel_mapping", mapping);
    for (const g of ["layers", "obsp", "varm", "varp"]) writeDict(f, g);
    const uns = writeDict(f, "uns").create_group(UNS);
    writeNumericScalar(uns, "n_cells", n, "int");
    writeNumericScalar(uns, "n_channels", names.length, "int");
    writeNumericScalar(uns, "n_masks", layout.maskNames.length, "int");
    writeNumericScalar(uns, "n_image_channels", layout.channelNames.length, "int");
    writeNumericScalar(uns, "image_size", layout.imageSize, "int");
    writeNumericScalar(uns, "normalization", layout.normalization, "bool");
    if (layout.normalization) {
      writeNumericScalar(uns, "normalization_range_lower", layout.normalizationRange[0], "float");
      writeNumericScalar(uns, "normalization_range_upper", layout.normalizationRange[1], "float");
    } else {
      writeString(uns, "normalization_range_lower", "None");
      writeString(uns, "normalization_range_upper", "None");
    }
    writeStringArray(uns, "channel_names", names);
    writeStringArray(uns, "channel_mapping", mapping);
    writeString(uns, "compression", layout.compression);
    const obsm = writeDict(f, "obsm");
    const S = layout.imageSize;
    const compression = layout.compression === "lzf"
      ? { compression: LZF_FILTER_ID, compression_opts: [] as number[] }
      : layout.compression === "gzip"
      ? { compression: "gzip" as const, compression_opts: 4 }
      : {};
    obsm.create_dataset({
      name: "single_cell_images",
      data: new Float32Array(0),
      dtype: "<f",
      shape: [0, names.length, S, S],
      maxshape: [n > 0 ? n : null, names.length, S, S],
      chunks: [1, 1, S, S],
      ...compression,
    });
  } finally {
    f.close();
  }
}

/**
 * Sizes `obsm/single_cell_images` to (N, C, S, S) and writes its attributes (after the float16
 * header patch). Returns false when HDF5 refuses the resize.
 */
export function finishImageDataset(
  module: H5Module,
  file: InstanceType<typeof h5.File>,
  layout: H5scLayout,
): boolean {
  const nCells = layout.cellIds.length;
  const nChannels = layout.maskNames.length + layout.channelNames.length;
  const imageSize = layout.imageSize;
  const status = module.resize_dataset(file.file_id, IMAGES_DATASET, [
    BigInt(nCells),
    BigInt(nChannels),
    BigInt(imageSize),
    BigInt(imageSize),
  ]);
  if (status < 0) return false;
  const ds = file.get(IMAGES_DATASET) as InstanceType<typeof h5.Dataset>;
  setEncoding(ds, "array", "0.2.0");
  const int = (name: string, v: number) =>
    ds.create_attribute(name, new BigInt64Array([BigInt(v)]), [], "<q");
  int("n_cells", nCells);
  int("n_channels", nChannels);
  int("n_masks", layout.maskNames.length);
  int("n_image_channels", layout.channelNames.length);
  int("image_size", imageSize);
  ds.create_attribute("normalization", new Int8Array([layout.normalization ? 1 : 0]), [], "|b");
  if (layout.normalization) {
    ds.create_attribute("normalization_range", new Float64Array(layout.normalizationRange));
  } else {
    ds.create_attribute("normalization_range", ["None", "None"], [2], "S");
  }
  const names = [...layout.maskNames, ...layout.channelNames];
  const mapping = names.map((_, i) => i < layout.maskNames.length ? "mask" : "image_channel");
  const bytesArray = (values: string[]) => {
    const width = Math.max(1, ...values.map((v) => new TextEncoder().encode(v).length));
    return { values, dtype: `A${width}` };
  };
  const n = bytesArray(names);
  ds.create_attribute("channel_names", n.values, [names.length], n.dtype);
  const m = bytesArray(mapping);
  ds.create_attribute("channel_mapping", m.values, [mapping.length], m.dtype);
  ds.create_attribute("compression", layout.compression);
  file.flush();
  return true;
}
