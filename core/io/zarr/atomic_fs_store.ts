/**
 * A zarrita store on the local file system whose writes are atomic: each value is written to a
 * temporary file in the same directory and renamed over the key, so a killed writer never leaves a
 * truncated chunk or metadata document behind (the `@zarrita/storage` FileSystemStore writes in
 * place).
 * @module
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ScportraitError } from "../../errors.ts";

type RangeQuery = { offset: number; length: number } | { suffixLength: number };

function isNotFound(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error &&
    (error as { code: string }).code === "ENOENT";
}

let tempCounter = 0;

/** Local directory store with atomic `set` (temp file + rename). */
export class AtomicFileSystemStore {
  /** Root directory of the store. */
  readonly root: string;

  /** Opens (does not create) a store rooted at directory `root`. */
  constructor(root: string) {
    this.root = path.resolve(root);
  }

  /** Absolute file path of store key `key` (`/a/b` or `a/b`). */
  pathOf(key: string): string {
    const rel = key.startsWith("/") ? key.slice(1) : key;
    if (rel.split("/").some((part) => part === "..")) {
      throw new ScportraitError("STORE_INVALID", `Zarr key ${key} escapes the store ${this.root}.`);
    }
    return path.join(this.root, rel);
  }

  /** Reads a whole value, or `undefined` when the key does not exist. */
  async get(key: string, opts: { signal?: AbortSignal } = {}): Promise<Uint8Array | undefined> {
    opts.signal?.throwIfAborted();
    try {
      return await Deno.readFile(this.pathOf(key), { signal: opts.signal });
    } catch (error) {
      if (error instanceof Deno.errors.NotFound || isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Reads a byte range of a value (used for sharded v3 arrays). */
  async getRange(
    key: string,
    range: RangeQuery,
    opts: { signal?: AbortSignal } = {},
  ): Promise<Uint8Array | undefined> {
    opts.signal?.throwIfAborted();
    let file: Deno.FsFile | undefined;
    try {
      file = await Deno.open(this.pathOf(key), { read: true });
      const size = (await file.stat()).size;
      const offset = "suffixLength" in range ? size - range.suffixLength : range.offset;
      const length = "suffixLength" in range ? range.suffixLength : range.length;
      const out = new Uint8Array(length);
      await file.seek(offset, Deno.SeekMode.Start);
      let read = 0;
      while (read < length) {
        const n = await file.read(out.subarray(read));
        if (n === null) break;
        read += n;
      }
      return out.subarray(0, read);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound || isNotFound(error)) return undefined;
      throw error;
    } finally {
      file?.close();
    }
  }

  /** Writes a value atomically: temp file in the same directory, then rename over the key. */
  async set(key: string, value: Uint8Array): Promise<void> {
    const target = this.pathOf(key);
    const dir = path.dirname(target);
    await fs.promises.mkdir(dir, { recursive: true });
    const temp = path.join(dir, `.${path.basename(target)}.${Deno.pid}.${tempCounter++}.tmp`);
    try {
      await Deno.writeFile(temp, value);
      await Deno.rename(temp, target);
    } catch (error) {
      await Deno.remove(temp).catch(() => {});
      throw new ScportraitError(
        "STORE_INVALID",
        `Could not write ${target}: check free disk space and write permission.`,
        { cause: error },
      );
    }
  }

  /** Deletes a value; true if it existed. */
  async delete(key: string): Promise<boolean> {
    try {
      await Deno.remove(this.pathOf(key));
      return true;
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return false;
      throw error;
    }
  }
}
