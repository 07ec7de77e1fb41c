/**
 * Synthetic input for the load benchmark: one uncompressed, strip-organised, little-endian 2-D
 * uint16 TIFF per channel, written row band by row band so any size streams in bounded memory.
 * Content is microscopy-like — round cells on a jittered grid (nucleus-, cytosol- and marker-like
 * channels), a smooth background and per-pixel noise — so compressors see realistic entropy.
 * Deterministic for a given size and channel. (A stand-in until `examples/synthetic/` exists.)
 * @module
 */

const ROWS_PER_STRIP = 64;
const PITCH = 48; // cell grid pitch in pixels

function hash(a: number, b: number, c: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77) ^ Math.imul(c, 0xc2b2ae3d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h >>> 0;
}

/** Fills `rows` rows starting at `y0` of channel `channel` of a `width`-wide image. */
function fillRows(out: Uint16Array, y0: number, rows: number, width: number, channel: number) {
  const radius = channel === 0 ? 9 : channel === 1 ? 19 : 14;
  const peak = channel === 0 ? 9000 : channel === 1 ? 3000 : 5000;
  let seed = hash(y0 + 1, channel + 7, 12345) | 1;
  for (let r = 0; r < rows; r++) {
    const y = y0 + r;
    const gy = Math.floor(y / PITCH);
    const row = r * width;
    for (let x = 0; x < width; x++) {
      const gx = Math.floor(x / PITCH);
      let v = 300 + ((x + y) & 255);
      // the nearest cells: this grid cell and its lower/right neighbours
      for (let dy = -1; dy <= 0; dy++) {
        for (let dx = -1; dx <= 0; dx++) {
          const h = hash(gy + dy, gx + dx, 99);
          const cy = (gy + dy) * PITCH + PITCH / 2 + ((h & 15) - 8);
          const cx = (gx + dx) * PITCH + PITCH / 2 + (((h >>> 4) & 15) - 8);
          const d2 = (y - cy) * (y - cy) + (x - cx) * (x - cx);
          const r2 = radius * radius;
          if (d2 < r2) v += ((peak * ((h >>> 8) & 255)) >> 8) * (r2 - d2) / r2;
        }
      }
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      out[row + x] = Math.min(65535, v + ((seed >>> 0) & 31));
    }
  }
}

/** Writes an `height × width` uint16 TIFF of synthetic channel `channel` to `path`. */
export async function writeSyntheticTiff(
  path: string,
  height: number,
  width: number,
  channel: number,
): Promise<void> {
  const strips = Math.ceil(height / ROWS_PER_STRIP);
  const dataBytes = height * width * 2;
  const ifdOffset = 8 + dataBytes + (dataBytes % 2);
  const entries = 11;
  const ifdBytes = 2 + entries * 12 + 4;
  const offsetsAt = ifdOffset + ifdBytes;
  const countsAt = offsetsAt + strips * 4;
  if (countsAt + strips * 4 > 2 ** 32) throw new RangeError(`${path}: too large for classic TIFF`);
  const file = await Deno.open(path, { write: true, create: true, truncate: true });
  try {
    const header = new DataView(new ArrayBuffer(8));
    header.setUint16(0, 0x4949);
    header.setUint16(2, 42, true);
    header.setUint32(4, ifdOffset, true);
    await writeAll(file, new Uint8Array(header.buffer));
    const band = new Uint16Array(ROWS_PER_STRIP * 16 * width);
    for (let y = 0; y < height; y += ROWS_PER_STRIP * 16) {
      const rows = Math.min(ROWS_PER_STRIP * 16, height - y);
      fillRows(band, y, rows, width, channel);
      await writeAll(file, new Uint8Array(band.buffer, 0, rows * width * 2));
    }
    if (dataBytes % 2) await writeAll(file, new Uint8Array(1));
    const ifd = new DataView(new ArrayBuffer(ifdBytes + strips * 8));
    ifd.setUint16(0, entries, true);
    const tags: [number, number, number, number][] = [
      [256, 4, 1, width],
      [257, 4, 1, height],
      [258, 3, 1, 16],
      [259, 3, 1, 1],
      [262, 3, 1, 1],
      [273, 4, strips, strips === 1 ? 8 : offsetsAt],
      [277, 3, 1, 1],
      [278, 4, 1, ROWS_PER_STRIP],
      [279, 4, strips, strips === 1 ? dataBytes : countsAt],
      [284, 3, 1, 1],
      [339, 3, 1, 1],
    ];
    tags.forEach(([tag, type, count, value], i) => {
      const at = 2 + i * 12;
      ifd.setUint16(at, tag, true);
      ifd.setUint16(at + 2, type, true);
      ifd.setUint32(at + 4, count, true);
      if (type === 3 && count === 1) ifd.setUint16(at + 8, value, true);
      else ifd.setUint32(at + 8, value, true);
    });
    ifd.setUint32(2 + entries * 12, 0, true);
    for (let s = 0; s < strips; s++) {
      const rows = Math.min(ROWS_PER_STRIP, height - s * ROWS_PER_STRIP);
      ifd.setUint32(ifdBytes + s * 4, 8 + s * ROWS_PER_STRIP * width * 2, true);
      ifd.setUint32(ifdBytes + strips * 4 + s * 4, rows * width * 2, true);
    }
    await writeAll(file, new Uint8Array(ifd.buffer));
  } finally {
    file.close();
  }
}

async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let done = 0;
  while (done < bytes.length) done += await file.write(bytes.subarray(done));
}
