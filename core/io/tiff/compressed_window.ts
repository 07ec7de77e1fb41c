/**
 * Windowed reads of compressed TIFF pages: geotiff fetches and decodes only the strips/tiles that
 * intersect the window (in its worker `Pool` when given), and the samples are copied into the
 * result with typed arrays — geotiff's own `readRasters` copies sample by sample through a
 * DataView, which dominated the time. Compressions whose decoders need special parameters (JPEG,
 * LERC, …) go through `readRasters`.
 * @module
 */
import { getDecoder, type Pool } from "geotiff";
import type { PixelWindow } from "../image_source.ts";
import type { TiffPage } from "./tiff_page.ts";
import { sampleArray, type TiffSampleArray } from "./tiff_sample_type.ts";
import { dtypeBytes } from "./tiff_sample_type.ts";
import { useNodeZlibForDeflate } from "./zlib_deflate_decoder.ts";

useNodeZlibForDeflate();

/** none, LZW, deflate (8 and 32946), PackBits, zstd: decoders that take geotiff's default params. */
const DEFAULT_PARAMETER_CODECS = new Set([1, 5, 8, 32946, 32773, 50000]);

type DecoderParameters = Parameters<typeof getDecoder>[1];
type BlockDecoder = { decode(buffer: ArrayBuffer): Promise<ArrayBuffer> };

async function decoderParameters(page: TiffPage): Promise<DecoderParameters> {
  const fd = page.image.getFileDirectory();
  return {
    tileWidth: page.blockWidth,
    tileHeight: page.blockHeight,
    planarConfiguration: page.planar,
    bitsPerSample: await fd.loadValue("BitsPerSample"),
    predictor: (await fd.loadValue("Predictor")) || 1,
  } as unknown as DecoderParameters;
}

function swapInPlace(bytes: Uint8Array, size: number): void {
  for (let i = 0; i + size <= bytes.length; i += size) {
    for (let lo = i, hi = i + size - 1; lo < hi; lo++, hi--) {
      const t = bytes[lo];
      bytes[lo] = bytes[hi];
      bytes[hi] = t;
    }
  }
}

/** Reads `sample` of `window` from a compressed `page`, decoding in `pool` when given. */
export async function readCompressedWindow(
  page: TiffPage,
  sample: number,
  window: PixelWindow,
  pool: Pool | undefined,
  signal?: AbortSignal,
): Promise<TiffSampleArray> {
  const { x, y, width: w, height: h } = window;
  if (!DEFAULT_PARAMETER_CODECS.has(page.compression)) {
    const rasters = await page.image.readRasters({
      window: [x, y, x + w, y + h],
      samples: [sample],
      pool,
      signal,
    });
    return (rasters as unknown as TiffSampleArray[])[0];
  }
  const params = await decoderParameters(page);
  const decoder: BlockDecoder = pool
    ? pool.bindParameters(page.compression, params) as BlockDecoder
    : (await getDecoder(page.compression, params)) as unknown as BlockDecoder;
  const size = dtypeBytes(page.dtype);
  const stride = page.planar === 1 ? page.samples : 1;
  const within = page.planar === 1 ? sample : 0;
  const bw = page.blockWidth;
  const bh = page.blockHeight;
  const out = sampleArray(page.dtype, new ArrayBuffer(h * w * size));
  const jobs: Promise<void>[] = [];
  for (let by = Math.floor(y / bh); by * bh < y + h; by++) {
    for (let bx = Math.floor(x / bw); bx * bw < x + w; bx++) {
      const blockSample = page.planar === 2 ? sample : 0;
      jobs.push(
        page.image.getTileOrStrip(bx, by, blockSample, decoder as never, signal).then((tile) => {
          const bytes = new Uint8Array(tile.data as ArrayBuffer);
          if (!page.littleEndian && size > 1) swapInPlace(bytes, size);
          const data = sampleArray(page.dtype, bytes.buffer, 0, Math.floor(bytes.length / size));
          const r0 = Math.max(y, by * bh) - by * bh;
          const r1 = Math.min(y + h, (by + 1) * bh) - by * bh;
          const c0 = Math.max(x, bx * bw) - bx * bw;
          const c1 = Math.min(x + w, (bx + 1) * bw) - bx * bw;
          const rowSamples = bw * stride;
          for (let r = r0; r < r1; r++) {
            const dst = (by * bh + r - y) * w + bx * bw + c0 - x;
            const src = r * rowSamples + c0 * stride + within;
            if (stride === 1) {
              out.set(data.subarray(src, src + c1 - c0) as never, dst);
            } else {
              for (let c = 0, s = src; c < c1 - c0; c++, s += stride) out[dst + c] = data[s];
            }
          }
        }),
      );
    }
  }
  await Promise.all(jobs);
  return out;
}
