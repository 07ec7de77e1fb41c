/**
 * A fast path for the arrays this project writes and reads most: local, zstd-compressed,
 * little-endian uint16, C order (zarr v2, as `DEFAULT_COMPRESSOR` writes them). A chunk file is
 * read synchronously into one reused buffer and decoded straight into the caller's memory, with
 * no intermediate arrays: through zarrita, each chunk cost a fresh read buffer, sixteen-KiB
 * decode pieces and their join into another fresh buffer, whose page faults and copies took
 * about three times the decoding itself (D75). Any other array is read through zarrita.
 * @module
 */
import type * as zarr from "zarrita";
import type { Readable } from "@zarrita/storage";
import { AtomicFileSystemStore } from "./atomic_fs_store.ts";
import { zstdDecompressInto } from "./zstd_into.ts";

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The `.zarray` fields the fast path depends on. */
interface V2ArrayMeta {
  zarr_format: 2;
  chunks: number[];
  dtype: string;
  compressor: { id: string } | null;
  filters: unknown[] | null;
  order: string;
  fill_value: number | null;
  dimension_separator?: string;
}

/** Reads chunks of one local zstd uint16 zarr v2 array into the caller's memory. */
export class ZstdChunkReader {
  /** Samples per chunk (the product of the chunk shape). */
  readonly chunkSamples: number;
  /** The value of samples of a chunk that was never written. */
  readonly fillValue: number;
  #input = new Uint8Array(0);

  private constructor(
    readonly store: AtomicFileSystemStore,
    readonly arrayPath: string,
    readonly separator: string,
    chunks: readonly number[],
    fillValue: number,
  ) {
    this.chunkSamples = chunks.reduce((a, b) => a * b, 1);
    this.fillValue = fillValue;
  }

  /** A reader for `array` when it qualifies for the fast path (see the module comment), else null. */
  static async open(array: zarr.Array<zarr.DataType, Readable>): Promise<ZstdChunkReader | null> {
    const store = array.store;
    if (!LITTLE_ENDIAN_HOST || !(store instanceof AtomicFileSystemStore)) return null;
    const bytes = await store.get(`${array.path.replace(/\/+$/, "")}/.zarray`);
    if (bytes === undefined) return null; // zarr v3
    let meta: V2ArrayMeta;
    try {
      meta = JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      return null; // zarrita opened it; let zarrita report what is wrong
    }
    const qualifies = meta.zarr_format === 2 && meta.dtype === "<u2" && meta.order === "C" &&
      meta.compressor?.id === "zstd" && (meta.filters === null || meta.filters?.length === 0) &&
      (meta.fill_value === null || Number.isInteger(meta.fill_value));
    if (!qualifies) return null;
    return new ZstdChunkReader(
      store,
      array.path.replace(/^\/+|\/+$/g, ""),
      meta.dimension_separator ?? ".",
      meta.chunks,
      meta.fill_value ?? 0,
    );
  }

  /**
   * Decodes chunk `coords` into `into` (`chunkSamples` samples). Returns false, leaving `into`
   * untouched, when the chunk was never written (the caller fills it with {@link fillValue}).
   * Throws `INPUT_INVALID` naming the file when it cannot be read or decoded.
   */
  read(coords: readonly number[], into: Uint16Array): boolean {
    const file = this.store.pathOf(`${this.arrayPath}/${coords.join(this.separator)}`);
    let handle: Deno.FsFile;
    try {
      handle = Deno.openSync(file, { read: true });
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return false;
      throw error;
    }
    try {
      const size = handle.statSync().size;
      if (this.#input.length < size) this.#input = new Uint8Array(size);
      let read = 0;
      while (read < size) {
        const n = handle.readSync(this.#input.subarray(read, size));
        if (n === null || n === 0) break;
        read += n;
      }
      const target = new Uint8Array(into.buffer, into.byteOffset, this.chunkSamples * 2);
      zstdDecompressInto(this.#input.subarray(0, read), target, file);
      return true;
    } finally {
      handle.close();
    }
  }
}
