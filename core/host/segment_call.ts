/**
 * Typed helper for the segmentation world: validates the tile's shape on the host side, moves the
 * tile's pixels into a worker by transfer and returns the plugin's masks (labels moved back).
 * @module
 */

import { ScportraitError } from "../errors.ts";
import type { PluginPool } from "./plugin_pool.ts";
import { interfaceName } from "./plugin_worlds.ts";
import type {
  ChannelStats,
  SegmentationResult,
  TileRegion,
  TileU16,
} from "./segmentation_types.ts";

/** Fully qualified name of the segmentation world's `segment` function. */
export const SEGMENT_FN = `${interfaceName("segmentation")}#segment`;

/** Options of {@link segmentTile}. */
export interface SegmentCallOptions {
  /** Copy the tile instead of transferring (detaching) its buffer. Default false. */
  copy?: boolean;
  /**
   * Receives the transferred tile buffer back after the call, to be filled with another tile.
   * With it, a tile that views the start of a larger buffer moves that whole buffer.
   */
  recycle?: (buffer: ArrayBuffer) => void;
  /**
   * Label buffers of earlier results the caller is done with (transferred): the worker copies
   * this call's label planes into the first bytes of those large enough instead of fresh memory,
   * so a label plane may view the start of a larger buffer.
   */
  spares?: ArrayBuffer[];
}

/**
 * Runs `segment(tile, region, stats, params)` on the pool. `params` is the JSON object (or its
 * text) already validated against the manifest's schema. Unless `copy` is set, `tile.data`'s
 * buffer is transferred and is detached afterwards.
 */
export async function segmentTile(
  pool: PluginPool,
  tile: TileU16,
  region: TileRegion,
  stats: ChannelStats[],
  params: string | Record<string, unknown>,
  options: SegmentCallOptions = {},
): Promise<SegmentationResult> {
  const expected = tile.channels * tile.height * tile.width;
  if (!(tile.data instanceof Uint16Array) || tile.data.length !== expected) {
    throw new ScportraitError(
      "INPUT_INVALID",
      `Tile for plugin ${pool.component.name} has ${tile.data?.length} pixels, expected ` +
        `channels*height*width = ${tile.channels}*${tile.height}*${tile.width} = ${expected}.`,
    );
  }
  const paramText = typeof params === "string" ? params : JSON.stringify(params);
  let data = tile.data;
  const transfer: Transferable[] = [];
  if (options.copy) data = data.slice();
  else if (
    data.byteOffset !== 0 ||
    (data.byteLength !== data.buffer.byteLength && options.recycle === undefined)
  ) {
    // a view into a larger buffer: move only its own pixels, unless the buffer is the caller's
    // to recycle (it comes back whole through `recycle`)
    data = data.slice();
  }
  if (data.buffer instanceof ArrayBuffer) transfer.push(data.buffer);
  const recycle = options.recycle;
  const result = await pool.call(
    SEGMENT_FN,
    [{ ...tile, data }, region, stats, paramText],
    transfer,
    { onInputs: recycle && ((buffers) => buffers.forEach(recycle)), spares: options.spares },
  );
  return result as SegmentationResult;
}
