/**
 * A streaming TIFF writer for single-sample grayscale pages written strip by strip: pixel data is
 * appended as it arrives (uncompressed, or deflate via node:zlib off the main thread), the IFDs go
 * at the end. Classic TIFF while the file stays below 4 GiB, BigTIFF beyond that or on request.
 * Memory stays at one strip plus the offset tables.
 * @module
 */
import { open } from "node:fs/promises";
import type { FileHandle } from "node:fs/promises";
import { promisify } from "node:util";
import { deflate } from "node:zlib";
import { ScportraitError } from "../../core/errors.ts";

const deflateAsync = promisify(deflate);

/** Sample types the writer supports. */
export type TiffWriterDtype = "uint8" | "uint16" | "uint32";

/** Options of {@link StreamingTiffWriter.create}. */
export interface TiffWriterOptions {
  /** Image width. */
  width: number;
  /** Image height. */
  height: number;
  /** Number of pages (channels) of this size. Default 1. */
  pages?: number;
  /** Sample type. */
  dtype: TiffWriterDtype;
  /** Rows per strip. Default 64. */
  rowsPerStrip?: number;
  /** `none` (default) or `deflate` (TIFF compression 8, zlib level 1). */
  compression?: "none" | "deflate";
  /** Force BigTIFF; default: only when the file could reach 4 GiB. */
  bigtiff?: boolean;
  /** ImageDescription of the first page (e.g. OME-XML or JSON). */
  description?: string;
}

const TAG_TYPE = { ascii: 2, short: 3, long: 4, long8: 16 } as const;
const TYPE_SIZE: Record<number, number> = { 2: 1, 3: 2, 4: 4, 16: 8 };

interface Entry {
  tag: number;
  type: number;
  values: number[] | Uint8Array;
}

/** Writes a TIFF of `pages` equally sized grayscale pages, strip by strip, in any order. */
export class StreamingTiffWriter {
  /** True when the file is a BigTIFF. */
  readonly bigtiff: boolean;
  readonly #file: FileHandle;
  readonly #path: string;
  readonly #o: Required<Omit<TiffWriterOptions, "description" | "bigtiff">>;
  readonly #description?: string;
  readonly #offsets: Float64Array[];
  readonly #counts: Float64Array[];
  readonly #bytesPerSample: number;
  #end: number;

