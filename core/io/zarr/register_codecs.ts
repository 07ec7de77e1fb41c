/**
 * Codec fixes for zarrita 0.7.5 under Deno, registered once before any array is opened:
 * native zstd and gzip through `node:zlib` (zarrita has no gzip encoder and its wasm zstd is slower),
 * and a blosc adapter that accepts the v3 string form of `shuffle` (numcodecs.js wants an integer and
 * silently drops the shuffle otherwise).
 * @module
 */
import * as zlib from "node:zlib";
import * as zarr from "zarrita";
import Blosc from "numcodecs/blosc";
import { zstdCompress } from "./chunk_compressor.ts";

function view(buf: Uint8Array): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

class NodeZstd {
  readonly kind = "bytes_to_bytes";
  constructor(readonly level: number) {}
  static fromConfig(config: { level?: number } = {}): NodeZstd {
    return new NodeZstd(config?.level ?? 1);
  }
  encode(bytes: Uint8Array): Uint8Array {
    return zstdCompress(bytes, this.level);
  }
  decode(bytes: Uint8Array): Uint8Array {
    // pieces just under glibc's mmap threshold (1 MiB, see D72), then joined, came out cheapest
    // for 2 MB chunks (D75): 16 KiB pieces cost more in allocation, and pieces of the frame's
    // size are fresh mappings whose first-touch page faults cost more than the join
    return view(zlib.zstdDecompressSync(bytes, { chunkSize: 1024 * 1024 - 4096 }));
  }
}

class NodeGzip {
  readonly kind = "bytes_to_bytes";
  constructor(readonly level: number) {}
  static fromConfig(config: { level?: number } = {}): NodeGzip {
    return new NodeGzip(config?.level ?? 5);
  }
  encode(bytes: Uint8Array): Uint8Array {
    return view(zlib.gzipSync(bytes, { level: this.level }));
  }
  decode(bytes: Uint8Array): Uint8Array {
    return view(zlib.gunzipSync(bytes));
  }
}

const SHUFFLE_CODES: Record<string, number> = { noshuffle: 0, shuffle: 1, bitshuffle: 2 };

class BloscAdapter {
  readonly kind = "bytes_to_bytes";
  // deno-lint-ignore no-explicit-any
  constructor(readonly inner: any) {}
  static fromConfig(
    config: { cname?: string; clevel?: number; shuffle?: number | string; blocksize?: number },
  ): BloscAdapter {
    const shuffle = typeof config.shuffle === "string"
      ? (SHUFFLE_CODES[config.shuffle] ?? 1)
      : (config.shuffle ?? 1);
    return new BloscAdapter(Blosc.fromConfig({
      id: "blosc",
      cname: config.cname ?? "lz4",
      clevel: config.clevel ?? 5,
      shuffle: shuffle as 0 | 1 | 2,
      blocksize: config.blocksize ?? 0,
    }));
  }
  encode(bytes: Uint8Array): Promise<Uint8Array> {
    return this.inner.encode(bytes);
  }
  decode(bytes: Uint8Array): Promise<Uint8Array> {
    return this.inner.decode(bytes);
  }
}

let registered = false;

/** Registers the codec fixes in zarrita's global registry. Idempotent; call before opening arrays. */
export function registerZarrCodecs(): void {
  if (registered) return;
  registered = true;
  // deno-lint-ignore no-explicit-any
  const registry = zarr.registry as Map<string, () => any>;
  registry
    .set("zstd", () => NodeZstd)
    .set("numcodecs.zstd", () => NodeZstd)
    .set("gzip", () => NodeGzip)
    .set("numcodecs.gzip", () => NodeGzip)
    .set("blosc", () => BloscAdapter)
    .set("numcodecs.blosc", () => BloscAdapter);
}
