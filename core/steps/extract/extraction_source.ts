/**
 * What the extraction step reads: an image (c, y, x) uint16, one or two label masks (y, x) uint64
 * with nucleus first, and the cell centres of the main mask. Readers (SpatialData store, arrays in
 * memory for tests) implement this; reads are windows so images never load whole.
 * @module
 */
import type { PixelWindow } from "../../io/image_source.ts";

/** Cell centres (float centroids, as `points/centers_<mask>`), ids ascending. */
export interface CellCenters {
  /** Cell ids, unique. */
  ids: BigUint64Array;
  /** Centroid columns. */
  x: Float64Array;
  /** Centroid rows. */
  y: Float64Array;
}

/** Everything extraction needs from a project. */
export interface ExtractionSource {
  /** Image width W (len x). */
  readonly width: number;
  /** Image height H (len y). */
  readonly height: number;
  /** Image channel names in input order. */
  readonly channelNames: readonly string[];
  /** Mask names, nucleus first (e.g. `seg_all_nucleus`, `seg_all_cytosol`). */
  readonly maskNames: readonly string[];
  /** Centres of the main mask (nucleus if present, else the one mask). */
  centers(): Promise<CellCenters>;
  /**
   * Reads one image channel's window. `into`, when given, is a spent buffer the source may fill
   * (from its start, every pixel of the window) and return a view of instead of allocating: fresh
   * memory costs a page fault per 4 KiB.
   */
  readImage(channel: number, window: PixelWindow, into?: Uint16Array): Promise<Uint16Array>;
  /** Reads one mask's window; `into` as for {@link readImage}. */
  readLabels(mask: number, window: PixelWindow, into?: BigUint64Array): Promise<BigUint64Array>;
  /**
   * Optional: one mask's window as uint32 ids (half the memory and scan of uint64), or undefined
   * when an id in the window needs more than 32 bits (then {@link readLabels} is used). `into` as
   * for {@link readImage}.
   */
  readLabels32?(
    mask: number,
    window: PixelWindow,
    into?: Uint32Array,
  ): Promise<Uint32Array | undefined>;
}

/** An {@link ExtractionSource} over arrays in memory (tests, small images, synthetic data). */
export class ArrayExtractionSource implements ExtractionSource {
  readonly width: number;
  readonly height: number;
  readonly channelNames: readonly string[];
  readonly maskNames: readonly string[];
  readonly #image: Uint16Array[];
  readonly #labels: BigUint64Array[];
  readonly #centers?: CellCenters;

  /** `image` and `labels` are row-major planes of height × width. */
  constructor(options: {
    width: number;
    height: number;
    image: Uint16Array[];
    labels: BigUint64Array[];
    channelNames?: string[];
    maskNames: string[];
    centers?: CellCenters;
  }) {
    this.width = options.width;
    this.height = options.height;
    this.#image = options.image;
    this.#labels = options.labels;
    this.channelNames = options.channelNames ?? options.image.map((_, i) => `channel_${i}`);
    this.maskNames = options.maskNames;
    this.#centers = options.centers;
  }

  centers(): Promise<CellCenters> {
    return Promise.resolve(this.#centers ?? computeCenters(this.#labels[0], this.width));
  }

  readImage(channel: number, w: PixelWindow, into?: Uint16Array): Promise<Uint16Array> {
    return Promise.resolve(cut(this.#image[channel], this.width, w, Uint16Array, into));
  }

  readLabels(mask: number, w: PixelWindow, into?: BigUint64Array): Promise<BigUint64Array> {
    return Promise.resolve(cut(this.#labels[mask], this.width, w, BigUint64Array, into));
  }

  readLabels32(mask: number, w: PixelWindow, into?: Uint32Array): Promise<Uint32Array | undefined> {
    const plane = this.#labels[mask];
    const words = new Uint32Array(plane.buffer, plane.byteOffset, plane.length * 2);
    const n = w.height * w.width;
    const out = into && into.length >= n ? into.subarray(0, n) : new Uint32Array(n);
    for (let y = 0; y < w.height; y++) {
      const src = ((w.y + y) * this.width + w.x) * 2;
      for (let x = 0; x < w.width; x++) {
        if (words[src + 2 * x + 1] !== 0) return Promise.resolve(undefined);
        out[y * w.width + x] = words[src + 2 * x];
      }
    }
    return Promise.resolve(out);
  }
}

function cut<T extends Uint16Array | BigUint64Array>(
  plane: T,
  width: number,
  w: PixelWindow,
  Ctor: { new (n: number): T },
  into?: T,
): T {
  const n = w.height * w.width;
  const out = into && into.length >= n ? into.subarray(0, n) as T : new Ctor(n);
  for (let y = 0; y < w.height; y++) {
    const src = (w.y + y) * width + w.x;
    // deno-lint-ignore no-explicit-any
    out.set(plane.subarray(src, src + w.width) as any, y * w.width);
  }
  return out;
}

/**
 * Centroids of every label as scPortrait's `numba_mask_centroid`: mean (y, x) of the pixels of each
 * id, ids ascending, background 0 skipped.
 */
export function computeCenters(labels: BigUint64Array, width: number): CellCenters {
  const sums = new Map<bigint, [number, number, number]>();
  for (let i = 0; i < labels.length; i++) {
    const id = labels[i];
    if (id === 0n) continue;
    const y = Math.floor(i / width);
    const s = sums.get(id);
    if (s) s[0] += y, s[1] += i - y * width, s[2]++;
    else sums.set(id, [y, i - y * width, 1]);
  }
  const ids = [...sums.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    ids: BigUint64Array.from(ids),
    y: Float64Array.from(ids, (id) => sums.get(id)![0] / sums.get(id)![2]),
    x: Float64Array.from(ids, (id) => sums.get(id)![1] / sums.get(id)![2]),
  };
}
