/**
 * Windowed reads of uncompressed TIFF pages straight from the file with positioned reads (synchronous `pread`: ~7 µs a call where the async FileHandle costs ~90 µs): only the
 * bytes of the window's rows are read, even when the whole page is one strip (tifffile writes
 * uncompressed images that way), and typed-array copies replace geotiff's per-sample DataView loop.
 * @module
 */
import { readSync } from "node:fs";
import { ScportraitError } from "../../errors.ts";
import type { PixelWindow } from "../image_source.ts";
import type { TiffPage } from "./tiff_page.ts";
import { dtypeBytes, sampleArray, type TiffSampleArray } from "./tiff_sample_type.ts";

/** Reads exactly `length` bytes at file `position` into `into` at `at`; INPUT_INVALID if short. */
function readInto(
  fd: number,
  into: Uint8Array,
  at: number,
  position: number,
  length: number,
  path: string,
): void {
  let done = 0;
  while (done < length) {
    const n = readSync(fd, into, at + done, length - done, position + done);
    if (n === 0) {
      throw new ScportraitError(
        "INPUT_INVALID",
        `${path}: the file ends at byte ${position + done} inside pixel data that should reach ` +
          `byte ${position + length}; the file is truncated or corrupt. Copy it again.`,
      );
    }
    done += n;
  }
}

function swapBytes(bytes: Uint8Array, size: number): void {
  if (size === 1) return;
  for (let i = 0; i + size <= bytes.length; i += size) {
    for (let lo = i, hi = i + size - 1; lo < hi; lo++, hi--) {
      const t = bytes[lo];
      bytes[lo] = bytes[hi];
      bytes[hi] = t;
    }
  }
}

/**
 * Reads `sample` of `window` from an uncompressed `page`, whose block byte offsets are `offsets`.
 * Returns the window's samples row by row in the page's dtype. Single-sample rows are read
 * straight into the result; interleaved (chunky) samples go through a block buffer. The result
 * lives in `into` when it is given and holds exactly the window's bytes (a reused buffer spares
 * the page faults of fresh memory), else in a new buffer.
 */
export function readUncompressedWindow(
  fd: number,
  path: string,
  page: TiffPage,
  offsets: ArrayLike<number>,
  sample: number,
  window: PixelWindow,
  signal?: AbortSignal,
  into?: ArrayBuffer,
): TiffSampleArray {
  const size = dtypeBytes(page.dtype);
  const stride = page.planar === 1 ? page.samples : 1;
  const within = page.planar === 1 ? sample : 0;
  const bw = page.blockWidth;
  const bh = page.blockHeight;
  const across = Math.ceil(page.width / bw);
  const perPlane = across * Math.ceil(page.height / bh);
  const rowBytes = bw * stride * size;
  const { x, y, width: w, height: h } = window;
  const outBuffer = into?.byteLength === h * w * size ? into : new ArrayBuffer(h * w * size);
  const outBytes = new Uint8Array(outBuffer);
  const out = sampleArray(page.dtype, outBuffer);
  for (let by = Math.floor(y / bh); by * bh < y + h; by++) {
    for (let bx = Math.floor(x / bw); bx * bw < x + w; bx++) {
      signal?.throwIfAborted();
      const base = Number(offsets[(page.planar === 2 ? sample * perPlane : 0) + by * across + bx]);
      const r0 = Math.max(y, by * bh) - by * bh;
      const r1 = Math.min(y + h, (by + 1) * bh) - by * bh;
      const c0 = Math.max(x, bx * bw) - bx * bw;
      const c1 = Math.min(x + w, (bx + 1) * bw) - bx * bw;
      const dst0 = (by * bh + r0 - y) * w + bx * bw + c0 - x;
      if (stride === 1) {
        const span = (c1 - c0) * size;
        if (span === rowBytes && c1 - c0 === w) {
          // Whole rows of the block are whole rows of the window: one read.
          readInto(fd, outBytes, dst0 * size, base + r0 * rowBytes, (r1 - r0) * rowBytes, path);
        } else {
          for (let r = r0; r < r1; r++) {
            const at = (dst0 + (r - r0) * w) * size;
            readInto(fd, outBytes, at, base + r * rowBytes + c0 * size, span, path);
          }
        }
        continue;
      }
      const spanBytes = (c1 - c0) * stride * size;
      const length = (r1 - r0 - 1) * rowBytes + spanBytes;
      const block = new Uint8Array(length);
      readInto(fd, block, 0, base + r0 * rowBytes + c0 * stride * size, length, path);
      if (!page.littleEndian) swapBytes(block, size);
      const data = sampleArray(page.dtype, block.buffer, 0, Math.floor(length / size));
      const rowSamples = rowBytes / size;
      for (let r = r0; r < r1; r++) {
        const dst = dst0 + (r - r0) * w;
        let s = (r - r0) * rowSamples + within;
        for (let c = 0; c < c1 - c0; c++, s += stride) out[dst + c] = data[s];
      }
    }
  }
  if (stride === 1 && !page.littleEndian) swapBytes(outBytes, size);
  return out;
}
