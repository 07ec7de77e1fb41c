/**
 * Reads OME-Zarr image metadata: NGFF 0.4 (zarr v2, `.zattrs`) and 0.5 (zarr v3, `zarr.json`
 * `attributes.ome`). Returns the first multiscale's axes, level paths and channel labels, and opens
 * the level arrays with zarrita.
 * @module
 */
import * as zarr from "zarrita";
import type { Readable } from "@zarrita/storage";
import { ScportraitError } from "../../errors.ts";
import { registerZarrCodecs } from "../zarr/register_codecs.ts";
import { parseJsonBytes } from "../zarr/v2_array.ts";

/** What an OME-Zarr image group says about itself. */
export interface NgffImageMeta {
  /** `2` (NGFF ≤ 0.4) or `3` (NGFF 0.5). */
  zarrFormat: 2 | 3;
  /** NGFF version string from the metadata (may be a spatialdata variant). */
  version: string;
  /** Axis names in array order, e.g. `["c", "y", "x"]`. */
  axes: string[];
  /** Array paths of the levels, full resolution first. */
  paths: string[];
  /** `omero.channels[].label`, if present. */
  channelLabels: string[] | null;
  /** All group attributes (for v3: the `ome` object merged with the others). */
  attrs: Record<string, unknown>;
}

type Json = Record<string, unknown>;

function asObject(value: unknown): Json | null {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? value as Json
    : null;
}

/** Reads the NGFF metadata of the image group at `key` ("" for the store root). */
export async function readNgffImageMeta(
  store: Readable,
  key: string,
  where: string,
  signal?: AbortSignal,
): Promise<NgffImageMeta> {
  const prefix = key === "" ? "/" : `/${key.replace(/^\/+|\/+$/g, "")}/`;
  const v3 = await store.get(`${prefix}zarr.json` as `/${string}`, { signal });
  let attrs: Json;
  let zarrFormat: 2 | 3;
  if (v3 !== undefined) {
    const doc = asObject(parseJsonBytes(v3, `${where}/zarr.json`)) ?? {};
    const all = asObject(doc.attributes) ?? {};
    attrs = { ...all, ...(asObject(all.ome) ?? {}) };
    zarrFormat = 3;
  } else {
    const v2 = await store.get(`${prefix}.zattrs` as `/${string}`, { signal });
    if (v2 === undefined) {
      throw new ScportraitError(
        "INPUT_NOT_FOUND",
        `${where} has no .zattrs or zarr.json: give the path or URL of an OME-Zarr image group.`,
      );
    }
    attrs = asObject(parseJsonBytes(v2, `${where}/.zattrs`)) ?? {};
    zarrFormat = 2;
  }
  const multiscales = attrs.multiscales;
  const first = Array.isArray(multiscales) ? asObject(multiscales[0]) : null;
  const datasets = first && Array.isArray(first.datasets) ? first.datasets : null;
  if (first === null || datasets === null || datasets.length === 0) {
    throw new ScportraitError(
      "INPUT_INVALID",
      `${where} has no "multiscales" with datasets in its metadata: it is not an OME-Zarr image.`,
    );
  }
  const paths = datasets.map((d) => String(asObject(d)?.path ?? ""));
  const rawAxes = Array.isArray(first.axes) ? first.axes : ["t", "c", "z", "y", "x"];
  const axes = rawAxes.map((a) => typeof a === "string" ? a : String(asObject(a)?.name ?? ""));
  const omero = asObject(attrs.omero);
  const channels = omero && Array.isArray(omero.channels) ? omero.channels : null;
  const channelLabels = channels === null
    ? null
    : channels.map((c, i) => String(asObject(c)?.label ?? `channel_${i}`));
  const version = String(first.version ?? attrs.version ?? (zarrFormat === 3 ? "0.5" : "0.4"));
  return { zarrFormat, version, axes, paths, channelLabels, attrs };
}

/** Opens the level arrays listed in `meta` under group `key`. */
export async function openNgffLevels(
  store: Readable,
  key: string,
  meta: NgffImageMeta,
  where: string,
): Promise<zarr.Array<zarr.DataType, Readable>[]> {
  registerZarrCodecs();
  const root = zarr.root(store);
  const base = key === "" ? "" : `${key.replace(/^\/+|\/+$/g, "")}/`;
  const arrays = [];
  for (const levelPath of meta.paths) {
    const location = root.resolve(`${base}${levelPath}`);
    try {
      arrays.push(
        meta.zarrFormat === 2
          ? await zarr.open.v2(location, { kind: "array", attrs: false })
          : await zarr.open.v3(location, { kind: "array" }),
      );
    } catch (error) {
      throw new ScportraitError(
        "INPUT_INVALID",
        `${where}: level "${levelPath}" listed in multiscales cannot be opened as a zarr array.`,
        { cause: error },
      );
    }
  }
  return arrays;
}
