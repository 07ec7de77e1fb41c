/**
 * The merged centres of one mask: every cell id, ascending, with its mean pixel position. Per-core
 * partial sums (a cell spanning several cores has one entry per core) are merged in typed arrays —
 * about 60 bytes per cell at the peak instead of the ~900 a `Map` of arrays and the CSV strings
 * took — so the end of a whole-slide run (hundreds of thousands of cells) stays within the memory
 * the tiles needed.
 * @module
 */

/** The cells of one mask: `ids` ascending; `y`, `x` their mean pixel row and column. */
export interface CentreTable {
  /** Cell ids, ascending. */
  ids: Float64Array;
  /** Mean row of each cell's pixels. */
  y: Float64Array;
  /** Mean column of each cell's pixels. */
  x: Float64Array;
}

/**
 * Merges partial sums, each a flat run of `[id, sum y, sum x, pixel count]` quadruples (one run
 * per core, an id at most once per run), into a {@link CentreTable}.
 */
export function mergeCentreSums(runs: readonly ArrayLike<number>[]): CentreTable {
  let entries = 0;
  for (const run of runs) entries += run.length / 4;
  const flat = new Float64Array(entries * 4);
  let at = 0;
  for (const run of runs) {
    for (let i = 0; i < run.length; i++) flat[at++] = run[i];
  }
  const order = new Uint32Array(entries);
  for (let i = 0; i < entries; i++) order[i] = i;
  order.sort((a, b) => flat[a * 4] - flat[b * 4]);
  let cells = 0;
  for (let k = 0; k < entries; k++) {
    if (k === 0 || flat[order[k] * 4] !== flat[order[k - 1] * 4]) cells++;
  }
  const table = {
    ids: new Float64Array(cells),
    y: new Float64Array(cells),
    x: new Float64Array(cells),
  };
  let k = 0;
  for (let c = 0; c < cells; c++) {
    const id = flat[order[k] * 4];
    let sy = 0, sx = 0, n = 0;
    for (; k < entries && flat[order[k] * 4] === id; k++) {
      const e = order[k] * 4;
      sy += flat[e + 1];
      sx += flat[e + 2];
      n += flat[e + 3];
    }
    table.ids[c] = id;
    table.y[c] = sy / n;
    table.x[c] = sx / n;
  }
  return table;
}
