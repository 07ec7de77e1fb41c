/**
 * Appends already-compressed chunks of the one float16 image dataset straight to an HDF5 file that
 * h5wasm created (version-1.10 format: superblock v3, version-4 layout with a fixed-array index),
 * then writes the fixed-array index and points the layout message at it. This replaces HDF5's
 * single-threaded filter pipeline inside wasm (the bottleneck of extraction) by compression in the
 * worker threads and plain sequential file appends. Every block is read back and compared.
 * @module
 */
import { ScportraitError } from "../../errors.ts";
import { parseHeader } from "./float16_patch.ts";
import { chunkSizeLength, type ChunkTable, encodeFixedArray } from "./fixed_array.ts";
import type { EncodedChunks } from "./chunk_codec.ts";
import { lookup3 } from "./lookup3.ts";

const MSG_LAYOUT = 0x08;
const INDEX_FIXED_ARRAY = 3;
const UNDEFINED_ADDRESS = 0xff;
/** Bytes read back at each end of an appended block. */
const VERIFY_EDGE = 64 << 10;

/** Where the dataset's layout message keeps its chunk index. */
interface LayoutSite {
  headerAt: number;
  headerEnd: number;
  addressAt: number;
  pageBits: number;
}

function u64(b: Uint8Array, at: number): number {
  let v = 0;
  for (let i = 7; i >= 0; i--) v = v * 256 + b[at + i];
  return v;
}

function putU64(b: Uint8Array, at: number, v: number): void {
  for (let i = 0; i < 8; i++, v = Math.floor(v / 256)) b[at + i] = v % 256;
}

/**
 * Finds the image dataset's v4 layout message (chunk dims `(1, 1, S, S)` of 2-byte elements) with a
 * not-yet-allocated fixed-array index. The datatype message may sit in a continuation block after
 * attributes were added, so the layout message itself identifies the dataset.
 */
function findLayout(b: Uint8Array, imageSize: number): LayoutSite | undefined {
  const want = [1, 1, imageSize, imageSize, 2];
  for (let at = 0; at + 8 < b.length; at++) {
    if (b[at] !== 0x4f || b[at + 1] !== 0x48 || b[at + 2] !== 0x44 || b[at + 3] !== 0x52) continue;
    const header = parseHeader(b, at);
    const layout = header?.messages.find((m) => m.type === MSG_LAYOUT);
    if (!header || !layout) continue;
    const p = layout.start;
    if (b[p] !== 4 || b[p + 1] !== 2 || b[p + 3] !== want.length) continue;
    const width = b[p + 4];
    const dims = want.map((_, i) => {
      let v = 0;
      for (let k = width - 1; k >= 0; k--) v = v * 256 + b[p + 5 + i * width + k];
      return v;
    });
    if (dims.some((d, i) => d !== want[i])) continue;
    const typeAt = p + 5 + want.length * width;
    if (b[typeAt] !== INDEX_FIXED_ARRAY) return undefined;
    const addressAt = typeAt + 2;
    for (let i = 0; i < 8; i++) if (b[addressAt + i] !== UNDEFINED_ADDRESS) return undefined;
    return { headerAt: at, headerEnd: header.end, addressAt, pageBits: b[typeAt + 1] };
  }
  return undefined;
}

/** Byte equality, four bytes at a time where both arrays are 4-byte aligned. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  const n = a.length;
  if (b.length !== n) return false;
  let i = 0;
  if (a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0) {
    const wa = new Int32Array(a.buffer, a.byteOffset, n >> 2);
    const wb = new Int32Array(b.buffer, b.byteOffset, n >> 2);
    for (let k = 0; k < wa.length; k++) if (wa[k] !== wb[k]) return false;
    i = wa.length << 2;
  }
  for (; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * One appended block of rows as a resume journal records it: where its bytes lie in the file and
 * how they split into chunks (`raw`: chunk indices inside the block stored unfiltered).
 */
