/**
 * `openTiffSource`: opens TIFF input as an `ImageSource` — one 2-D TIFF per channel, a multi-page
 * TIFF (pages = channels), a multi-sample TIFF (samples = channels, chunky or planar), OME-TIFF
 * (channel names from OME-XML) or an ImageJ hyperstack with Z = T = 1; classic TIFF or BigTIFF,
 * uncompressed, LZW, deflate, PackBits, …, in strips or tiles.
 * @module
 */
import { closeSync } from "node:fs";
import { ScportraitError } from "../../errors.ts";
import { openTiffFile, type TiffFile } from "./tiff_file.ts";
import { type TiffChannel, TiffSource } from "./tiff_source.ts";
import { conversionIsLossy, type Uint8Scale } from "./uint16_conversion.ts";

/** Options of {@link openTiffSource}. */
export interface OpenTiffOptions {
  /** Channel names, one per channel; default: names from OME-XML, else `channel_<i>`. */
  channelNames?: readonly string[];
  /**
   * Factor for uint8 samples: 255 (default, as scPortrait), 257 (0–255 → 0–65535 exactly) or 1.
   * uint16 is kept; other types are rounded and clipped to [0, 65535] with a warning.
   */
  uint8Scale?: Uint8Scale;
  /** Decoder workers for compressed files (default: cores, at most 4; 0 = no workers). */
  workers?: number;
  /** Cancels opening. */
  signal?: AbortSignal;
}

function checkSizes(files: TiffFile[]): void {
  const first = files[0];
  for (const file of files.slice(1)) {
    if (file.height !== first.height || file.width !== first.width) {
      throw new ScportraitError(
        "INPUT_INVALID",
        `Input images differ in size: ${first.path} is ${first.height}×${first.width} ` +
          `(height×width) but ${file.path} is ${file.height}×${file.width}. All channel files ` +
          "must have the same height and width.",
      );
    }
  }
}

function resolveNames(
  files: TiffFile[],
  channels: number,
  given: readonly string[] | undefined,
): string[] {
  if (given !== undefined) {
    if (given.length !== channels) {
      throw new ScportraitError(
        "INPUT_INVALID",
        `${given.length} channel names were given (${given.join(", ")}) but the input ` +
          `${files.map((f) => f.path).join(", ")} has ${channels} channels; give one name per ` +
          "channel.",
      );
    }
    return [...given];
  }
  const fromFiles = files.flatMap((f) => f.names);
  return fromFiles.map((name, i) => name ?? `channel_${i}`);
}

/**
 * Opens `paths` as one multi-channel image; channels are the planes of the files in order.
 * Throws `INPUT_NOT_FOUND` for a missing file and `INPUT_INVALID` for a file that is not a
 * (supported) TIFF, files of different sizes, Z/T stacks or a wrong number of channel names.
 */
export async function openTiffSource(
  paths: readonly string[],
  options: OpenTiffOptions = {},
): Promise<TiffSource> {
  if (paths.length === 0) {
    throw new ScportraitError(
      "INPUT_INVALID",
      "No input TIFF files were given: pass at least one path (one per channel, or one " +
        "multi-channel file).",
    );
  }
  const scale = options.uint8Scale ?? 255;
  if (![255, 257, 1].includes(scale)) {
    throw new ScportraitError(
      "INPUT_INVALID",
      `uint8Scale ${scale} is not supported: use 255 (scPortrait), 257 or 1.`,
    );
  }
  const files: TiffFile[] = [];
  try {
    for (const path of paths) {
      options.signal?.throwIfAborted();
      files.push(await openTiffFile(path, options.signal));
    }
    checkSizes(files);
    const channels: TiffChannel[] = files.flatMap((file) =>
      file.planes.map((plane) => ({ file, plane }))
    );
    const warnings = files.flatMap((f) => f.warnings);
    for (const file of files) {
      const lossy = [...new Set(file.planes.map((p) => p.page.dtype))].filter(conversionIsLossy);
      if (lossy.length > 0) {
        warnings.push(
          `${file.path}: ${lossy.join(", ")} samples are rounded and clipped to [0, 65535] ` +
            "when converted to uint16; rescale the image first if its values fall outside.",
        );
      }
    }
    return new TiffSource(files, channels, {
      channelNames: resolveNames(files, channels.length, options.channelNames),
      uint8Scale: scale,
      workers: options.workers ?? Math.min(4, navigator.hardwareConcurrency || 2),
      warnings,
    });
  } catch (error) {
    for (const file of files) {
      closeSync(file.fd);
      await file.tiff.close();
    }
    throw error;
  }
}
