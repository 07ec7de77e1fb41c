/**
 * Finds the chunks of `obsm/single_cell_images` in files written by our {@link H5scWriter} (HDF5
 * 1.10 format: superblock v2/3, v2 object headers, compact links, fixed-array chunk index), so
 * random single-cell reads are one positioned read plus LZF decoding in JavaScript instead of a
 * pass through HDF5 in wasm. Returns undefined for any other layout (h5py-written files, B-tree
 * indexes, dense link storage); the reader then uses HDF5.
 * @module
 */
import { chunkSizeLength, type ChunkTable, decodeFixedArray } from "./fixed_array.ts";
import { lookup3 } from "./lookup3.ts";

const MSG_LINK = 0x06;
const MSG_LAYOUT = 0x08;
const MSG_CONTINUATION = 0x10;

interface Msg {
  type: number;
  body: Uint8Array;
}

type Read = (address: number, length: number) => Uint8Array;

function uint(b: Uint8Array, at: number, n: number): number {
  let v = 0;
  for (let i = n - 1; i >= 0; i--) v = v * 256 + b[at + i];
  return v;
}

function sig(b: Uint8Array, at: number, s: string): boolean {
  for (let i = 0; i < 4; i++) if (b[at + i] !== s.charCodeAt(i)) return false;
  return true;
}

/** Messages of the v2 object header at `addr`, following continuation blocks; checksums checked. */
function headerMessages(read: Read, addr: number): Msg[] | undefined {
  const head = read(addr, 6 + 16 + 4 + 8); // signature … largest prefix + chunk size
  if (!sig(head, 0, "OHDR") || head[4] !== 2) return undefined;
  const flags = head[5];
  let o = 6 + (flags & 0x20 ? 16 : 0) + (flags & 0x10 ? 4 : 0);
  const sizeBytes = 1 << (flags & 3);
  const chunk0 = uint(head, o, sizeBytes);
  o += sizeBytes;
  const blocks: [number, number, number][] = [[addr, o, o + chunk0]]; // address, start, end
  const msgs: Msg[] = [];
  const headerLen = flags & 0x04 ? 6 : 4;
  while (blocks.length > 0) {
    const [at, start, end] = blocks.shift()!;
    const b = read(at, end + 4);
    if (lookup3(b.subarray(0, end)) !== uint(b, end, 4)) return undefined;
    for (let p = start; p + headerLen <= end;) {
      const type = b[p], size = uint(b, p + 1, 2);
      const body = b.subarray(p + headerLen, p + headerLen + size);
      if (type === MSG_CONTINUATION) {
        const cAt = uint(body, 0, 8), cLen = uint(body, 8, 8);
        if (!sig(read(cAt, 4), 0, "OCHK")) return undefined;
        blocks.push([cAt, 4, cLen - 4]);
      } else msgs.push({ type, body });
      p += headerLen + size;
    }
  }
  return msgs;
}

/** Address of the hard link `name` among the link messages, if stored compactly. */
function linkAddress(msgs: Msg[], name: string): number | undefined {
  for (const m of msgs) {
    if (m.type !== MSG_LINK) continue;
    const b = m.body, flags = b[1];
    let p = 2;
    let linkType = 0;
    if (flags & 0x08) linkType = b[p++];
    if (flags & 0x04) p += 8;
    if (flags & 0x10) p++;
    const n = 1 << (flags & 3);
    const len = uint(b, p, n);
    p += n;
    const linkName = new TextDecoder().decode(b.subarray(p, p + len));
    p += len;
    if (linkName === name && linkType === 0) return uint(b, p, 8);
  }
  return undefined;
}

/** The chunk table of `obsm/single_cell_images`, or undefined when the layout is not ours. */
export function locateImageChunks(
  read: Read,
  imageSize: number,
): { table: ChunkTable; filter: number } | undefined {
  try {
    const sb = read(0, 48);
    if (uint(sb, 0, 4) !== 0x46444889 || (sb[8] !== 2 && sb[8] !== 3)) return undefined;
    if (sb[9] !== 8 || sb[10] !== 8) return undefined;
    let msgs = headerMessages(read, uint(sb, 36, 8));
    for (const name of ["obsm", "single_cell_images"]) {
      const addr = msgs && linkAddress(msgs, name);
      if (addr === undefined) return undefined;
      msgs = headerMessages(read, addr);
    }
    const layout = msgs?.find((m) => m.type === MSG_LAYOUT)?.body;
    if (!layout || layout[0] !== 4 || layout[1] !== 2) return undefined;
    const ndims = layout[3], width = layout[4];
    const dims = Array.from({ length: ndims }, (_, i) => uint(layout, 5 + i * width, width));
    const want = [1, 1, imageSize, imageSize];
    if (ndims !== 5 || want.some((d, i) => dims[i] !== d)) return undefined;
    const typeAt = 5 + ndims * width;
    if (layout[typeAt] !== 3) return undefined;
    const indexAt = uint(layout, typeAt + 2, 8);
    // filter pipeline message v2: version, count, then the first filter's id
    const pipeline = msgs?.find((m) => m.type === 0x0b)?.body;
    if (pipeline && (pipeline[0] !== 2 || pipeline[1] !== 1)) return undefined;
    const filter = pipeline ? uint(pipeline, 2, 2) : 0;
    const rawBytes = imageSize * imageSize * dims[4];
    const table = decodeFixedArray(read, indexAt, chunkSizeLength(rawBytes));
    if (!pipeline) table.size.fill(rawBytes);
    return { table, filter };
  } catch {
    return undefined;
  }
}
