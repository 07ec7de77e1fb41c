// deno-lint-ignore-file verbatim-module-syntax -- AssemblyScript has no `import type`
/**
 * threshold-segmentation: a global threshold on the nucleus channel followed by 8-connected
 * component labelling, i.e. `skimage.measure.label(img > t, connectivity=2)` with
 * `t = skimage.filters.threshold_otsu(img)` computed over the whole image by the host, or a fixed
 * `t` from params. Each object's anchor is its first pixel in raster order.
 * @module
 */

import { invalidInput } from "../../sdk/assembly/errors";
import { RawArray } from "../../sdk/assembly/memory";
import { Params } from "../../sdk/assembly/params";
import {
  ChannelStats,
  MaskResult,
  ObjectList,
  SegmentationResult,
  TileRegion,
} from "../../sdk/assembly/segmentation";
import { TileU16 } from "../../sdk/assembly/tile";
import { thresholdObjects } from "./threshold_objects";

/** Segments the tile: pixels strictly above the threshold, 8-connected. */
export function segment(
  tile: TileU16,
  region: TileRegion,
  stats: ChannelStats[],
  params: Params,
): SegmentationResult | null {
  const method = params.choice("method", "otsu", ["otsu", "fixed"]);
  const fixed = params.numberIn("threshold", 0, 0, 65535);
  const channel = <i32> params.integer("channel", 0, 0, 1023);
  const shape = tile.checkShape("tile");
  if (shape.length > 0) {
    invalidInput(shape);
    return null;
  }
  if (channel >= tile.channels) {
    invalidInput(
      "params.channel is " + channel.toString() + " but the tile has " +
        tile.channels.toString() + " channel(s)",
    );
    return null;
  }
  let threshold = fixed;
  if (method == "otsu") {
    let found = false;
    for (let i = 0; i < stats.length; i++) {
      if (unchecked(stats[i]).channel == channel) {
        threshold = unchecked(stats[i]).otsuThreshold;
        found = true;
      }
    }
    if (!found) {
      invalidInput(
        'method "otsu" needs the global otsu-threshold of channel ' + channel.toString() +
          " in stats; the host passed none",
      );
      return null;
    }
  }
  const labels = RawArray.zeroed<u32>(tile.height * tile.width);
  const objects = new ObjectList();
  thresholdObjects(
    tile.plane(channel),
    tile.height,
    tile.width,
    threshold,
    labels,
    objects,
    region.originY,
    region.originX,
  );
  const result = new SegmentationResult();
  result.masks.push(new MaskResult("nucleus", labels, objects));
  return result;
}
