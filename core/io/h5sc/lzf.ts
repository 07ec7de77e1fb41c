/**
 * LZF (liblzf's format, HDF5 filter 32000 as h5py registers it): a byte-oriented LZ77 with literal
 * runs of 1–32 bytes (control byte < 32 = length − 1) and back references of 3–264 bytes within
 * 8 KiB (control = length − 2 in the top three bits, 7 meaning "one more length byte", and a 13-bit
 * distance − 1). Any valid stream decodes the same everywhere, so our compressor only has to
 * produce valid streams; it is greedy with a 3-byte hash, fast on the mostly-zero planes of
 * single-cell images.
 * @module
 */
import { ScportraitError } from "../../errors.ts";

const HASH_BITS = 14;
const MAX_OFF = 1 << 13;
const MAX_REF = (1 << 8) + (1 << 3); // 264

/** Scratch hash table for {@link lzfCompress}; reuse one per thread. */
export function lzfTable(): Int32Array {
  return new Int32Array(1 << HASH_BITS);
}

/**
 * Compresses `src` into `dst`; returns the compressed length, or 0 when it does not fit in `dst`
 * (the HDF5 filter then stores the chunk uncompressed).
 */
export function lzfCompress(src: Uint8Array, dst: Uint8Array, table: Int32Array): number {
  const n = src.length;
  const cap = dst.length;
  let ip = 0, op = 0, lit = 0;
  let v = n > 1 ? (src[0] << 8) | src[1] : 0; // rolling window of the next three bytes
  while (ip + 2 < n) {
    v = ((v << 8) | src[ip + 2]) & 0xffffff;
    const h = Math.imul(v, 0x9e3779b1) >>> (32 - HASH_BITS);
    const ref = table[h];
    table[h] = ip;
    const off = ip - ref - 1;
    if (
      off >= 0 && off < MAX_OFF && src[ref] === src[ip] && src[ref + 1] === src[ip + 1] &&
      src[ref + 2] === src[ip + 2]
    ) {
      const max = Math.min(MAX_REF, n - ip);
      let len = 3;
      while (len < max && src[ref + len] === src[ip + len]) len++;
      // literals before the match, in runs of at most 32
      while (lit < ip) {
        const run = Math.min(32, ip - lit);
        if (op + 1 + run > cap) return 0;
        dst[op++] = run - 1;
        for (let i = 0; i < run; i++) dst[op++] = src[lit++];
      }
      if (op + 3 > cap) return 0;
      const l = len - 2;
      if (l < 7) dst[op++] = (l << 5) | (off >> 8);
      else {
        dst[op++] = (7 << 5) | (off >> 8);
        dst[op++] = l - 7;
      }
      dst[op++] = off & 0xff;
      ip += len;
      lit = ip;
      if (ip + 1 < n) v = (src[ip] << 8) | src[ip + 1];
    } else {
      ip++;
    }
  }
  while (lit < n) {
    const run = Math.min(32, n - lit);
    if (op + 1 + run > cap) return 0;
    dst[op++] = run - 1;
    for (let i = 0; i < run; i++) dst[op++] = src[lit++];
  }
  return op;
}

/** Decompresses the LZF stream `src` into `dst`; returns the number of bytes produced. */
export function lzfDecompress(src: Uint8Array, dst: Uint8Array): number {
  const n = src.length;
  const cap = dst.length;
  let ip = 0, op = 0;
  while (ip < n) {
    const ctrl = src[ip++];
    if (ctrl < 32) {
      const len = ctrl + 1;
      if (ip + len > n || op + len > cap) throw corrupt(ip);
      for (let i = 0; i < len; i++) dst[op++] = src[ip++];
    } else {
      let len = ctrl >> 5;
      if (len === 7) len += src[ip++];
      const ref = op - ((ctrl & 0x1f) << 8) - src[ip++] - 1;
      len += 2;
      if (ref < 0 || ip > n || op + len > cap) throw corrupt(ip);
      if (op - ref >= len) {
        dst.copyWithin(op, ref, ref + len);
        op += len;
      } else {
        for (let i = 0; i < len; i++) dst[op++] = dst[ref + i];
      }
    }
  }
  return op;
}

function corrupt(at: number): ScportraitError {
  return new ScportraitError(
    "H5SC_INVALID",
    `corrupt LZF chunk (byte ${at}); the file is damaged — re-run the extraction`,
  );
}