export interface ChunkBlock {
  /** Output rows, in the order their chunks were appended. */
  rows: number[];
  /** First byte of the block. */
  at: number;
  /** Byte after the block. */
  end: number;
  /** Stored size of each chunk, `rows.length × chunksPerCell`. */
  sizes: number[];
  /** Chunks (indices into `sizes`) stored raw, with filter mask 1. */
  raw: number[];
}

/** Raw chunk appender for one `(N, C, S, S)` float16 dataset. */
export class DirectChunkFile {
  readonly #path: string;
  readonly #file: Deno.FsFile;
  readonly #site: LayoutSite;
  readonly #table: ChunkTable;
  readonly #chunkBytes: number;
  readonly #filtered: boolean;
  readonly #verify: boolean;
  #end: number;

  private constructor(
    path: string,
    file: Deno.FsFile,
    site: LayoutSite,
    end: number,
    nChunks: number,
    chunkBytes: number,
    filtered: boolean,
    verify: boolean,
  ) {
    this.#path = path;
    this.#file = file;
    this.#site = site;
    this.#end = end;
    this.#chunkBytes = chunkBytes;
    this.#filtered = filtered;
    this.#verify = verify;
    this.#table = {
      addr: new Float64Array(nChunks).fill(-1),
      size: new Uint32Array(nChunks),
      mask: new Uint32Array(nChunks),
    };
  }

  /**
   * Opens `path` (closed by HDF5) for direct chunk appends, or returns undefined when its layout is
   * not the expected v4 fixed-array one (e.g. a single-chunk dataset) so the caller can fall back.
   * `headerBytes` limits the scan to the file's first bytes (the skeleton HDF5 wrote) when
   * reopening a partly written file.
   */
  static open(
    path: string,
    nChunks: number,
    chunkBytes: number,
    filtered: boolean,
    verify: boolean,
    headerBytes?: number,
  ): DirectChunkFile | undefined {
    const file = Deno.openSync(path, { read: true, write: true });
    const size = file.statSync().size;
    const length = Math.min(size, headerBytes ?? size);
    const bytes = new Uint8Array(length);
    file.seekSync(0, Deno.SeekMode.Start);
    for (let done = 0; done < length;) {
      const n = file.readSync(bytes.subarray(done));
      if (n === null || n <= 0) break;
      done += n;
    }
    const site = bytes[8] === 2 || bytes[8] === 3
      ? findLayout(bytes, Math.round(Math.sqrt(chunkBytes / 2)))
      : undefined;
    if (!site) {
      file.close();
      return undefined;
    }
    const end = Math.max(u64(bytes, 28), length);
    return new DirectChunkFile(path, file, site, end, nChunks, chunkBytes, filtered, verify);
  }

  /** Byte offset where the next block will be appended. */
  get end(): number {
    return this.#end;
  }

  /**
   * Re-enters blocks a killed run appended (from its journal) and cuts the file after the last
   * of them, so whatever was appended but never journalled is dropped. The index is rebuilt.
   */
  restore(blocks: readonly ChunkBlock[], chunksPerCell: number): void {
    let end = this.#end;
    for (const b of blocks) {
      let o = b.at;
      for (let r = 0; r < b.rows.length; r++) {
        for (let c = 0; c < chunksPerCell; c++) {
          const k = r * chunksPerCell + c;
          const i = b.rows[r] * chunksPerCell + c;
          this.#table.addr[i] = o;
          this.#table.size[i] = b.sizes[k];
          this.#table.mask[i] = 0;
          o += b.sizes[k];
        }
      }
      for (const k of b.raw) {
        this.#table
          .mask[b.rows[Math.floor(k / chunksPerCell)] * chunksPerCell + k % chunksPerCell] = 1;
      }
      if (o !== b.end) this.#fail(`journalled block at byte ${b.at} does not add up to ${b.end}`);
      if (b.end > end) end = b.end;
    }
    this.#file.truncateSync(end);
    this.#end = end;
  }

  /** Flushes appended data to the disk (before a journal records it). */
  sync(): void {
    this.#file.syncDataSync();
  }

  /** Appends the chunks of `rows` (`chunksPerCell` each) in the order given; returns the block. */
  append(rows: ArrayLike<number>, chunksPerCell: number, enc: EncodedChunks): ChunkBlock {
    const at = this.#end;
    this.#writeAt(at, enc.data);
    if (this.#verify) {
      // plain OS writes with checked lengths: reading back the block's first and last 64 KiB
      // catches a misplaced or cut write without doubling the I/O (finish() also reads rows back
      // through HDF5)
      const n = enc.data.length, edge = Math.min(n, VERIFY_EDGE);
      for (const from of n > edge ? [0, n - edge] : [0]) {
        const back = this.#readAt(at + from, edge);
        if (!sameBytes(enc.data.subarray(from, from + edge), back)) {
          this.#fail(`read-back of the chunks at byte ${at + from} differs`);
        }
      }
    }
    let o = at, k = 0;
    for (let r = 0; r < rows.length; r++) {
      for (let c = 0; c < chunksPerCell; c++, k++) {
        const i = rows[r] * chunksPerCell + c;
        this.#table.addr[i] = o;
        this.#table.size[i] = enc.sizes[k];
        this.#table.mask[i] = enc.masks[k];
        o += enc.sizes[k];
      }
    }
    this.#end = at + enc.data.length;
    const raw: number[] = [];
    for (let i = 0; i < enc.masks.length; i++) if (enc.masks[i] & 1) raw.push(i);
    return { rows: Array.from(rows), at, end: this.#end, sizes: Array.from(enc.sizes), raw };
  }

  /** Stored bytes of chunk `i` (for verification), or undefined when not written. */
  readChunk(i: number): Uint8Array | undefined {
    const addr = this.#table.addr[i];
    return addr < 0 ? undefined : this.#readAt(addr, this.#table.size[i]);
  }

  /** Filter mask of chunk `i`. */
  maskOf(i: number): number {
    return this.#table.mask[i];
  }

  /** Writes the index, points the layout message at it, updates the end-of-file address. */
  finish(): void {
    const missing = this.#table.addr.indexOf(-1);
    if (missing >= 0) this.#fail(`chunk ${missing} was never written`);
    const at = this.#end;
    const index = encodeFixedArray(at, this.#table, {
      filtered: this.#filtered,
      chunkSizeLength: chunkSizeLength(this.#chunkBytes),
      pageBits: this.#site.pageBits,
    });
    this.#writeAt(at, index);
    const eof = at + index.length;
    const { headerAt, headerEnd, addressAt } = this.#site;
    const header = this.#readAt(headerAt, headerEnd + 4 - headerAt);
    putU64(header, addressAt - headerAt, at);
    new DataView(header.buffer).setUint32(
      headerEnd - headerAt,
      lookup3(header.subarray(0, headerEnd - headerAt)),
      true,
    );
    this.#writeAt(headerAt, header);
    const sb = this.#readAt(0, 48);
    putU64(sb, 28, eof);
    new DataView(sb.buffer).setUint32(44, lookup3(sb.subarray(0, 44)), true);
    this.#writeAt(0, sb);
    this.#file.syncSync();
    this.#file.close();
  }

  /** Closes without finishing. */
  close(): void {
    try {
      this.#file.close();
    } catch { /* already closed */ }
  }

  #writeAt(at: number, data: Uint8Array): void {
    this.#file.seekSync(at, Deno.SeekMode.Start);
    let done = 0;
    while (done < data.length) {
      const n = this.#file.writeSync(data.subarray(done));
      if (n <= 0) this.#fail(`short write at byte ${at + done}`);
      done += n;
    }
  }

  #readAt(at: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    this.#file.seekSync(at, Deno.SeekMode.Start);
    let done = 0;
    while (done < length) {
      const n = this.#file.readSync(out.subarray(done));
      if (n === null || n <= 0) this.#fail(`short read at byte ${at + done}`);
      done += n;
    }
    return out;
  }

  #fail(what: string): never {
    throw new ScportraitError(
      "H5SC_INVALID",
      `${this.#path}: ${what}; the partial file is left unfinished (not renamed). Re-run.`,
    );
  }
}
