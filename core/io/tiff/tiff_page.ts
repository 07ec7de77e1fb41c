/**
 * The layout facts of one TIFF page (IFD) that the readers need: size, samples, dtype, blocks,
 * compression and the block offsets of uncompressed pages.
 * @module
 */
import type { GeoTIFFImage } from "geotiff";
import { ScportraitError } from "../../errors.ts";
import { type TiffDtype, tiffDtype } from "./tiff_sample_type.ts";

/** One page of a TIFF file. */
export interface TiffPage {
  /** geotiff's image object for windowed decoding. */
  image: GeoTIFFImage;
  /** Page index in the file. */
  index: number;
  /** Rows. */
  height: number;
  /** Columns. */
  width: number;
  /** Samples per pixel. */
  samples: number;
  /** Sample type (the same for every sample of the page). */
  dtype: TiffDtype;
  /** 1 = chunky (samples interleaved), 2 = planar (one block set per sample). */
  planar: 1 | 2;
  /** True for tiles, false for strips. */
  tiled: boolean;
  /** Block height (tile height or rows per strip). */
  blockHeight: number;
  /** Block width (tile width or image width). */
  blockWidth: number;
  /** TIFF Compression code (1 = none). */
  compression: number;
  /** True when the file is little-endian. */
  littleEndian: boolean;
  /** True when NewSubfileType marks the page as a reduced-resolution copy (pyramid level). */
  reduced: boolean;
}

function firstNumber(value: unknown, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  if (typeof value === "number") return value;
  const first = (value as ArrayLike<number>)[0];
  return first === undefined ? fallback : Number(first);
}

/** Reads the layout of `image` (page `index` of `path`). Throws INPUT_INVALID for odd types. */
export async function describeTiffPage(
  image: GeoTIFFImage,
  index: number,
  path: string,
): Promise<TiffPage> {
  const fd = image.getFileDirectory();
  const samples = image.getSamplesPerPixel();
  const bits = (await fd.loadValue("BitsPerSample")) as ArrayLike<number> | number | undefined;
  const formats = (await fd.loadValue("SampleFormat")) as ArrayLike<number> | number | undefined;
  const bitList = typeof bits === "object" ? Array.from(bits) : [bits ?? 1];
  const formatList = typeof formats === "object" ? Array.from(formats) : [formats ?? 1];
  const dtypes = new Set<string>();
  let dtype: TiffDtype | undefined;
  for (let s = 0; s < samples; s++) {
    const b = Number(bitList[s] ?? bitList[0]);
    const f = Number(formatList[s] ?? formatList[0]);
    dtype = tiffDtype(b, f);
    dtypes.add(`${f}:${b}`);
    if (dtype === undefined) {
      throw new ScportraitError(
        "INPUT_INVALID",
        `${path}: page ${index} has ${b}-bit samples of SampleFormat ${f}, which is not supported ` +
          "(use 8/16/32-bit integer or 32/64-bit float samples; convert the file, e.g. with " +
          "tifffile or Fiji).",
      );
    }
  }
  if (dtypes.size > 1) {
    throw new ScportraitError(
      "INPUT_INVALID",
      `${path}: page ${index} mixes sample types (${[...dtypes].join(", ")}); save every ` +
        "channel with the same type.",
    );
  }
  const subfile = firstNumber(await fd.loadValue("NewSubfileType"), 0);
  const compression = firstNumber(await fd.loadValue("Compression"), 1);
  return {
    image,
    index,
    height: image.getHeight(),
    width: image.getWidth(),
    samples,
    dtype: dtype!,
    planar: image.planarConfiguration,
    tiled: image.isTiled,
    blockHeight: image.getTileHeight(),
    blockWidth: image.getTileWidth(),
    compression,
    littleEndian: image.littleEndian,
    reduced: (subfile & 1) === 1,
  };
}
