/**
 * Adapters from the store's image and labels elements to the report's level readers. Label ids
 * become float64 numbers (exact below 2^53) so the report never touches BigInt per pixel.
 * @module
 */
import type { PixelWindow } from "../../io/image_source.ts";
import type { OmeZarrImage } from "../../io/ome_zarr/ome_zarr_image.ts";
import type { LabelsSource } from "../../io/spatialdata/labels_source.ts";
import type { LevelReader } from "./preview_sampler.ts";

/** Label ids of a window as float64 (uint64 ids via their two 32-bit halves). */
export function labelIdsAsNumbers(
  data: Uint32Array | BigUint64Array | Uint16Array | Uint8Array,
): Float64Array {
  if (!(data instanceof BigUint64Array)) return Float64Array.from(data);
  const halves = new Uint32Array(data.buffer, data.byteOffset, data.length * 2);
  const out = new Float64Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const hi = halves[2 * i + 1];
    out[i] = hi === 0 ? halves[2 * i] : hi * 4294967296 + halves[2 * i];
  }
  return out;
}

/** One channel of an image element, as uint16. */
export function imageChannelReader(
  image: OmeZarrImage,
  channel: number,
): LevelReader<Uint16Array> {
  return {
    levels: image.levels,
    read: (level: number, window: PixelWindow) => image.readLevelWindow(level, channel, window),
  };
}

/** A labels element, ids as float64. */
export function labelsReader(labels: LabelsSource): LevelReader<Float64Array> {
  return {
    levels: labels.levels,
    read: async (level: number, window: PixelWindow) =>
      labelIdsAsNumbers(await labels.readWindow(window, { level })),
  };
}
