/**
 * The segmentation step's small outputs besides the masks: per-core centre sums (kept on disk
 * until the end so a resumed run needs nothing in memory), the merged centres per mask as
 * `segmentation/centers_seg_all_<mask>.csv` (`id,x,y`, the mean pixel position, as scPortrait's
 * `centers_seg_all_<mask>` points indexed by cell id), and `segmentation/classes.csv` (the cell
 * ids of the first mask, one per line, as scPortrait), and the same centres as the SpatialData
 * points element `points/centers_seg_all_<mask>` (x, y indexed by cell id).
 * @module
 */
import * as path from "node:path";
import { writeFileAtomic } from "../../io/atomic_file.ts";
import { ScportraitError } from "../../errors.ts";
import type { SpatialDataStore } from "../../io/spatialdata/spatialdata_store.ts";
import type { CentreSums } from "./core_assembly.ts";
import { type CentreTable, mergeCentreSums } from "./centre_table.ts";

/**
 * Writes the centre sums of one core (one entry per mask) to `file`: per mask, in order, the
 * number of cells and then `[id, sum y, sum x, count]` per cell, all float64.
 */
export async function writeCoreCentres(
  file: string,
  masks: readonly string[],
  sums: readonly CentreSums[],
): Promise<void> {
  const values = new Float64Array(sums.reduce((n, s) => n + 1 + 4 * s.size, 0));
  let at = 0;
  for (let m = 0; m < masks.length; m++) {
    values[at++] = sums[m].size;
    for (const [id, [sy, sx, n]] of sums[m]) {
      values[at++] = id;
      values[at++] = sy;
      values[at++] = sx;
      values[at++] = n;
    }
  }
  await writeFileAtomic(file, new Uint8Array(values.buffer));
}

/** Merges the centre files of every core: one {@link CentreTable} per mask. */
export async function mergeCoreCentres(
  files: readonly string[],
  masks: readonly string[],
): Promise<CentreTable[]> {
  const runs: Float64Array[][] = masks.map(() => []);
  for (const file of files) {
    const damaged = (cause?: unknown) =>
      new ScportraitError(
        "PROJECT_INVALID",
        `The centre file ${file} is missing or damaged: rerun the segmentation with --overwrite.`,
        { cause },
      );
    const bytes = await Deno.readFile(file).catch((error) => {
      throw damaged(error);
    });
    if (bytes.length % 8 !== 0) throw damaged();
    const values = new Float64Array(bytes.buffer, bytes.byteOffset, bytes.length / 8);
    let at = 0;
    for (let m = 0; m < masks.length; m++) {
      const cells = values[at++];
      if (!(at + 4 * cells <= values.length)) throw damaged();
      runs[m].push(values.subarray(at, at += 4 * cells));
    }
    if (at !== values.length) throw damaged();
  }
  return runs.map(mergeCentreSums);
}

/**
 * The bytes of a text file of `count` lines, in parts of at most 1 MiB through one reused buffer
 * (each part is written before the next is made), so no large string or array ever exists.
 */
function* textParts(
  count: number,
  line: (i: number) => string,
  header = "",
): Generator<Uint8Array> {
  const buffer = new Uint8Array(1 << 20);
  const encoder = new TextEncoder();
  let used = encoder.encodeInto(header, buffer).written;
  for (let i = 0; i < count; i++) {
    const text = line(i);
    if (used + text.length * 3 > buffer.length) {
      yield buffer.subarray(0, used);
      used = 0;
    }
    used += encoder.encodeInto(text, buffer.subarray(used)).written;
  }
  if (used > 0) yield buffer.subarray(0, used);
}

/** Writes `centers_seg_all_<mask>.csv` (`id,x,y`, ids ascending) into `dir`; returns its path. */
export async function writeCentresCsv(
  dir: string,
  mask: string,
  table: CentreTable,
): Promise<string> {
  const file = path.join(dir, `centers_seg_all_${mask}.csv`);
  const line = (i: number) => `${table.ids[i]},${table.x[i]},${table.y[i]}\n`;
  await writeFileAtomic(file, textParts(table.ids.length, line, "id,x,y\n"));
  return file;
}

/** Writes `classes.csv` (one cell id per line, ascending) into `dir`; returns its path. */
export async function writeClassesCsv(dir: string, ids: Float64Array): Promise<string> {
  const file = path.join(dir, "classes.csv");
  await writeFileAtomic(file, textParts(ids.length, (i) => `${ids[i]}\n`));
  return file;
}

/** Writes the centres of `mask` as points `centers_seg_all_<mask>`; returns its project path. */
export async function writeCentresPoints(
  store: SpatialDataStore,
  mask: string,
  table: CentreTable,
): Promise<string> {
  const ids = new BigUint64Array(table.ids.length);
  for (let i = 0; i < ids.length; i++) ids[i] = BigInt(table.ids[i]);
  const name = `centers_seg_all_${mask}`;
  await store.writePoints(name, { x: table.x, y: table.y, ids }, { overwrite: true });
  return `scportrait.sdata/points/${name}`;
}
