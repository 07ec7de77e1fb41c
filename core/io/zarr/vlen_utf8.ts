/**
 * numcodecs' `vlen-utf8` filter, the encoding of zarr v2 object arrays of strings (what anndata
 * writes for string arrays): a little-endian uint32 item count, then per item a uint32 byte length
 * and the UTF-8 bytes.
 * @module
 */

/** Encodes `items` as one vlen-utf8 chunk. */
export function encodeVlenUtf8(items: readonly string[]): Uint8Array {
  const encoder = new TextEncoder();
  const encoded = items.map((s) => encoder.encode(s));
  const size = 4 + encoded.reduce((n, b) => n + 4 + b.byteLength, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, items.length, true);
  let at = 4;
  for (const bytes of encoded) {
    view.setUint32(at, bytes.byteLength, true);
    out.set(bytes, at + 4);
    at += 4 + bytes.byteLength;
  }
  return out;
}
