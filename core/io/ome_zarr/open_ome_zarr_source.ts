/**
 * Opens an OME-Zarr image (NGFF 0.4 on zarr v2, or 0.5 on zarr v3) from a local path or an
 * http(s) URL as an `ImageSource` of its full-resolution level. Remote images are read chunk by
 * chunk with HTTP requests, never downloaded whole.
 * @module
 */
import { ScportraitError } from "../../errors.ts";
import { openReadableStore } from "../zarr/open_readable_store.ts";
import { openNgffLevels, readNgffImageMeta } from "./ngff_reader.ts";
import { OmeZarrImage } from "./ome_zarr_image.ts";

/** Options of {@link openOmeZarrSource}. */
export interface OpenOmeZarrOptions {
  /** Cancels the metadata requests. */
  signal?: AbortSignal;
}

/** Opens the OME-Zarr image group at `location` (path, file:// or http(s):// URL). */
export async function openOmeZarrSource(
  location: string,
  options: OpenOmeZarrOptions = {},
): Promise<OmeZarrImage> {
  const { store, description } = openReadableStore(location);
  try {
    const meta = await readNgffImageMeta(store, "", description, options.signal);
    const arrays = await openNgffLevels(store, "", meta, description);
    return new OmeZarrImage(description, meta, arrays);
  } catch (error) {
    if (error instanceof ScportraitError) throw error;
    throw new ScportraitError(
      "INPUT_NOT_FOUND",
      `Could not open OME-Zarr image ${description}: check the path or URL and that it is ` +
        "reachable.",
      { cause: error },
    );
  }
}
