/**
 * An {@link ExtractionSource} over a project's SpatialData store: `images/input_image` and the
 * `labels/seg_all_*` masks (nucleus first), read window by window; centres from the segmentation
 * step's `segmentation/centers_seg_all_<mask>.csv`, or computed from the main mask in row bands
 * when that file is absent (memory stays bounded by one band).
 * @module
 */
import { join } from "node:path";
import { ScportraitError } from "../../errors.ts";
import type { PixelWindow } from "../../io/image_source.ts";
import type { SpatialDataStore } from "../../io/spatialdata/spatialdata_store.ts";
import type { LabelsSource } from "../../io/spatialdata/labels_source.ts";
import type { CellCenters, ExtractionSource } from "./extraction_source.ts";

type Image = Awaited<ReturnType<SpatialDataStore["openImage"]>>;

/** Mask names to use: `wanted` or every complete `seg_all*` labels element, nucleus first. */
export async function chooseMasks(store: SpatialDataStore, wanted?: string[]): Promise<string[]> {
  const present = (await store.elements())
    .filter((e) => e.type === "labels" && e.complete)
    .map((e) => e.name);
  const names = wanted ?? present.filter((n) => n.startsWith("seg_all"));
  for (const n of names) {
    if (!present.includes(n)) {
      throw new ScportraitError(
        "INPUT_NOT_FOUND",
        `${store.location}: no finished labels/${n}; run \`scportrait segment\` first or fix ` +
          "extraction.segmentation_mask",
      );
    }
    if (!n.includes("nucleus") && !n.includes("cytosol")) {
      throw new ScportraitError(
        "CONFIG_INVALID",
        `extraction.segmentation_mask: "${n}" must contain "nucleus" or "cytosol"`,
      );
    }
  }
  const rank = (n: string) => (n.includes("nucleus") ? 0 : 1);
  return [...names].sort((a, b) => rank(a) - rank(b));
}

function toU64(data: ArrayLike<number> | BigUint64Array, into?: BigUint64Array): BigUint64Array {
  if (data instanceof BigUint64Array) return data;
  const out = into && into.length >= data.length
    ? into.subarray(0, data.length)
    : new BigUint64Array(data.length);
  const words = new Uint32Array(out.buffer, out.byteOffset, out.length * 2);
  for (let i = 0; i < data.length; i++) words[2 * i] = data[i], words[2 * i + 1] = 0;
  return out;
}

/** Reads a `centers_*.csv` (`id,x,y`) or returns undefined when it does not exist. */
async function readCentresCsv(file: string): Promise<CellCenters | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch {
    return undefined;
  }
  const rows = text.trim().split("\n").slice(1).filter((l) => l.length > 0).map((l) =>
    l.split(",")
  );
  const order = rows.map((r, i) => [BigInt(r[0]), i] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return {
    ids: BigUint64Array.from(order, ([id]) => id),
    x: Float64Array.from(order, ([, i]) => Number(rows[i][1])),
    y: Float64Array.from(order, ([, i]) => Number(rows[i][2])),
  };
}

/** Extraction input read from a project's store. Close it with `close()`. */
export class ProjectExtractionSource implements ExtractionSource {
  readonly width: number;
  readonly height: number;
  readonly channelNames: readonly string[];
  readonly maskNames: readonly string[];
  readonly #image: Image;
  readonly #labels: LabelsSource[];
  readonly #segmentationDir: string;

  private constructor(image: Image, labels: LabelsSource[], masks: string[], segDir: string) {
    this.#image = image;
    this.#labels = labels;
    this.#segmentationDir = segDir;
    this.width = image.width;
    this.height = image.height;
    this.channelNames = image.channelNames;
    this.maskNames = masks;
  }

  /** Opens `input_image` and the masks of `store`; `segmentationDir` holds the centre CSVs. */
  static async open(
    store: SpatialDataStore,
    segmentationDir: string,
    masks?: string[],
  ): Promise<ProjectExtractionSource> {
    const image = await store.openImage("input_image").catch((cause) => {
      throw new ScportraitError(
        "INPUT_NOT_FOUND",
        `${store.location} has no input_image: run \`scportrait load\` first`,
        { cause },
      );
    });
    const names = await chooseMasks(store, masks);
    if (names.length === 0) {
      throw new ScportraitError(
        "INPUT_NOT_FOUND",
        `${store.location} has no seg_all_* labels: run \`scportrait segment\` first`,
      );
    }
    const labels = await Promise.all(names.map((n) => store.openLabels(n)));
    for (const [i, l] of labels.entries()) {
      if (l.height !== image.height || l.width !== image.width) {
        throw new ScportraitError(
          "INPUT_INVALID",
          `labels/${names[i]} is ${l.height}×${l.width} but input_image is ` +
            `${image.height}×${image.width}`,
        );
      }
    }
    return new ProjectExtractionSource(image, labels, names, segmentationDir);
  }

  async centers(): Promise<CellCenters> {
    const csv = await readCentresCsv(
      join(this.#segmentationDir, `centers_${this.maskNames[0]}.csv`),
    );
    if (csv) return csv;
    // mean (y, x) of each id, streamed in bands of rows
    const sums = new Map<number, [number, number, number]>();
    const band = 512;
    for (let y0 = 0; y0 < this.height; y0 += band) {
      const h = Math.min(band, this.height - y0);
      const data = await this.readLabels(0, { y: y0, x: 0, height: h, width: this.width });
      const words = new Uint32Array(data.buffer, data.byteOffset, data.length * 2);
      for (let i = 0; i < data.length; i++) {
        const id = words[2 * i] + words[2 * i + 1] * 2 ** 32;
        if (id === 0) continue;
        const y = y0 + Math.floor(i / this.width), x = i % this.width;
        const s = sums.get(id);
        if (s) s[0] += y, s[1] += x, s[2]++;
        else sums.set(id, [y, x, 1]);
      }
    }
    const ids = [...sums.keys()].sort((a, b) => a - b);
    return {
      ids: BigUint64Array.from(ids, (id) => BigInt(id)),
      y: Float64Array.from(ids, (id) => sums.get(id)![0] / sums.get(id)![2]),
      x: Float64Array.from(ids, (id) => sums.get(id)![1] / sums.get(id)![2]),
    };
  }

  readImage(channel: number, window: PixelWindow): Promise<Uint16Array> {
    return this.#image.readWindow(channel, window);
  }

  async readLabels32(
    mask: number,
    window: PixelWindow,
    into?: Uint32Array,
  ): Promise<Uint32Array | undefined> {
    const data = await this.#labels[mask].readWindow(window);
    const n = data.length;
    const out = into && into.length >= n ? into.subarray(0, n) : new Uint32Array(n);
    if (data instanceof BigUint64Array) {
      const words = new Uint32Array(data.buffer, data.byteOffset, n * 2);
      for (let i = 0; i < n; i++) {
        if (words[2 * i + 1] !== 0) return undefined;
        out[i] = words[2 * i];
      }
    } else {
      for (let i = 0; i < n; i++) {
        const v = data[i];
        if (v > 0xffffffff) return undefined;
        out[i] = v;
      }
    }
    return out;
  }

  async readLabels(
    mask: number,
    window: PixelWindow,
    into?: BigUint64Array,
  ): Promise<BigUint64Array> {
    return toU64(await this.#labels[mask].readWindow(window), into);
  }

  /** Releases the readers. */
  async close(): Promise<void> {
    await this.#image.close();
    for (const l of this.#labels) await l.close();
  }
}
