/**
 * HDF5's fixed-array chunk index (format spec III.H "Fixed Array", index type 3 of the version-4
 * data layout message): a header (`FAHD`) and a data block (`FADB`) that lists, for every chunk in
 * row-major chunk order, its file address and — for filtered datasets — its stored size and filter
 * mask. Data blocks with more than 2^pageBits entries are split into pages, each with its own
 * checksum. Used to index chunks we append ourselves, and to find chunks when reading.
 * @module
 */
import { ScportraitError } from "../../errors.ts";
import { lookup3 } from "./lookup3.ts";

/** Where each chunk lives. */
export interface ChunkTable {
  /** File address of each chunk. */
  addr: Float64Array;
  /** Stored bytes of each chunk. */
  size: Uint32Array;
  /** Filter mask of each chunk. */
  mask: Uint32Array;
}

/** Encoding parameters of a fixed array. */
export interface FixedArrayParams {
  /** Filtered chunks (client class 1) carry size and mask; unfiltered (class 0) only addresses. */
  filtered: boolean;
  /** Bytes of the chunk-size field: 1 + ((log2(raw chunk bytes) + 8) >> 3), at most 8. */
  chunkSizeLength: number;
  /** log2 of the entries per data-block page (from the layout message; HDF5 default 10). */
  pageBits: number;
}

const HEADER_BYTES = 4 + 1 + 1 + 1 + 1 + 8 + 8 + 4;

/** `chunk_size_len` as HDF5 computes it from the unfiltered chunk size in bytes. */
export function chunkSizeLength(rawChunkBytes: number): number {
  return Math.min(8, 1 + ((Math.floor(Math.log2(rawChunkBytes)) + 8) >> 3));
}

function entryBytes(p: FixedArrayParams): number {
  return p.filtered ? 8 + p.chunkSizeLength + 4 : 8;
}

function writeUint(b: Uint8Array, at: number, v: number, n: number): void {
  for (let i = 0; i < n; i++) {
    b[at + i] = v % 256;
    v = Math.floor(v / 256);
  }
}

function readUint(b: Uint8Array, at: number, n: number): number {
  let v = 0;
  for (let i = n - 1; i >= 0; i--) v = v * 256 + b[at + i];
  return v;
}

function checksum(b: Uint8Array, from: number, to: number): void {
  new DataView(b.buffer, b.byteOffset).setUint32(to, lookup3(b.subarray(from, to)), true);
}

/** Serialises header + data block (+ pages) to be written at file address `at`. */
export function encodeFixedArray(at: number, t: ChunkTable, p: FixedArrayParams): Uint8Array {
  const n = t.addr.length;
  const es = entryBytes(p);
  const perPage = 2 ** p.pageBits;
  const paged = n > perPage;
  const npages = paged ? Math.ceil(n / perPage) : 0;
  const bitmap = paged ? Math.ceil(npages / 8) : 0;
  const prefix = 4 + 1 + 1 + 8 + bitmap;
  const dblockBytes = prefix + 4 + n * es + (paged ? npages * 4 : 0);
  const out = new Uint8Array(HEADER_BYTES + dblockBytes);
  const dblockAt = at + HEADER_BYTES;
  // header
  out.set([0x46, 0x41, 0x48, 0x44, 0, p.filtered ? 1 : 0, es, p.pageBits], 0);
  writeUint(out, 8, n, 8);
  writeUint(out, 16, dblockAt, 8);
  checksum(out, 0, 24);
  // data block prefix
  const d = HEADER_BYTES;
  out.set([0x46, 0x41, 0x44, 0x42, 0, p.filtered ? 1 : 0], d);
  writeUint(out, d + 6, at, 8);
  // page-initialised bitmap, bit 0 in the first byte's high bit (H5VM_bit_set)
  for (let i = 0; i < npages; i++) out[d + 14 + (i >> 3)] |= 0x80 >> (i & 7);
  let o = d + prefix;
  const entry = (i: number) => {
    writeUint(out, o, t.addr[i], 8);
    if (p.filtered) {
      writeUint(out, o + 8, t.size[i], p.chunkSizeLength);
      writeUint(out, o + 8 + p.chunkSizeLength, t.mask[i], 4);
    }
    o += es;
  };
  if (!paged) {
    for (let i = 0; i < n; i++) entry(i);
    checksum(out, d, o);
    return out;
  }
  checksum(out, d, o);
  o += 4;
  for (let pg = 0; pg < npages; pg++) {
    const start = o;
    for (let i = pg * perPage; i < Math.min(n, (pg + 1) * perPage); i++) entry(i);
    checksum(out, start, o);
    o += 4;
  }
  return out;
}

/**
 * Reads a fixed array at `at` through `read(address, length)` (which must return exactly `length`
 * bytes), verifying every checksum.
 */
export function decodeFixedArray(
  read: (address: number, length: number) => Uint8Array,
  at: number,
  chunkSizeLength: number,
): ChunkTable {
  const bad = (what: string) =>
    new ScportraitError("H5SC_INVALID", `fixed-array chunk index at ${at}: ${what}`);
  const h = read(at, HEADER_BYTES);
  if (String.fromCharCode(...h.subarray(0, 4)) !== "FAHD" || h[4] !== 0) throw bad("no header");
  if (lookup3(h.subarray(0, 24)) !== new DataView(h.buffer, h.byteOffset).getUint32(24, true)) {
    throw bad("header checksum mismatch");
  }
  const p: FixedArrayParams = { filtered: h[5] === 1, chunkSizeLength, pageBits: h[7] };
  const es = h[6];
  if (es !== entryBytes(p)) throw bad(`unexpected entry size ${es}`);
  const n = readUint(h, 8, 8);
  const dblockAt = readUint(h, 16, 8);
  const perPage = 2 ** p.pageBits;
  const npages = n > perPage ? Math.ceil(n / perPage) : 0;
  const prefix = 4 + 1 + 1 + 8 + (npages ? Math.ceil(npages / 8) : 0);
  const total = prefix + 4 + n * es + npages * 4;
  const b = read(dblockAt, total);
  if (String.fromCharCode(...b.subarray(0, 4)) !== "FADB") throw bad("no data block");
  const verify = (from: number, to: number) => {
    if (
      lookup3(b.subarray(from, to)) !== new DataView(b.buffer, b.byteOffset).getUint32(to, true)
    ) {
      throw bad("data block checksum mismatch");
    }
  };
  const t: ChunkTable = {
    addr: new Float64Array(n),
    size: new Uint32Array(n),
    mask: new Uint32Array(n),
  };
  let o = prefix;
  const entry = (i: number) => {
    t.addr[i] = readUint(b, o, 8);
    if (p.filtered) {
      t.size[i] = readUint(b, o + 8, chunkSizeLength);
      t.mask[i] = readUint(b, o + 8 + chunkSizeLength, 4);
    }
    o += es;
  };
  if (!npages) {
    for (let i = 0; i < n; i++) entry(i);
    verify(0, o);
    return t;
  }
  verify(0, o);
  o += 4;
  for (let pg = 0; pg < npages; pg++) {
    const start = o;
    for (let i = pg * perPage; i < Math.min(n, (pg + 1) * perPage); i++) entry(i);
    verify(start, o);
    o += 4;
  }
  return t;
}
