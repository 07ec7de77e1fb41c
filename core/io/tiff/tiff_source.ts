/**
 * `TiffSource`: an `ImageSource` over the channel planes of one or more open TIFF files. Windows of
 * uncompressed pages are read with positioned file reads; compressed pages are decoded by geotiff
 * (`readRasters({window, pool})`) with a pool of module workers, so only the blocks that intersect
 * the window are decoded.
 * @module
 */
import { closeSync } from "node:fs";
import { Pool } from "geotiff";
import { ScportraitError } from "../../errors.ts";
import type { ImageSource, PixelWindow } from "../image_source.ts";
import type { TiffFile, TiffPlane } from "./tiff_file.ts";
import type { TiffPage } from "./tiff_page.ts";
import type { TiffSampleArray } from "./tiff_sample_type.ts";
import { convertToUint16, type Uint8Scale } from "./uint16_conversion.ts";
import { readUncompressedWindow } from "./uncompressed_window.ts";
import { readCompressedWindow } from "./compressed_window.ts";

/** One channel: a plane of a file. */
export interface TiffChannel {
  /** The file. */
  file: TiffFile;
  /** The plane within it. */
  plane: TiffPlane;
}

/** Settings of a {@link TiffSource}. */
export interface TiffSourceSettings {
  /** Channel names, one per channel. */
  channelNames: string[];
  /** uint8 → uint16 factor. */
  uint8Scale: Uint8Scale;
  /** Decoder workers for compressed pages (0 = decode on the calling thread). */
  workers: number;
  /** Notes collected while opening (lossy conversion, ignored OME images). */
  warnings: string[];
}

/** A multi-channel image made of TIFF planes, read window by window. */
export class TiffSource implements ImageSource {
  /** Paths of the files, comma-separated. */
  readonly description: string;
  /** Number of channels. */
  readonly channels: number;
  /** Image height in pixels. */
  readonly height: number;
  /** Image width in pixels. */
  readonly width: number;
  /** Channel names. */
  readonly channelNames: readonly string[];
  /** Sample type(s) in the files, comma-separated when they differ. */
  readonly sourceDtype: string;
  /** Tile or strip shape of the first channel's page. */
  readonly blockShape: readonly [height: number, width: number];
  /** Notes for the user: lossy conversions, ignored metadata. */
  readonly warnings: string[];
  readonly #channels: TiffChannel[];
  readonly #files: TiffFile[];
  readonly #uint8Scale: Uint8Scale;
  readonly #workers: number;
  readonly #offsets = new Map<TiffPage, Promise<number[]>>();
  #pool: Pool | undefined;
  #closed = false;

  /** Wraps open files; `channels` lists the planes in channel order. */
  constructor(files: TiffFile[], channels: TiffChannel[], settings: TiffSourceSettings) {
    this.#files = files;
    this.#channels = channels;
    this.#uint8Scale = settings.uint8Scale;
    this.#workers = settings.workers;
    this.description = files.map((f) => f.path).join(", ");
    this.channels = channels.length;
    this.height = files[0].height;
    this.width = files[0].width;
    this.channelNames = settings.channelNames;
    this.sourceDtype = [...new Set(channels.map((c) => c.plane.page.dtype))].join(",");
    const page = channels[0].plane.page;
    this.blockShape = [page.blockHeight, page.blockWidth];
    this.warnings = settings.warnings;
  }

  /**
   * Reads one channel's window as uint16 (see the conversion rules of `openTiffSource`). With
   * `into`, uncompressed uint16 pages are read straight into it and other types converted into it.
   */
  async readWindow(
    channel: number,
    window: PixelWindow,
    options: { signal?: AbortSignal; into?: Uint16Array } = {},
  ): Promise<Uint16Array> {
    const entry = this.#channels[channel];
    const { x, y, width: w, height: h } = window;
    const ok = entry !== undefined && [x, y, w, h].every(Number.isInteger) && x >= 0 && y >= 0 &&
      w > 0 && h > 0 && x + w <= this.width && y + h <= this.height;
    if (!ok || this.#closed) {
      throw new ScportraitError(
        "INPUT_INVALID",
        this.#closed
          ? `${this.description}: the TIFF source is closed; open it again to read.`
          : `${this.description}: window ${JSON.stringify(window)} of channel ${channel} is ` +
            `outside the image (${this.channels} channels, ${this.height}×${this.width}).`,
      );
    }
    const { file, plane } = entry;
    const into = options.into?.length === w * h ? options.into : undefined;
    // the window's bytes land in `into` only when they are uint16 already and `into` owns its buffer
    const direct = into !== undefined && plane.page.dtype === "uint16" && into.byteOffset === 0 &&
        into.byteLength === into.buffer.byteLength
      ? into.buffer as ArrayBuffer
      : undefined;
    let data: TiffSampleArray;
    try {
      data = plane.page.compression === 1
        ? await readUncompressedWindow(
          file.fd,
          file.path,
          plane.page,
          await this.#blockOffsets(plane.page),
          plane.sample,
          window,
          options.signal,
          direct,
        )
        : await readCompressedWindow(
          plane.page,
          plane.sample,
          window,
          this.#decoderPool(),
          options.signal,
        );
    } catch (error) {
      if (error instanceof ScportraitError || options.signal?.aborted) throw error;
      const said = error instanceof Error ? error.message : String(error);
      throw new ScportraitError(
        "INPUT_INVALID",
        `${file.path}: reading page ${plane.page.index} window ${JSON.stringify(window)} failed ` +
          `(${said}); the file may be corrupt or use an unsupported compression.`,
        { cause: error },
      );
    }
    const out = convertToUint16(data, plane.page.dtype, this.#uint8Scale, into);
    return out.buffer === into?.buffer ? into : out;
  }

  /** Closes the files and terminates the decoder workers. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool?.destroy();
    this.#pool = undefined;
    for (const file of this.#files) {
      closeSync(file.fd);
      await file.tiff.close();
    }
  }

  #decoderPool(): Pool | undefined {
    if (this.#workers <= 0) return undefined;
    this.#pool ??= new Pool(
      this.#workers,
      () => new Worker(new URL("./geotiff_worker.ts", import.meta.url).href, { type: "module" }),
    );
    return this.#pool;
  }

  #blockOffsets(page: TiffPage): Promise<number[]> {
    let offsets = this.#offsets.get(page);
    if (offsets === undefined) {
      const tag = page.tiled ? "TileOffsets" : "StripOffsets";
      offsets = page.image.getFileDirectory().loadValue(tag).then((v: unknown) =>
        Array.from(v as ArrayLike<number | bigint>, Number)
      );
      this.#offsets.set(page, offsets);
    }
    return offsets;
  }
}
