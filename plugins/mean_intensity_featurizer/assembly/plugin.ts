// deno-lint-ignore-file verbatim-module-syntax -- AssemblyScript has no `import type`
/**
 * mean-intensity-featurizer: per cell, the area of each mask and the mean of each image channel
 * inside each mask. The first `masks` planes of a cell are masks (non-zero = inside), the rest
 * are image channels, as in `.h5sc`.
 * @module
 */

import { invalidInput } from "../../sdk/assembly/errors";
import { CellBatch, FeatureMatrix } from "../../sdk/assembly/featurization";
import { RawArray } from "../../sdk/assembly/memory";
import { Params } from "../../sdk/assembly/params";

/** Features: `<mask>_area`, then `<channel>_mean_<mask>` for every channel and mask. */
export function featurize(
  batch: CellBatch,
  channelNames: string[],
  params: Params,
): FeatureMatrix | null {
  const masks = <i32> params.integer("masks", 2, 1, 64);
  if (masks >= batch.channels) {
    invalidInput(
      "params.masks is " + masks.toString() + " but cells have only " +
        batch.channels.toString() + " planes; at least one image channel must follow the masks",
    );
    return null;
  }
  const names = new Array<string>();
  for (let m = 0; m < masks; m++) names.push(unchecked(channelNames[m]) + "_area");
  for (let c = masks; c < batch.channels; c++) {
    for (let m = 0; m < masks; m++) {
      names.push(unchecked(channelNames[c]) + "_mean_" + unchecked(channelNames[m]));
    }
  }
  const k = names.length;
  const values = RawArray.zeroed<f32>(batch.count * k);
  const n = batch.planeSize;
  for (let cell = 0; cell < batch.count; cell++) {
    const row = cell * k;
    for (let m = 0; m < masks; m++) {
      const mask = batch.plane(cell, m);
      let area = 0;
      for (let i = 0; i < n; i++) if (load<f32>(mask + (<usize> i << 2)) != 0) area++;
      values.set(row + m, <f32> area);
      let col = masks + m;
      for (let c = masks; c < batch.channels; c++) {
        const img = batch.plane(cell, c);
        let sum: f64 = 0;
        for (let i = 0; i < n; i++) {
          if (load<f32>(mask + (<usize> i << 2)) != 0) {
            sum += <f64> load<f32>(img + (<usize> i << 2));
          }
        }
        values.set(row + col, area > 0 ? <f32> (sum / <f64> area) : <f32> NaN);
        col += masks;
      }
    }
  }
  return new FeatureMatrix(names, values);
}
