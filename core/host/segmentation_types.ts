/**
 * TypeScript shapes of the segmentation world's records as jco's glue represents them
 * (`wit/segmentation.wit`, `wit/types.wit`): kebab-case fields become camelCase, `list<u16>`
 * becomes `Uint16Array`, `list<u32>` becomes `Uint32Array`.
 * @module
 */

/** `types.tile-u16`: planes of 16-bit pixels, channel-major then row-major. */
export interface TileU16 {
  /** Number of planes. */
  channels: number;
  /** Rows per plane. */
  height: number;
  /** Columns per plane. */
  width: number;
  /** `channels * height * width` pixels. */
  data: Uint16Array;
}

/** `segmentation.tile-region`: where the tile (core + halo) sits in the full image. */
export interface TileRegion {
  /** Global row of the tile's first pixel (halo included). */
  originY: number;
  /** Global column of the tile's first pixel (halo included). */
  originX: number;
  /** Rows of the full image. */
  imageHeight: number;
  /** Columns of the full image. */
  imageWidth: number;
  /** First row of the core rectangle, relative to the tile. */
  coreY: number;
  /** First column of the core rectangle, relative to the tile. */
  coreX: number;
  /** Rows of the core rectangle. */
  coreHeight: number;
  /** Columns of the core rectangle. */
  coreWidth: number;
}

/**
 * The region for running a plugin on a whole `height × width` image as one tile: origin 0, the
 * core is everything, no halo.
 */
export function wholeImageRegion(height: number, width: number): TileRegion {
  return {
    originY: 0,
    originX: 0,
    imageHeight: height,
    imageWidth: width,
    coreY: 0,
    coreX: 0,
    coreHeight: height,
    coreWidth: width,
  };
}

/** `segmentation.quantile`. */
export interface Quantile {
  /** Probability in [0, 1]. */
  probability: number;
  /** Intensity at that probability. */
  value: number;
}

/** `segmentation.channel-stats`: global statistics of one channel. */
export interface ChannelStats {
  /** Channel index in the tile. */
  channel: number;
  /** Smallest pixel value. */
  min: number;
  /** Largest pixel value. */
  max: number;
  /** Mean pixel value. */
  mean: number;
  /** Otsu threshold of the global histogram. */
  otsuThreshold: number;
  /** Requested quantiles, in the order requested. */
  quantiles: Quantile[];
}

/** `segmentation.object-info`: one object of one mask. */
export interface ObjectInfo {
  /** Tile-local label (1-based). */
  label: number;
  /** Global row of the object's anchor. */
  anchorY: number;
  /** Global column of the object's anchor. */
  anchorX: number;
  /** Pixels of the object inside the tile. */
  area: number;
}

/** `segmentation.mask-result`: one labelled mask over the whole tile. */
export interface MaskResult {
  /** Mask name from the manifest's outputs, e.g. `nucleus`. */
  name: string;
  /** `height * width` tile-local labels, row-major; 0 is background. */
  labels: Uint32Array;
  /** One entry per label present. */
  objects: ObjectInfo[];
}

/** `segmentation.segmentation-result`. */
export interface SegmentationResult {
  /** Masks in the order of the manifest's outputs. */
  masks: MaskResult[];
}
