/**
 * Worker that renders full-width bands of a synthetic image for `writeSyntheticTiff`. It rebuilds
 * the (stateless) generator from its options, so bands render identically on any thread.
 * @module
 */
import { generateSynthetic, type SyntheticOptions } from "./synthetic_generator.ts";

/** A band request. */
export interface BandRequest {
  /** Generator options. */
  options: SyntheticOptions;
  /** First row. */
  y: number;
  /** Rows. */
  rows: number;
  /** Also render masks. */
  masks: boolean;
  /** Job number echoed back. */
  job: number;
}

/** A rendered band. */
export interface BandResult {
  /** Job number. */
  job: number;
  /** Channels. */
  channels: Uint16Array[];
  /** Nucleus mask, if asked. */
  nucleus?: Uint32Array;
  /** Cell mask, if asked. */
  cell?: Uint32Array;
  /** Error message, if rendering failed. */
  error?: string;
}

const scope = self as unknown as Worker;

scope.addEventListener("message", (event: MessageEvent<BandRequest>) => {
  const { options, y, rows, masks, job } = event.data;
  try {
    const image = generateSynthetic(options);
    const result: BandResult = { job, channels: [] };
    if (masks) {
      const r = image.renderAll(y, 0, rows, image.width);
      Object.assign(result, { channels: r.channels, nucleus: r.nucleus, cell: r.cell });
    } else {
      result.channels = image.renderChannels(y, 0, rows, image.width);
    }
    const buffers = [...result.channels, result.nucleus, result.cell]
      .filter((a) => a !== undefined).map((a) => a!.buffer as ArrayBuffer);
    scope.postMessage(result, buffers);
  } catch (error) {
    scope.postMessage({ job, channels: [], error: String(error) });
  }
});
