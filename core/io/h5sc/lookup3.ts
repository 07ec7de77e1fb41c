/**
 * Bob Jenkins' lookup3 `hashlittle`, the checksum HDF5 stores after version-2 object headers and
 * other metadata blocks (`H5_checksum_lookup3`). Needed when we edit a header in place.
 * @module
 */

function rot(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** lookup3 hashlittle of `data` with the given seed, as an unsigned 32-bit number. */
export function lookup3(data: Uint8Array, seed = 0): number {
  let length = data.length;
  let a = (0xdeadbeef + length + seed) | 0;
  let b = a;
  let c = a;
  let o = 0;
  const word = (i: number) =>
    data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24);
  while (length > 12) {
    a = (a + word(o)) | 0;
    b = (b + word(o + 4)) | 0;
    c = (c + word(o + 8)) | 0;
    a = (a - c) | 0, a ^= rot(c, 4), c = (c + b) | 0;
    b = (b - a) | 0, b ^= rot(a, 6), a = (a + c) | 0;
    c = (c - b) | 0, c ^= rot(b, 8), b = (b + a) | 0;
    a = (a - c) | 0, a ^= rot(c, 16), c = (c + b) | 0;
    b = (b - a) | 0, b ^= rot(a, 19), a = (a + c) | 0;
    c = (c - b) | 0, c ^= rot(b, 4), b = (b + a) | 0;
    length -= 12;
    o += 12;
  }
  if (length === 0) return c >>> 0;
  const tail = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  for (let i = 0; i < length; i++) tail[i] = data[o + i];
  a = (a + (tail[0] | (tail[1] << 8) | (tail[2] << 16) | (tail[3] << 24))) | 0;
  b = (b + (tail[4] | (tail[5] << 8) | (tail[6] << 16) | (tail[7] << 24))) | 0;
  c = (c + (tail[8] | (tail[9] << 8) | (tail[10] << 16) | (tail[11] << 24))) | 0;
  c ^= b, c = (c - rot(b, 14)) | 0;
  a ^= c, a = (a - rot(c, 11)) | 0;
  b ^= a, b = (b - rot(a, 25)) | 0;
  c ^= b, c = (c - rot(b, 16)) | 0;
  a ^= c, a = (a - rot(c, 4)) | 0;
  b ^= a, b = (b - rot(a, 14)) | 0;
  c ^= b, c = (c - rot(b, 24)) | 0;
  return c >>> 0;
}
