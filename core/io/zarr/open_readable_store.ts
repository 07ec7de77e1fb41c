/**
 * Opens a zarr store for reading from a local path, a `file://` URL or an `http(s)://` URL. Remote
 * stores use zarrita's FetchStore: every read is one chunk or metadata request, never a download of
 * the whole store.
 * @module
 */
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import FetchStore from "@zarrita/storage/fetch";
import type { Readable } from "@zarrita/storage";
import { AtomicFileSystemStore } from "./atomic_fs_store.ts";

/** A readable store and where it came from. */
export interface OpenedStore {
  /** The store. */
  store: Readable;
  /** Local directory or URL, for messages. */
  description: string;
  /** The local store when the location is on disk (writable), else null. */
  local: AtomicFileSystemStore | null;
}

/** True when `location` is an http(s) URL. */
export function isRemoteLocation(location: string): boolean {
  return /^https?:\/\//i.test(location);
}

/** Opens `location` (path, file:// or http(s):// URL) as a zarr store for reading. */
export function openReadableStore(location: string): OpenedStore {
  if (isRemoteLocation(location)) {
    const url = location.replace(/\/+$/, "");
    return { store: new FetchStore(url), description: url, local: null };
  }
  const dir = location.startsWith("file://") ? fileURLToPath(location) : path.resolve(location);
  const local = new AtomicFileSystemStore(dir);
  return { store: local, description: dir, local };
}
