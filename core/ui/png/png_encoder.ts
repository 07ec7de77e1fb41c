/**
 * A small PNG encoder (ISO/IEC 15948): 8-bit grayscale, RGB and RGBA, non-interlaced, every row
 * with filter 0 (None) or 2 (Up), picked per row by the smaller sum of absolute bytes; the image
 * data is deflated with `node:zlib` and every chunk carries its CRC-32.
 * @module
 */
import { deflateSync } from "node:zlib";
import { ScportraitError } from "../../errors.ts";

/** Pixels to encode: `data` holds `height` rows of `width × channels` bytes, row-major. */
export interface PngImage {
  /** Width in pixels (≥ 1). */
  width: number;
  /** Height in pixels (≥ 1). */
  height: number;
  /** 1 = gray, 3 = RGB, 4 = RGBA (colour types 0, 2, 6). */
  channels: 1 | 3 | 4;
  /** Interleaved 8-bit samples. */
  data: Uint8Array;
}

const SIGNATURE = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10]);
const COLOR_TYPE: Record<number, number> = { 1: 0, 3: 2, 4: 6 };

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO 3309, as PNG uses it) of `bytes`, continuing from `crc` (default: a new CRC). */
export function crc32(bytes: Uint8Array, crc = 0): number {
  let c = (crc ^ 0xffffffff) >>> 0;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + body.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, body.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(body, 8);
  view.setUint32(8 + body.length, crc32(out.subarray(4, 8 + body.length)));
  return out;
}

/** The filtered scanlines: one filter byte, then the row (None or Up, whichever is smaller). */
function filterRows(image: PngImage): Uint8Array {
  const stride = image.width * image.channels;
  const out = new Uint8Array(image.height * (stride + 1));
  const data = image.data;
  for (let y = 0; y < image.height; y++) {
    const row = y * stride;
    const dst = y * (stride + 1);
    let sumNone = 0;
    let sumUp = 0;
    if (y > 0) {
      for (let i = 0; i < stride; i++) {
        const v = data[row + i];
        const up = (v - data[row - stride + i]) & 0xff;
        sumNone += v < 128 ? v : 256 - v;
        sumUp += up < 128 ? up : 256 - up;
      }
    }
    if (y > 0 && sumUp < sumNone) {
      out[dst] = 2;
      for (let i = 0; i < stride; i++) {
        out[dst + 1 + i] = (data[row + i] - data[row - stride + i]) & 0xff;
      }
    } else {
      out[dst] = 0;
      out.set(data.subarray(row, row + stride), dst + 1);
    }
  }
  return out;
}

/** Encodes `image` as PNG bytes; `USAGE` if the size, channel count or data length is wrong. */
export function encodePng(image: PngImage, options: { level?: number } = {}): Uint8Array {
  const { width, height, channels, data } = image;
  const valid = Number.isInteger(width) && Number.isInteger(height) && width >= 1 &&
    height >= 1 && width < 2 ** 31 && height < 2 ** 31 && COLOR_TYPE[channels] !== undefined;
  if (!valid || data.length !== width * height * channels) {
    throw new ScportraitError(
      "USAGE",
      `encodePng: image ${width}×${height} with ${channels} channel(s) and ${data.length} ` +
        "bytes is not encodable: give integer sizes ≥ 1, channels 1, 3 or 4, and exactly " +
        "width × height × channels bytes.",
    );
  }
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header[8] = 8; // bit depth
  header[9] = COLOR_TYPE[channels];
  // compression 0, filter method 0, interlace 0
  const idat = deflateSync(filterRows(image), { level: options.level ?? 6 });
  const parts = [
    SIGNATURE,
    chunk("IHDR", header),
    chunk("IDAT", new Uint8Array(idat.buffer, idat.byteOffset, idat.byteLength)),
    chunk("IEND", new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
