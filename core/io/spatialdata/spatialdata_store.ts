/**
 * A SpatialData zarr store (`scportrait.sdata`) on zarr v2: the store root with
 * `spatialdata_attrs` and scPortrait's `sdata_status`, element listing, and creating / opening /
 * deleting image and labels elements. Elements become visible only when finalized (see
 * `store_layout.ts`); a local store is writable, an http(s) store is read-only.
 * @module
 */
import * as fs from "node:fs";
import type { Readable } from "@zarrita/storage";
import { ScportraitError } from "../../errors.ts";
import type { AtomicFileSystemStore } from "../zarr/atomic_fs_store.ts";
import { DEFAULT_COMPRESSOR } from "../zarr/chunk_compressor.ts";
import { openReadableStore } from "../zarr/open_readable_store.ts";
import { jsonBytes, parseJsonBytes } from "../zarr/v2_array.ts";
import { openNgffLevels, readNgffImageMeta } from "../ome_zarr/ngff_reader.ts";
import { OmeZarrImage } from "../ome_zarr/ome_zarr_image.ts";
import {
  type CreateImageOptions,
  type CreateLabelsOptions,
  ImageWriter,
  LabelsWriter,
} from "./element_writers.ts";
import { LabelsSource } from "./labels_source.ts";
import { type ElementInfo, listRemoteElements } from "./remote_listing.ts";
import {
  POINTS_PARQUET,
  type PointsData,
  readPointsParquet,
  validatePoints,
  writePointsElement,
} from "./points_writer.ts";
import { type TableData, validateTable, writeTableElement } from "./table_writer.ts";
import { type RasterSpec, RasterWriter, type WriterRuntime } from "./raster_writer.ts";
import {
  ELEMENT_TYPES,
  elementKey,
  type ElementType,
  incompleteKey,
  nameOfIncomplete,
  type SdataStatus,
  SPATIALDATA_CONTAINER_VERSION,
  statusFromElements,
  validateElementName,
} from "./store_layout.ts";

export type { ElementInfo } from "./remote_listing.ts";

const DEFAULT_SCALE_FACTORS = [2, 4, 8] as const;
const DEFAULT_CHUNK = 1024;

/** A SpatialData store opened for reading (and writing, when local). */
export class SpatialDataStore {
  /** Local directory or URL. */
  readonly location: string;
  /** True for remote (http) stores. */
  readonly readOnly: boolean;
  readonly #store: Readable;
  readonly #local: AtomicFileSystemStore | null;

  private constructor(location: string, store: Readable, local: AtomicFileSystemStore | null) {
    this.location = location;
    this.#store = store;
    this.#local = local;
    this.readOnly = local === null;
  }

  /** Creates an empty store at local `path` (throws `STORE_EXISTS` if one is there). */
  static async create(path: string): Promise<SpatialDataStore> {
    const opened = openReadableStore(path);
    const local = opened.local;
    if (local === null) {
      throw new ScportraitError(
        "USAGE",
        `Cannot create a SpatialData store at ${path}: stores are created on local disk only.`,
      );
    }
    if (await local.get("/.zgroup") !== undefined) {
      throw new ScportraitError(
        "STORE_EXISTS",
        `A zarr store already exists at ${local.root}: open it with SpatialDataStore.open or ` +
          "remove it first.",
      );
    }
    await fs.promises.mkdir(local.root, { recursive: true });
    await local.set("/.zattrs", jsonBytes(rootAttrs({}, statusFromElements(new Set()))));
    await local.set("/.zgroup", jsonBytes({ zarr_format: 2 }));
    return new SpatialDataStore(local.root, local, local);
  }

