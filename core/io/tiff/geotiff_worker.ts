/**
 * Module worker that decodes TIFF tiles/strips for geotiff's `Pool` (Deno has no classic
 * workers). Speaks geotiff 3.x's pool protocol: `{compression, decoderParameters, buffer, …extra}`
 * in, `{decoded, …extra}` or `{error, …extra}` out.
 * @module
 */
import { getDecoder } from "geotiff";
import { useNodeZlibForDeflate } from "./zlib_deflate_decoder.ts";

useNodeZlibForDeflate();

/** A decode job as geotiff's `Pool` posts it. */
interface DecodeJob {
  compression: number;
  decoderParameters: Parameters<typeof getDecoder>[1];
  buffer: ArrayBuffer;
  [extra: string]: unknown;
}

const scope = self as unknown as Worker;

scope.addEventListener("message", async (event: MessageEvent<DecodeJob>) => {
  const { compression, decoderParameters, buffer, ...extra } = event.data;
  try {
    const decoder = await getDecoder(compression, decoderParameters);
    const decoded = (await decoder.decode(buffer)) as ArrayBuffer;
    scope.postMessage({ decoded, ...extra }, [decoded]);
  } catch (error) {
    scope.postMessage({ error: error instanceof Error ? error.message : String(error), ...extra });
  }
});
