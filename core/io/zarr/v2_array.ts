/**
 * Zarr v2 arrays written by hand (zarrita 0.7.5 only creates v3): the `.zarray` document, chunk
 * keys with the `/` separator that NGFF 0.4 requires, and padding of edge chunks to the full chunk
 * shape as zarr v2 stores them.
 * @module
 */
import { ScportraitError } from "../../errors.ts";
import type { ChunkCompressor } from "./chunk_compressor.ts";

/** Integer sample types the writers support. */
export type WritableDtype = "uint8" | "uint16" | "uint32" | "uint64";

/** The `.zarray` document of a zarr v2 array. */
export interface V2ArrayMeta {
  /** Always 2. */
  zarr_format: 2;
  /** Array shape. */
  shape: number[];
  /** Chunk shape. */
  chunks: number[];
  /** numpy dtype string, little-endian, e.g. `<u2`. */
  dtype: string;
  /** Compressor config (numcodecs), or null for raw chunks. */
  compressor: ChunkCompressor;
  /** Value of never-written chunks. */
  fill_value: number;
  /** Row-major. */
  order: "C";
  /** No filters. */
  filters: null;
  /** NGFF 0.4 requires nested chunk keys. */
  dimension_separator: "/";
}

const NUMPY_DTYPES: Record<WritableDtype, string> = {
  uint8: "|u1",
  uint16: "<u2",
  uint32: "<u4",
  uint64: "<u8",
};

/** Bytes per sample of a dtype. */
export function bytesPerSample(dtype: WritableDtype): number {
  return dtype === "uint8" ? 1 : dtype === "uint16" ? 2 : dtype === "uint32" ? 4 : 8;
}

/** Builds the `.zarray` document for a new array. */
export function makeV2ArrayMeta(
  shape: number[],
  chunks: number[],
  dtype: WritableDtype,
  compressor: ChunkCompressor,
): V2ArrayMeta {
  if (shape.length !== chunks.length || chunks.some((c) => !Number.isInteger(c) || c < 1)) {
    throw new ScportraitError(
      "STORE_INVALID",
      `Chunk shape ${JSON.stringify(chunks)} does not fit array shape ${JSON.stringify(shape)}: ` +
        "give one positive integer per axis.",
    );
  }
  return {
    zarr_format: 2,
    shape,
    chunks,
    dtype: NUMPY_DTYPES[dtype],
    compressor,
    fill_value: 0,
    order: "C",
    filters: null,
    dimension_separator: "/",
  };
}

/** Store key of one chunk: `<array>/<i0>/<i1>/…`. */
export function chunkKey(arrayKey: string, chunkIndex: readonly number[]): string {
  return `${arrayKey}/${chunkIndex.join("/")}`;
}

/** Encodes JSON as zarr writes it (2-space indent, UTF-8). */
export function jsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value, null, 2));
}

/** Decodes a JSON document from a store value. */
export function parseJsonBytes(bytes: Uint8Array, where: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (error) {
    throw new ScportraitError(
      "STORE_INVALID",
      `${where} is not valid JSON: the store is damaged; re-create the element.`,
      { cause: error },
    );
  }
}

/**
 * Copies an `h × w` window into a zero-filled full chunk of `chunkH × chunkW` (zarr v2 stores edge
 * chunks at full size), `into` when given (`chunkH × chunkW` samples of the same type). Returns
 * the input itself when it already is a full chunk.
 */
export function padToChunk<T extends Uint8Array | Uint16Array | Uint32Array | BigUint64Array>(
  data: T,
  h: number,
  w: number,
  chunkH: number,
  chunkW: number,
  into?: T,
): T {
  if (h === chunkH && w === chunkW) return data;
  let out: T;
  if (into !== undefined) {
    out = into;
    // deno-lint-ignore no-explicit-any
    (out as any).fill(typeof out[0] === "bigint" ? 0n : 0);
  } else out = new (data.constructor as new (n: number) => T)(chunkH * chunkW);
  for (let row = 0; row < h; row++) {
    // deno-lint-ignore no-explicit-any
    (out as any).set(data.subarray(row * w, row * w + w), row * chunkW);
  }
  return out;
}