  /** Opens an existing store from a local path or an http(s) URL. */
  static async open(location: string): Promise<SpatialDataStore> {
    const opened = openReadableStore(location);
    let group: Uint8Array | undefined;
    try {
      group = await opened.store.get("/.zgroup");
    } catch (error) {
      throw new ScportraitError(
        "INPUT_NOT_FOUND",
        `Could not read ${opened.description}/.zgroup: check the path or URL.`,
        { cause: error },
      );
    }
    if (group === undefined) {
      throw new ScportraitError(
        "INPUT_NOT_FOUND",
        `${opened.description} is not a zarr v2 SpatialData store (no .zgroup): check the path, ` +
          "or create one with SpatialDataStore.create.",
      );
    }
    return new SpatialDataStore(opened.description, opened.store, opened.local);
  }

  /** The root attributes (`spatialdata_attrs`, `sdata_status`, …). */
  async rootAttrs(): Promise<Record<string, unknown>> {
    const bytes = await this.#store.get("/.zattrs");
    if (bytes === undefined) return {};
    return parseJsonBytes(bytes, `${this.location}/.zattrs`) as Record<string, unknown>;
  }

  /** Lists elements, finished and unfinished (local stores; remote ones need `.zmetadata`). */
  async elements(): Promise<ElementInfo[]> {
    if (this.#local === null) return await listRemoteElements(this.#store, this.location);
    const out: ElementInfo[] = [];
    for (const type of ELEMENT_TYPES) {
      let entries: fs.Dirent[];
      try {
        entries = await fs.promises.readdir(this.#local.pathOf(type), { withFileTypes: true });
      } catch {
        continue;
      }
      for (const entry of entries) {
        if (!entry.isDirectory()) continue;
        const incomplete = nameOfIncomplete(entry.name);
        if (incomplete !== null) out.push({ type, name: incomplete, complete: false });
        else if (!entry.name.startsWith(".")) out.push({ type, name: entry.name, complete: true });
      }
    }
    return out.sort((a, b) => (a.type + a.name).localeCompare(b.type + b.name));
  }

  /** Recomputes `sdata_status` from the finished elements and writes it to the root attributes. */
  async updateStatus(): Promise<SdataStatus> {
    const local = this.#writable("update sdata_status");
    const done = new Set(
      (await this.elements()).filter((e) => e.complete).map((e) => elementKey(e.type, e.name)),
    );
    const status = statusFromElements(done);
    await local.set("/.zattrs", jsonBytes(rootAttrs(await this.rootAttrs(), status)));
    return status;
  }

  /** Starts writing image `name` (c, y, x; uint16). */
  async createImage(name: string, options: CreateImageOptions): Promise<ImageWriter> {
    if (options.channelNames.length !== options.channels) {
      throw new ScportraitError(
        "USAGE",
        `Image "${name}": ${options.channelNames.length} channel names for ${options.channels} ` +
          "channels; give one name per channel.",
      );
    }
    const chunk = options.chunk ?? [1, DEFAULT_CHUNK, DEFAULT_CHUNK];
    const spec: RasterSpec = {
      kind: "image",
      name,
      channels: options.channels,
      channelNames: [...options.channelNames],
      height: options.height,
      width: options.width,
      chunk: [chunk[1], chunk[2]],
      dtype: options.dtype ?? "uint16",
      compressor: options.compressor ?? DEFAULT_COMPRESSOR,
      scaleFactors: [...(options.scaleFactors ?? DEFAULT_SCALE_FACTORS)],
    };
    return new ImageWriter(await this.#startRaster("images", spec, options));
  }

  /** Starts writing labels `name` (y, x; uint64 by default). */
  async createLabels(name: string, options: CreateLabelsOptions): Promise<LabelsWriter> {
    const spec: RasterSpec = {
      kind: "labels",
      name,
      channels: 1,
      channelNames: null,
      height: options.height,
      width: options.width,
      chunk: options.chunk ?? [DEFAULT_CHUNK, DEFAULT_CHUNK],
      dtype: options.dtype ?? "uint64",
      compressor: options.compressor ?? DEFAULT_COMPRESSOR,
      scaleFactors: [...(options.scaleFactors ?? DEFAULT_SCALE_FACTORS)],
    };
    return new LabelsWriter(await this.#startRaster("labels", spec, options));
  }

  /** Opens finished image `name`: an `ImageSource` of level 0 with reads on every level. */
  async openImage(name: string): Promise<OmeZarrImage> {
    const key = await this.#finishedKey("images", name);
    const where = `${this.location}/${key}`;
    const meta = await readNgffImageMeta(this.#store, key, where);
    return new OmeZarrImage(where, meta, await openNgffLevels(this.#store, key, meta, where));
  }

  /** Opens finished labels `name`. */
  async openLabels(name: string): Promise<LabelsSource> {
    const key = await this.#finishedKey("labels", name);
    const where = `${this.location}/${key}`;
    const meta = await readNgffImageMeta(this.#store, key, where);
    const levels = await openNgffLevels(this.#store, key, meta, where);
    return new LabelsSource(new OmeZarrImage(where, meta, levels));
  }

  /** Writes points element `name` (e.g. `centers_seg_all_nucleus`): x, y and the cell ids. */
  async writePoints(
    name: string,
    points: PointsData,
    options: { overwrite?: boolean } = {},
  ): Promise<void> {
    validatePoints(name, points);
    await this.#writeWhole("points", name, options, (l, key) => writePointsElement(l, key, points));
  }

  /** Reads points element `name` back (x, y, ids). */
  async readPoints(name: string): Promise<PointsData> {
    const key = await this.#finishedKey("points", name);
    const bytes = await this.#store.get(`/${key}/${POINTS_PARQUET}`);
    const where = `${this.location}/${key}/${POINTS_PARQUET}`;
    if (bytes === undefined) {
      throw new ScportraitError("STORE_INVALID", `${where} is missing: re-create the points.`);
    }
    return await readPointsParquet(bytes, where);
  }

  /** Writes table element `name` (AnnData: cells × features, annotating labels `region`). */
  async writeTable(
    name: string,
    table: TableData,
    options: { overwrite?: boolean } = {},
  ): Promise<void> {
    validateTable(name, table);
    await this.#writeWhole("tables", name, options, (l, key) => writeTableElement(l, key, table));
  }

  /** Deletes element `name` of `type`, finished or not, and updates the status. */
  async deleteElement(type: ElementType, name: string): Promise<void> {
    validateElementName(name);
    const local = this.#writable(`delete ${type}/${name}`);
    for (const key of [elementKey(type, name), incompleteKey(type, name)]) {
      const dir = local.pathOf(key);
      const trash = `${local.pathOf(type)}/.${name}.deleting-${Deno.pid}-${Date.now()}`;
      try {
        await Deno.rename(dir, trash); // the element disappears atomically, then is removed
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) continue;
        throw error;
      }
      await Deno.remove(trash, { recursive: true });
    }
    if (type === "labels") await this.#setLabelsList(name, false);
    await this.updateStatus();
  }

  async #startRaster(
    type: "images" | "labels",
    spec: RasterSpec,
    options: { overwrite?: boolean; resume?: boolean } & WriterRuntime,
  ) {
    const runtime: WriterRuntime = { pool: options.pool, streamPyramid: options.streamPyramid };
    validateElementName(spec.name);
    const local = this.#writable(`create ${type}/${spec.name}`);
    const existing = (await this.elements()).find((e) => e.type === type && e.name === spec.name);
    const overwrite = options.overwrite ?? false;
    if (existing !== undefined && !existing.complete && options.resume && !overwrite) {
      const resumed = await RasterWriter.resume(
        local,
        spec,
        incompleteKey(type, spec.name),
        elementKey(type, spec.name),
        () => this.#afterFinalize(type, spec.name),
        runtime,
      );
      if (resumed !== null) return resumed;
    }
    if (existing !== undefined) {
      if (!overwrite) {
        throw new ScportraitError(
          "ELEMENT_EXISTS",
          `${type}/${spec.name} already exists${existing.complete ? "" : " (unfinished)"} in ` +
            `${this.location}: pass {overwrite: true} to replace it.`,
        );
      }
      await this.deleteElement(type, spec.name);
    }
    if (await local.get(`/${type}/.zgroup`) === undefined) {
      await local.set(`/${type}/.zgroup`, jsonBytes({ zarr_format: 2 }));
    }
    return await RasterWriter.start(
      local,
      spec,
      incompleteKey(type, spec.name),
      elementKey(type, spec.name),
      () => this.#afterFinalize(type, spec.name),
      runtime,
    );
  }

  /** Writes a whole element into its hidden folder, then publishes it with one rename. */
  async #writeWhole(
    type: "points" | "tables",
    name: string,
    options: { overwrite?: boolean },
    write: (local: AtomicFileSystemStore, key: string) => Promise<void>,
  ): Promise<void> {
    validateElementName(name);
    const local = this.#writable(`write ${type}/${name}`);
    const found = (await this.elements()).find((e) => e.type === type && e.name === name);
    const exists = found !== undefined;
    if (found?.complete && !options.overwrite) {
      throw new ScportraitError(
        "ELEMENT_EXISTS",
        `${type}/${name} already exists in ${this.location}: pass {overwrite: true} to replace it.`,
      );
    }
    if (exists) await this.deleteElement(type, name); // also clears a killed write's leftovers
    if (await local.get(`/${type}/.zgroup`) === undefined) {
      await local.set(`/${type}/.zgroup`, jsonBytes({ zarr_format: 2 }));
    }
    const temp = incompleteKey(type, name);
    await write(local, temp);
    await Deno.rename(local.pathOf(temp), local.pathOf(elementKey(type, name)));
    await this.updateStatus();
  }

  async #afterFinalize(type: "images" | "labels", name: string): Promise<void> {
    if (type === "labels") await this.#setLabelsList(name, true);
    await this.updateStatus();
  }

  async #finishedKey(type: ElementType, name: string): Promise<string> {
    validateElementName(name);
    const key = elementKey(type, name);
    if (await this.#store.get(`/${key}/.zattrs`) !== undefined) return key;
    const incomplete = this.#local !== null &&
      await this.#local.get(`/${incompleteKey(type, name)}/.zgroup`) !== undefined;
    throw new ScportraitError(
      incomplete ? "ELEMENT_INCOMPLETE" : "ELEMENT_NOT_FOUND",
      incomplete
        ? `${type}/${name} in ${this.location} was never finalized (its writer stopped early): ` +
          "write it again with {overwrite: true}."
        : `${type}/${name} does not exist in ${this.location}.`,
    );
  }

  /** Adds or removes `name` in `labels/.zattrs` `labels` (the NGFF labels list). */
  async #setLabelsList(name: string, present: boolean): Promise<void> {
    const local = this.#writable("update labels list");
    const bytes = await local.get("/labels/.zattrs");
    const attrs = bytes === undefined
      ? {}
      : parseJsonBytes(bytes, `${this.location}/labels/.zattrs`) as Record<string, unknown>;
    const list = Array.isArray(attrs.labels)
      ? (attrs.labels as string[]).filter((n) => n !== name)
      : [];
    if (present) list.push(name);
    await local.set("/labels/.zattrs", jsonBytes({ ...attrs, labels: list }));
  }

  #writable(action: string): AtomicFileSystemStore {
    if (this.#local === null) {
      throw new ScportraitError(
        "USAGE",
        `Cannot ${action}: ${this.location} is a remote, read-only store.`,
      );
    }
    return this.#local;
  }
}

function rootAttrs(
  previous: Record<string, unknown>,
  status: SdataStatus,
): Record<string, unknown> {
  const sdAttrs = typeof previous.spatialdata_attrs === "object" && previous.spatialdata_attrs
    ? previous.spatialdata_attrs
    : { version: SPATIALDATA_CONTAINER_VERSION };
  return { ...previous, spatialdata_attrs: sdAttrs, sdata_status: status };
}
