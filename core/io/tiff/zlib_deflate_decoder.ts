/**
 * Registers a deflate decoder for geotiff backed by `node:zlib` (native) instead of geotiff's
 * pure-JS pako, for TIFF compression 8 and 32946. Must run in every thread that decodes (the main
 * thread and each `geotiff_worker.ts`).
 * @module
 */
import { inflateSync } from "node:zlib";
import { addDecoder, BaseDecoder } from "geotiff";

class ZlibDeflateDecoder extends BaseDecoder {
  /** Inflates one strip or tile into a buffer it owns (the predictor is applied by the base). */
  override decodeBlock(buffer: ArrayBufferLike): ArrayBuffer {
    const out = inflateSync(new Uint8Array(buffer));
    return out.buffer.slice(out.byteOffset, out.byteOffset + out.byteLength) as ArrayBuffer;
  }
}

let registered = false;

/** Makes geotiff decode deflate with node:zlib in this thread (idempotent). */
export function useNodeZlibForDeflate(): void {
  if (registered) return;
  registered = true;
  addDecoder([8, 32946], () => Promise.resolve(ZlibDeflateDecoder as never));
}
