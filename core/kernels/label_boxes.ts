/**
 * Bounding boxes of every label id of a uint64 label tile in one pass, so the per-cell work only
 * scans its own cell instead of the whole window (a window is ~16× a cell's area).
 * @module
 */

/** Per-id boxes `[y0, y1, x0, x1]` (half-open) of the ids of a tile that fit in 32 bits. */
export interface LabelBoxes {
  /** Box of each id present; an id not in the map has no pixel in the tile. */
  boxes: Map<number, Int32Array>;
  /** True when some id needs more than 32 bits: then the map is incomplete, scan instead. */
  wide: boolean;
}

/**
 * Scans the height×width `labels` tile (uint64 ids, or uint32) once and returns the box of every
 * non-zero id.
 */
export function labelBoxes(
  labels: BigUint64Array | Uint32Array,
  width: number,
  height: number,
): LabelBoxes {
  if (labels instanceof Uint32Array) return labelBoxes32(labels, width, height);
  const words = new Uint32Array(labels.buffer, labels.byteOffset, labels.length * 2);
  const boxes = new Map<number, Int32Array>();
  let wide = false;
  for (let y = 0; y < height; y++) {
    let i = y * width * 2;
    let x = 0;
    while (x < width) {
      const lo = words[i], hi = words[i + 1];
      let end = x + 1;
      let j = i + 2;
      while (end < width && words[j] === lo && words[j + 1] === hi) end++, j += 2;
      if (hi !== 0) wide = true;
      else if (lo !== 0) {
        const b = boxes.get(lo);
        if (!b) boxes.set(lo, Int32Array.of(y, y + 1, x, end));
        else {
          b[1] = y + 1;
          if (x < b[2]) b[2] = x;
          if (end > b[3]) b[3] = end;
        }
      }
      x = end;
      i = j;
    }
  }
  return { boxes, wide };
}

function labelBoxes32(labels: Uint32Array, width: number, height: number): LabelBoxes {
  const boxes = new Map<number, Int32Array>();
  for (let y = 0; y < height; y++) {
    let i = y * width;
    let x = 0;
    while (x < width) {
      const id = labels[i];
      let end = x + 1;
      i++;
      while (end < width && labels[i] === id) end++, i++;
      if (id !== 0) {
        const b = boxes.get(id);
        if (!b) boxes.set(id, Int32Array.of(y, y + 1, x, end));
        else {
          b[1] = y + 1;
          if (x < b[2]) b[2] = x;
          if (end > b[3]) b[3] = end;
        }
      }
      x = end;
    }
  }
  return { boxes, wide: false };
}