  private constructor(file: FileHandle, path: string, options: TiffWriterOptions, big: boolean) {
    this.#file = file;
    this.#path = path;
    this.#o = {
      width: options.width,
      height: options.height,
      pages: options.pages ?? 1,
      dtype: options.dtype,
      rowsPerStrip: Math.min(options.rowsPerStrip ?? 64, options.height),
      compression: options.compression ?? "none",
    };
    this.#description = options.description;
    this.bigtiff = big;
    this.#bytesPerSample = { uint8: 1, uint16: 2, uint32: 4 }[options.dtype];
    const strips = this.stripCount;
    this.#offsets = Array.from({ length: this.#o.pages }, () => new Float64Array(strips));
    this.#counts = Array.from({ length: this.#o.pages }, () => new Float64Array(strips));
    this.#end = big ? 16 : 8;
  }

  /** Number of strips per page. */
  get stripCount(): number {
    return Math.ceil(this.#o.height / this.#o.rowsPerStrip);
  }

  /** Rows per strip. */
  get rowsPerStrip(): number {
    return this.#o.rowsPerStrip;
  }

  /** Creates `path` (overwriting it) and writes the header. */
  static async create(path: string, options: TiffWriterOptions): Promise<StreamingTiffWriter> {
    const pages = options.pages ?? 1;
    const bytes = { uint8: 1, uint16: 2, uint32: 4 }[options.dtype];
    const data = options.width * options.height * pages * bytes;
    const strips = Math.ceil(options.height / (options.rowsPerStrip ?? 64)) * pages;
    const worstCase = data * 1.002 + strips * 64 + (options.description?.length ?? 0) + (1 << 20);
    const big = options.bigtiff ?? worstCase >= 2 ** 32;
    const file = await open(path, "w");
    const writer = new StreamingTiffWriter(file, path, options, big);
    const header = new DataView(new ArrayBuffer(big ? 16 : 8));
    header.setUint16(0, 0x4949);
    header.setUint16(2, big ? 43 : 42, true);
    if (big) header.setUint16(4, 8, true);
    await writer.#write(new Uint8Array(header.buffer), 0);
    return writer;
  }

  /** Writes strip `strip` of `page`: `rowsPerStrip` rows (fewer for the last) × width samples. */
  async writeStrip(page: number, strip: number, data: Uint8Array | Uint16Array | Uint32Array) {
    const rows = Math.min(this.#o.rowsPerStrip, this.#o.height - strip * this.#o.rowsPerStrip);
    const expected = rows * this.#o.width;
    if (
      page < 0 || page >= this.#o.pages || strip < 0 || strip >= this.stripCount ||
      data.length !== expected || data.BYTES_PER_ELEMENT !== this.#bytesPerSample
    ) {
      throw new ScportraitError(
        "USAGE",
        `${this.#path}: strip ${strip} of page ${page} must hold ${expected} ${this.#o.dtype} ` +
          `samples, got ${data.length} of ${data.BYTES_PER_ELEMENT * 8}-bit.`,
      );
    }
    let bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (this.#o.compression === "deflate") bytes = await deflateAsync(bytes, { level: 1 });
    const at = this.#end + (this.#end & 1);
    this.#end = at + bytes.byteLength;
    if (!this.bigtiff && this.#end >= 2 ** 32) {
      throw new ScportraitError(
        "USAGE",
        `${this.#path} would exceed 4 GiB as classic TIFF; write it with bigtiff: true.`,
      );
    }
    this.#offsets[page][strip] = at;
    this.#counts[page][strip] = bytes.byteLength;
    await this.#write(bytes, at);
  }

  /** Writes the IFDs and the header pointer and closes the file. Returns the file size. */
  async close(): Promise<number> {
    try {
      for (const counts of this.#counts) {
        if (counts.some((c) => c === 0)) {
          throw new ScportraitError(
            "USAGE",
            `${this.#path}: closed before every strip was written.`,
          );
        }
      }
      let at = this.#end + (this.#end & 1);
      const first = at;
      for (let page = 0; page < this.#o.pages; page++) {
        const last = page === this.#o.pages - 1;
        const ifd = this.#encodeIfd(this.#entries(page), at, last);
        await this.#write(ifd, at);
        at += ifd.byteLength;
      }
      const pointer = new DataView(new ArrayBuffer(this.bigtiff ? 8 : 4));
      if (this.bigtiff) pointer.setBigUint64(0, BigInt(first), true);
      else pointer.setUint32(0, first, true);
      await this.#write(new Uint8Array(pointer.buffer), this.bigtiff ? 8 : 4);
      return at;
    } finally {
      await this.#file.close();
    }
  }

  #entries(page: number): Entry[] {
    const o = this.#o;
    const offsetType = this.bigtiff ? TAG_TYPE.long8 : TAG_TYPE.long;
    const ascii = (text: string) => new TextEncoder().encode(`${text}\0`);
    const entries: Entry[] = [
      { tag: 254, type: TAG_TYPE.long, values: [0] },
      { tag: 256, type: TAG_TYPE.long, values: [o.width] },
      { tag: 257, type: TAG_TYPE.long, values: [o.height] },
      { tag: 258, type: TAG_TYPE.short, values: [this.#bytesPerSample * 8] },
      { tag: 259, type: TAG_TYPE.short, values: [o.compression === "deflate" ? 8 : 1] },
      { tag: 262, type: TAG_TYPE.short, values: [1] },
    ];
    if (page === 0 && this.#description !== undefined) {
      entries.push({ tag: 270, type: TAG_TYPE.ascii, values: ascii(this.#description) });
    }
    entries.push(
      { tag: 273, type: offsetType, values: Array.from(this.#offsets[page]) },
      { tag: 277, type: TAG_TYPE.short, values: [1] },
      { tag: 278, type: TAG_TYPE.long, values: [o.rowsPerStrip] },
      { tag: 279, type: offsetType, values: Array.from(this.#counts[page]) },
      { tag: 284, type: TAG_TYPE.short, values: [1] },
      { tag: 305, type: TAG_TYPE.ascii, values: ascii("scportrait-deno synthetic") },
      { tag: 339, type: TAG_TYPE.short, values: [1] },
    );
    return entries;
  }

  /** IFD at file offset `at`, with its out-of-line values right after it. */
  #encodeIfd(entries: Entry[], at: number, last: boolean): Uint8Array {
    const big = this.bigtiff;
    const entrySize = big ? 20 : 12;
    const inline = big ? 8 : 4;
    const head = (big ? 8 : 2) + entries.length * entrySize + (big ? 8 : 4);
    let extra = 0;
    for (const e of entries) {
      const size = e.values.length * TYPE_SIZE[e.type];
      if (size > inline) extra += size + (size & 1);
    }
    const view = new DataView(new ArrayBuffer(head + extra));
    const bytes = new Uint8Array(view.buffer);
    let p = 0;
    let spill = head;
    const putWord = (pos: number, value: number) => {
      if (big) view.setBigUint64(pos, BigInt(value), true);
      else view.setUint32(pos, value, true);
    };
    if (big) view.setBigUint64(0, BigInt(entries.length), true);
    else view.setUint16(0, entries.length, true);
    p = big ? 8 : 2;
    for (const e of entries) {
      const typeSize = TYPE_SIZE[e.type];
      const size = e.values.length * typeSize;
      view.setUint16(p, e.tag, true);
      view.setUint16(p + 2, e.type, true);
      putWord(p + 4, e.values.length);
      const valuePos = big ? p + 12 : p + 8;
      let target = valuePos;
      if (size > inline) {
        putWord(valuePos, at + spill);
        target = spill;
        spill += size + (size & 1);
      }
      for (let i = 0; i < e.values.length; i++) {
        const v = e.values[i];
        const pos = target + i * typeSize;
        if (typeSize === 1) bytes[pos] = v;
        else if (typeSize === 2) view.setUint16(pos, v, true);
        else if (typeSize === 4) view.setUint32(pos, v, true);
        else view.setBigUint64(pos, BigInt(v), true);
      }
      p += entrySize;
    }
    // Next-IFD pointer: the following page's IFD starts right after this one's values.
    putWord(p, last ? 0 : at + head + extra);
    return bytes;
  }

  async #write(bytes: Uint8Array, position: number): Promise<void> {
    let done = 0;
    while (done < bytes.byteLength) {
      const { bytesWritten } = await this.#file.write(
        bytes,
        done,
        bytes.byteLength - done,
        position + done,
      );
      done += bytesWritten;
    }
  }
}
