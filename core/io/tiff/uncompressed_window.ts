/**
 * Windowed reads of uncompressed TIFF pages straight from the file with positioned reads: only the
 * bytes of the window's rows are read, even when the whole page is one strip (tifffile writes
 * uncompressed images that way), and typed-array copies replace geotiff's per-sample DataView loop.
 * @module
 */
import type { FileHandle } from "node:fs/promises";
import { ScportraitError } from "../../errors.ts";
import type { PixelWindow } from "../image_source.ts";
import type { TiffPage } from "./tiff_page.ts";
import { dtypeBytes, sampleArray, type TiffSampleArray } from "./tiff_sample_type.ts";

/** Reads `length` bytes at `position` into a fresh buffer; throws INPUT_INVALID if truncated. */
async function readExact(
  file: FileHandle,
  position: number,
  length: number,
  path: string,
): Promise<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await file.read(bytes, done, length - done, position + done);
    if (bytesRead === 0) {
      throw new ScportraitError(
        "INPUT_INVALID",
        `${path}: the file ends at byte ${position + done} inside pixel data that should reach ` +
          `byte ${position + length}; the file is truncated or corrupt. Copy it again.`,
      );
    }
    done += bytesRead;
  }
  return bytes.buffer;
}

function swapBytes(buffer: ArrayBuffer, size: number): void {
  if (size === 1) return;
  const b = new Uint8Array(buffer);
  for (let i = 0; i + size <= b.length; i += size) {
    for (let lo = i, hi = i + size - 1; lo < hi; lo++, hi--) {
      const t = b[lo];
      b[lo] = b[hi];
      b[hi] = t;
    }
  }
}

/**
 * Reads `sample` of `window` from an uncompressed `page`, whose block byte offsets are `offsets`.
 * Returns the window's samples row by row in the page's dtype.
 */
export async function readUncompressedWindow(
  file: FileHandle,
  path: string,
  page: TiffPage,
  offsets: ArrayLike<number>,
  sample: number,
  window: PixelWindow,
  signal?: AbortSignal,
): Promise<TiffSampleArray> {
  const size = dtypeBytes(page.dtype);
  const stride = page.planar === 1 ? page.samples : 1;
  const within = page.planar === 1 ? sample : 0;
  const bw = page.blockWidth;
  const bh = page.blockHeight;
  const across = Math.ceil(page.width / bw);
  const perPlane = across * Math.ceil(page.height / bh);
  const rowBytes = bw * stride * size;
  const out = sampleArray(page.dtype, new ArrayBuffer(window.height * window.width * size));
  const { x, y, width: w, height: h } = window;
  for (let by = Math.floor(y / bh); by * bh < y + h; by++) {
    for (let bx = Math.floor(x / bw); bx * bw < x + w; bx++) {
      signal?.throwIfAborted();
      const base = Number(offsets[(page.planar === 2 ? sample * perPlane : 0) + by * across + bx]);
      const r0 = Math.max(y, by * bh) - by * bh;
      const r1 = Math.min(y + h, (by + 1) * bh) - by * bh;
      const c0 = Math.max(x, bx * bw) - bx * bw;
      const c1 = Math.min(x + w, (bx + 1) * bw) - bx * bw;
      const spanBytes = (c1 - c0) * stride * size;
      const perRow = r1 - r0 > 1 && spanBytes * 4 < rowBytes;
      const copyRow = (data: TiffSampleArray, start: number, row: number) => {
        const dst = (by * bh + row - y) * w + bx * bw + c0 - x;
        if (stride === 1) {
          out.set(data.subarray(start, start + c1 - c0) as never, dst);
          return;
        }
        for (let c = 0, s = start + within; c < c1 - c0; c++, s += stride) out[dst + c] = data[s];
      };
      if (perRow) {
        for (let r = r0; r < r1; r++) {
          const buf = await readExact(
            file,
            base + r * rowBytes + c0 * stride * size,
            spanBytes,
            path,
          );
          swapIfNeeded(buf, page, size);
          copyRow(sampleArray(page.dtype, buf), 0, r);
        }
      } else {
        const start = base + r0 * rowBytes + c0 * stride * size;
        const length = (r1 - r0 - 1) * rowBytes + spanBytes;
        const buf = await readExact(file, start, length, path);
        swapIfNeeded(buf, page, size);
        const data = sampleArray(page.dtype, buf, 0, Math.floor(length / size));
        const rowSamples = rowBytes / size;
        for (let r = r0; r < r1; r++) copyRow(data, (r - r0) * rowSamples, r);
      }
    }
  }
  return out;
}

function swapIfNeeded(buffer: ArrayBuffer, page: TiffPage, size: number): void {
  if (!page.littleEndian) swapBytes(buffer, size);
}
