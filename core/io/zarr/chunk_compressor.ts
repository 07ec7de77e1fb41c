/**
 * Chunk compressors for the zarr v2 arrays we write, as plain JSON configs (the `.zarray`
 * `compressor` field) plus a pure `encodeChunk` function. Encoding has no other state, so it can run
 * on the main thread or in a Worker that hands pre-encoded bytes to a writer.
 * @module
 */
import * as zlib from "node:zlib";
import { ScportraitError } from "../../errors.ts";

/** Blosc compressor config as numcodecs (Python) writes it in `.zarray`. */
export interface BloscCompressor {
  /** numcodecs codec id. */
  id: "blosc";
  /** Inner compressor. `lz4` is the fast default. */
  cname: "lz4" | "lz4hc" | "zstd" | "zlib" | "blosclz";
  /** Compression level 0–9. */
  clevel: number;
  /** 0 = none, 1 = byte shuffle, 2 = bit shuffle. */
  shuffle: 0 | 1 | 2;
  /** Block size in bytes; 0 lets blosc choose. */
  blocksize: number;
}

/** Zstandard compressor config as numcodecs writes it in `.zarray`. */
export interface ZstdCompressor {
  /** numcodecs codec id. */
  id: "zstd";
  /** Compression level (1–22; 1–3 are fast). */
  level: number;
}

/** A compressor we can encode with. `null` stores raw chunks. */
export type ChunkCompressor = BloscCompressor | ZstdCompressor | null;

/**
 * The default: native zstd level 1 (node:zlib). On real microscopy chunks it encoded 1.4–1.7× faster
 * than wasm blosc-lz4 and compressed about 2× smaller (measurements in docs/readme/store.md).
 */
export const DEFAULT_COMPRESSOR: ZstdCompressor = { id: "zstd", level: 1 };

/** Blosc-lz4 with byte shuffle, level 5: what spatialdata writes with `raster_compressor={"lz4": 5}`. */
export const BLOSC_LZ4_COMPRESSOR: BloscCompressor = {
  id: "blosc",
  cname: "lz4",
  clevel: 5,
  shuffle: 1,
  blocksize: 0,
};

/**
 * Zstandard-compresses `bytes` natively (node:zlib). The frame records the content size
 * (`pledgedSrcSize`): without it Python numcodecs 0.11 refuses to decode the chunk.
 */
export function zstdCompress(bytes: Uint8Array, level: number): Uint8Array {
  const options = {
    pledgedSrcSize: bytes.byteLength,
    // one output buffer the size of the worst case: the default 16 KiB chunks are concatenated
    // afterwards, which cost ~30% of the encode time for a 2 MB chunk
    chunkSize: Math.max(64, bytes.byteLength + (bytes.byteLength >> 7) + 1024),
    params: { [zlib.constants.ZSTD_c_compressionLevel]: level },
  } as zlib.ZstdOptions;
  const out = zlib.zstdCompressSync(bytes, options);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

// deno-lint-ignore no-explicit-any
const bloscCache = new Map<string, any>();

/**
 * Compresses one chunk's raw little-endian bytes with `compressor` and returns the bytes to store.
 * Pure apart from a codec cache; safe to call from Workers.
 */
export async function encodeChunk(
  compressor: ChunkCompressor,
  raw: Uint8Array,
): Promise<Uint8Array> {
  if (compressor === null) return raw;
  if (compressor.id === "zstd") {
    return zstdCompress(raw, compressor.level);
  }
  if (compressor.id === "blosc") {
    const key =
      `${compressor.cname}/${compressor.clevel}/${compressor.shuffle}/${compressor.blocksize}`;
    let codec = bloscCache.get(key);
    if (codec === undefined) {
      // loaded on first use: the wasm module costs ~1 s of start-up in every Worker otherwise
      const { default: Blosc } = await import("numcodecs/blosc");
      codec = Blosc.fromConfig({
        id: "blosc",
        cname: compressor.cname,
        clevel: compressor.clevel,
        shuffle: compressor.shuffle,
        blocksize: compressor.blocksize,
      });
      bloscCache.set(key, codec);
    }
    return await codec.encode(raw);
  }
  throw new ScportraitError(
    "STORE_INVALID",
    `Unknown chunk compressor ${JSON.stringify(compressor)}: use {id: "blosc"} or {id: "zstd"}.`,
  );
}
