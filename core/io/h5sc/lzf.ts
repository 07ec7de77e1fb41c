/**
 * LZF (liblzf's format, HDF5 filter 32000 as h5py registers it): a byte-oriented LZ77 with literal
 * runs of 1–32 bytes (control byte < 32 = length − 1) and back references of 3–264 bytes within
 * 8 KiB (control = length − 2 in the top three bits, 7 meaning "one more length byte", and a 13-bit
 * distance − 1). Any valid stream decodes the same everywhere, so our compressor only has to
 * produce valid streams; it is greedy with a 4-byte hash (matches of at least 4 bytes), probes even
 * offsets only once a stretch does not match, and is fast on the mostly-zero planes of single-cell
 * images.
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

const pattern = new Uint8Array(4);
const pattern32 = new Uint32Array(pattern.buffer);

/**
 * Length of the run starting at `ip` that repeats the two bytes before it (period 2: a constant
 * float16 value, e.g. the zeros around a cell), up to `max` bytes; compares 4 bytes at a time
 * when `src` is 4-byte aligned.
 */
function runLength(src: Uint8Array, words: Uint32Array | undefined, ip: number, max: number) {
  const end = ip + max;
  let p = ip;
  if (words) {
    while (p < end && (p & 3) !== 0) {
      if (src[p] !== src[p - 2]) return p - ip;
      p++;
    }
    const even = (ip & 1) === 0;
    pattern[0] = pattern[2] = even ? src[ip - 2] : src[ip - 1];
    pattern[1] = pattern[3] = even ? src[ip - 1] : src[ip - 2];
    const w = pattern32[0];
    let q = p >> 2;
    const qEnd = end >> 2;
    while (q < qEnd && words[q] === w) q++;
    p = q << 2;
  }
  while (p < end && src[p] === src[p - 2]) p++;
  return p - ip;
}

/**
 * Compresses `src` into `dst`; returns the compressed length, or 0 when it does not fit in `dst`
 * (the HDF5 filter then stores the chunk uncompressed). Runs of a repeated 2-byte value are coded
 * as back references at distance 2 without hashing every byte.
 */
export function lzfCompress(src: Uint8Array, dst: Uint8Array, table: Int32Array): number {
  const words = src.byteOffset % 4 === 0
    ? new Uint32Array(src.buffer, src.byteOffset, src.length >> 2)
    : undefined;
  const op = compressBody(src, dst, table, words);
  if (op < 0) return 0;
  const end = emitLiterals(src, pendingLiterals, src.length, dst, op);
  return end < 0 ? 0 : end;
}

/** Start of the literals {@link compressBody} left for the caller to flush. */
let pendingLiterals = 0;

/**
 * The match loop of {@link lzfCompress} (kept apart from the final flush so V8's on-stack
 * optimisation of the loop never meets code without type feedback, which made it deoptimise on
 * every call). Returns the output length so far or −1, and sets {@link pendingLiterals}.
 */
function compressBody(
  src: Uint8Array,
  dst: Uint8Array,
  table: Int32Array,
  words: Uint32Array | undefined,
): number {
  const n = src.length;
  const cap = dst.length;
  const view = new DataView(src.buffer, src.byteOffset, n);
  let ip = 0, op = 0, lit = 0, misses = 0;
  while (ip + 3 < n) {
    let len = 0, off = 0;
    const w = view.getInt32(ip, true); // bytes ip..ip+3
    if (ip >= 2 && view.getInt32(ip - 2, true) === w) {
      // a run of the 2-byte value before ip (a constant float16 such as the background)
      len = 4 + runLength(src, words, ip + 4, n - ip - 4);
      off = 1;
    } else {
      const h = Math.imul(w, 0x9e3779b1) >>> (32 - HASH_BITS);
      const ref = table[h];
      table[h] = ip;
      off = ip - ref - 1;
      // matches of 3 bytes save nothing between literals (2-byte reference + a new literal
      // control byte), so only 4 or more are taken: far fewer false hits on noisy data
      if ((off >>> 0) < MAX_OFF && view.getInt32(ref, true) === w) {
        const max = MAX_REF < n - ip ? MAX_REF : n - ip;
        len = 4;
        while (len + 4 <= max && view.getInt32(ref + len, true) === view.getInt32(ip + len, true)) {
          len += 4;
        }
        while (len < max && src[ref + len] === src[ip + len]) len++;
      } else {
        // LZ4-style acceleration: probes stay on even bytes (float16 values start there, so do
        // their repeats) and the step grows by 2 every 4 misses, so a stretch of noise costs few
        // probes. Skipped bytes stay literals: the stream is as valid, chunks ≈5 % larger on
        // noisy cells, compression ≈2.5× faster there
        ip += 2 + ((misses++ >> 2) << 1);
        ip += ip & 1;
        continue;
      }
    }
    op = emitLiterals(src, lit, ip, dst, op);
    if (op < 0) return -1;
    // the match, split into references of at most MAX_REF bytes (each at least 3)
    while (len >= 3) {
      let l = len < MAX_REF ? len : MAX_REF;
      if (len - l > 0 && len - l < 3) l -= 3; // leave a tail long enough for one more reference
      if (op + 3 > cap) return -1;
      const c = l - 2;
      if (c < 7) dst[op++] = (c << 5) | (off >> 8);
      else {
        dst[op++] = (7 << 5) | (off >> 8);
        dst[op++] = c - 7;
      }
      dst[op++] = off & 0xff;
      ip += l;
      len -= l;
    }
    ip += len; // 0 here: every byte of the match was referenced
    lit = ip;
    misses = 0;
  }
  pendingLiterals = lit;
  return op;
}

/** Writes `src[from..to)` as literal runs of at most 32 at `dst[op]`; −1 when it does not fit. */
function emitLiterals(src: Uint8Array, from: number, to: number, dst: Uint8Array, op: number) {
  const cap = dst.length;
  while (from < to) {
    const run = to - from < 32 ? to - from : 32;
    if (op + 1 + run > cap) return -1;
    dst[op++] = run - 1;
    for (let i = 0; i < run; i++) dst[op++] = src[from++];
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
      const d = op - ref;
      if (len >= 16 && (d === 1 || (d === 2 && dst[ref] === dst[ref + 1]))) {
        // a run of one byte value (zeros around a cell): one native fill
        dst.fill(dst[ref], op, op + len);
        op += len;
      } else if (len >= 64 && d >= len) {
        dst.copyWithin(op, ref, ref + len);
        op += len;
      } else {
        // short or overlapping (a run repeating the period op − ref): byte by byte, which is
        // faster than several native calls for references of at most 264 bytes
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
