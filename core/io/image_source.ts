/**
 * The contract between image readers (TIFF, OME-Zarr, …) and the steps that stream pixels out of
 * them. A source is (c, y, x); reads are windows of one channel, returned as uint16.
 * @module
 */

/** A rectangular window in pixel coordinates: rows `[y, y + height)`, columns `[x, x + width)`. */
export interface PixelWindow {
  /** First row. */
  y: number;
  /** First column. */
  x: number;
  /** Number of rows. */
  height: number;
  /** Number of columns. */
  width: number;
}

/** A multi-channel 2-D image that can be read window by window without loading it whole. */
export interface ImageSource {
  /** Where the pixels come from (file paths or URL), for messages and provenance. */
  readonly description: string;
  /** Number of channels. */
  readonly channels: number;
  /** Image height in pixels. */
  readonly height: number;
  /** Image width in pixels. */
  readonly width: number;
  /** Channel names from the file (OME-XML, omero labels) or `channel_<i>`. */
  readonly channelNames: readonly string[];
  /** Sample type in the file before conversion, e.g. `uint8`, `uint16`, `float32`. */
  readonly sourceDtype: string;
  /** Preferred read block (tile or strip size) of the underlying file, for efficient windows. */
  readonly blockShape: readonly [height: number, width: number];
  /**
   * Reads one channel's window, converted to uint16 (uint8 × 255 as scPortrait, unless the source
   * was opened with another conversion). The result has `window.height * window.width` values.
   * With `into` (exactly that many values), a source may write the samples there and return it,
   * sparing fresh memory (page faults); sources that cannot return a new array, so always use the
   * returned array.
   */
  readWindow(
    channel: number,
    window: PixelWindow,
    options?: { signal?: AbortSignal; into?: Uint16Array },
  ): Promise<Uint16Array>;
  /** Releases file handles and worker pools. */
  close(): Promise<void>;
}
