/**
 * Turns a freshly created, still empty, chunked float32 dataset into a float16 dataset by editing its
 * version-2 object header on disk. h5wasm 0.10.3 cannot create float16 datasets (its C helper only
 * builds 4- and 8-byte floats) but HDF5 itself handles float16 once the type is in the file, and
 * h5wasm's raw read/write helpers use the file type as memory type, so raw half-float bits pass
 * through unchanged. The IEEE float datatype message has the same length for 2- and 4-byte floats,
 * so the edit is in place: datatype fields, the chunk element size in the layout message, the LZF
 * filter's chunk byte count, the filter flag (optional, as h5py sets it for LZF, so an
 * incompressible chunk is stored raw instead of failing) and the header checksum.
 * @module
 */
import { ScportraitError } from "../../errors.ts";
import { lookup3 } from "./lookup3.ts";

const FLOAT32_LE = [0x11, 0x20, 0x1f, 0x00, 4, 0, 0, 0, 0, 0, 32, 0, 23, 8, 0, 23, 127, 0, 0, 0];
/** IEEE 754 binary16, little endian, as h5py writes numpy float16. */
const FLOAT16_LE = [0x11, 0x20, 0x0f, 0x00, 2, 0, 0, 0, 0, 0, 16, 0, 10, 5, 0, 10, 15, 0, 0, 0];
const LZF_FILTER = 32000;
const MSG_DATATYPE = 0x03;
const MSG_LAYOUT = 0x08;
const MSG_FILTERS = 0x0b;

/** One message of an object header: its type and where its body lies in the file. */
export interface Message {
  /** Message type (e.g. 0x08 = data layout). */
  type: number;
  /** Offset of the message body. */
  start: number;
  /** Body size in bytes. */
  size: number;
}

function u16(b: Uint8Array, o: number): number {
  return b[o] | (b[o + 1] << 8);
}

function readSize(b: Uint8Array, o: number, n: number): number {
  let v = 0;
  for (let i = n - 1; i >= 0; i--) v = v * 256 + b[o + i];
  return v;
}

/** Parses the first chunk of a v2 object header at `at`; returns its messages and checksum span. */
export function parseHeader(
  b: Uint8Array,
  at: number,
): { messages: Message[]; end: number } | undefined {
  if (b[at + 4] !== 2) return undefined;
  const flags = b[at + 5];
  let o = at + 6;
  if (flags & 0x20) o += 16;
  if (flags & 0x10) o += 4;
  const sizeBytes = 1 << (flags & 3);
  const chunkSize = readSize(b, o, sizeBytes);
  o += sizeBytes;
  const end = o + chunkSize;
  if (end + 4 > b.length) return undefined;
  const messages: Message[] = [];
  const headerLen = flags & 0x04 ? 6 : 4;
  while (o + headerLen <= end) {
    const type = b[o];
    const size = u16(b, o + 1);
    messages.push({ type, start: o + headerLen, size });
    o += headerLen + size;
  }
  return { messages, end };
}

function patchLayout(b: Uint8Array, m: Message): boolean {
  const p = m.start;
  if (b[p + 1] !== 2) return false;
  let last: number;
  let width = 4;
  if (b[p] === 3) {
    // v3: rank, B-tree address, dims as 4-byte values (the last one is the element size)
    last = p + 3 + 8 + (b[p + 2] - 1) * 4;
  } else if (b[p] === 4) {
    // v4: flags, rank, bytes per dim, dims (the last one is the element size)
    width = b[p + 4];
    last = p + 5 + (b[p + 3] - 1) * width;
  } else return false;
  if (b[last] !== 4) return false;
  for (let i = 1; i < width; i++) if (b[last + i]) return false;
  b[last] = 2;
  return true;
}

function patchFilters(b: Uint8Array, m: Message): void {
  let p = m.start;
  const version = b[p];
  const count = b[p + 1];
  if (version !== 2) {
    throw new ScportraitError("H5SC_INVALID", `unexpected filter pipeline version ${version}`);
  }
  p += 2;
  for (let i = 0; i < count; i++) {
    const id = u16(b, p);
    p += 2;
    let nameLength = 0;
    if (id >= 256) nameLength = u16(b, p), p += 2;
    const flagsAt = p;
    const ncd = u16(b, p + 2);
    p += 4 + nameLength;
    if (id === LZF_FILTER) {
      b[flagsAt] |= 1; // H5Z_FLAG_OPTIONAL, as h5py sets for lzf
      if (ncd >= 3) {
        const at = p + 8;
        const bytes = (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
        new DataView(b.buffer, b.byteOffset).setUint32(at, bytes / 2, true);
      }
    }
    p += 4 * ncd;
  }
}

/**
 * Edits the HDF5 file bytes in place: the one empty chunked float32 dataset becomes float16.
 * Throws `H5SC_INVALID` when the expected header shape is not found (e.g. a newer h5wasm changed
 * the layout), so a silent mis-edit is impossible.
 */
export function patchFloat32DatasetToFloat16(bytes: Uint8Array, path: string): void {
  let patched = 0;
  for (let at = 0; at + 8 < bytes.length; at++) {
    if (bytes[at] !== 0x4f || bytes[at + 1] !== 0x48 || bytes[at + 2] !== 0x44) continue;
    if (bytes[at + 3] !== 0x52) continue;
    const header = parseHeader(bytes, at);
    if (!header) continue;
    const dtype = header.messages.find((m) =>
      m.type === MSG_DATATYPE && FLOAT32_LE.every((v, i) => bytes[m.start + i] === v)
    );
    const layout = header.messages.find((m) => m.type === MSG_LAYOUT);
    if (!dtype || !layout) continue;
    const stored = new DataView(bytes.buffer, bytes.byteOffset).getUint32(header.end, true);
    if (stored !== lookup3(bytes.subarray(at, header.end))) {
      throw new ScportraitError(
        "H5SC_INVALID",
        `${path}: object header checksum mismatch at ${at}`,
      );
    }
    if (!patchLayout(bytes, layout)) {
      throw new ScportraitError(
        "H5SC_INVALID",
        `${path}: unsupported chunk layout message; cannot store float16 (use float32)`,
      );
    }
    FLOAT16_LE.forEach((v, i) => bytes[dtype.start + i] = v);
    const filters = header.messages.find((m) => m.type === MSG_FILTERS);
    if (filters) patchFilters(bytes, filters);
    new DataView(bytes.buffer, bytes.byteOffset).setUint32(
      header.end,
      lookup3(bytes.subarray(at, header.end)),
      true,
    );
    patched++;
  }
  if (patched !== 1) {
    throw new ScportraitError(
      "H5SC_INVALID",
      `${path}: expected exactly one float32 chunked dataset to convert to float16, found ${patched}`,
    );
  }
}
