/**
 * Types shared by the `.h5sc` writer and reader.
 * @module
 */

/** Compression of the single-cell image chunks; all are readable by stock h5py. */
export type H5scCompression = "lzf" | "gzip" | "none";

/** What an `.h5sc` file holds, besides the pixels. */
export interface H5scLayout {
  /** Cell ids in row order (`obs/scportrait_cell_id`, uint64). */
  cellIds: BigUint64Array;
  /** Mask channel names, nucleus first (e.g. `seg_all_nucleus`, `seg_all_cytosol`). */
  maskNames: readonly string[];
  /** Image channel names in input order. */
  channelNames: readonly string[];
  /** Side S of each square single-cell image. */
  imageSize: number;
  /** Whether percentile normalisation was applied (else values are raw / 65535). */
  normalization: boolean;
  /** Lower and upper quantiles of the normalisation (0–1). */
  normalizationRange: readonly [number, number];
  /** Chunk compression; `lzf` (scPortrait's default) unless told otherwise. */
  compression: H5scCompression;
}

/** Metadata of an opened single-cell dataset. */
export interface H5scMetadata {
  /** `h5sc` (scPortrait AnnData layout) or `legacy` (SPARCSpy `single_cells.h5`). */
  format: "h5sc" | "legacy";
  /** Number of cells (rows). */
  nCells: number;
  /** Number of channels, masks included. */
  nChannels: number;
  /** Number of mask channels (the first `nMasks` channels). */
  nMasks: number;
  /** Side S of the square images. */
  imageSize: number;
  /** Channel names as stored (`var/channels`; `<U15`-truncated in scPortrait files). */
  channelNames: string[];
  /** Per channel `mask` or `image_channel`. */
  channelMapping: string[];
  /** Cell ids in row order. */
  cellIds: BigUint64Array;
  /** Element type of the stored pixels. */
  dtype: "float16" | "float32";
}
