/**
 * Read access to a finished labels element: windows of any pyramid level in the stored integer
 * type (uint32 → Uint32Array, uint64 → BigUint64Array).
 * @module
 */
import type { PixelWindow } from "../image_source.ts";
import type { LevelInfo, OmeZarrImage } from "../ome_zarr/ome_zarr_image.ts";

/** A labels element opened for reading. */
export class LabelsSource {
  /** Where it lives. */
  readonly description: string;
  /** Level-0 height. */
  readonly height: number;
  /** Level-0 width. */
  readonly width: number;
  /** Stored id type, e.g. `uint64`. */
  readonly dtype: string;
  /** Every level, full resolution first. */
  readonly levels: readonly LevelInfo[];
  readonly #image: OmeZarrImage;

  /** Wraps the element opened as an OME-Zarr image (use `SpatialDataStore.openLabels`). */
  constructor(image: OmeZarrImage) {
    this.#image = image;
    this.description = image.description;
    this.height = image.height;
    this.width = image.width;
    this.dtype = image.sourceDtype;
    this.levels = image.levels;
  }

  /** Reads a window of label ids on `level` (default 0). */
  async readWindow(
    window: PixelWindow,
    options: { level?: number; signal?: AbortSignal } = {},
  ): Promise<Uint32Array | BigUint64Array | Uint16Array | Uint8Array> {
    const data = await this.#image.readLevelRaw(options.level ?? 0, 0, window, options);
    return data as Uint32Array | BigUint64Array | Uint16Array | Uint8Array;
  }

  /** Nothing to release. */
  close(): Promise<void> {
    return this.#image.close();
  }
}
