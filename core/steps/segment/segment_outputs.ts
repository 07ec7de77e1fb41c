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
import { writeFileAtomic, writeJsonAtomic } from "../../io/atomic_file.ts";
import { ScportraitError } from "../../errors.ts";
import type { SpatialDataStore } from "../../io/spatialdata/spatialdata_store.ts";
import type { CentreSums } from "./core_assembly.ts";

/** Writes the centre sums of one core (one entry per mask) to `file`. */
export async function writeCoreCentres(
  file: string,
  masks: readonly string[],
  sums: readonly CentreSums[],
): Promise<void> {
  const doc: Record<string, number[]> = {};
  masks.forEach((mask, m) => {
    const flat: number[] = [];
    for (const [id, [sy, sx, n]] of sums[m]) flat.push(id, sy, sx, n);
    doc[mask] = flat;
  });
  await writeJsonAtomic(file, doc, { noSync: false });
}

/** Merges the centre files of every core: per mask, id → [sum y, sum x, count]. */
export async function mergeCoreCentres(
  files: readonly string[],
  masks: readonly string[],
): Promise<CentreSums[]> {
  const merged = masks.map(() => new Map<number, [number, number, number]>());
  for (const file of files) {
    let doc: Record<string, number[]>;
    try {
      doc = JSON.parse(await Deno.readTextFile(file));
    } catch (error) {
      throw new ScportraitError(
        "PROJECT_INVALID",
        `The centre file ${file} is missing or damaged: rerun the segmentation with --overwrite.`,
        { cause: error },
      );
    }
    masks.forEach((mask, m) => {
      const flat = doc[mask] ?? [];
      for (let i = 0; i < flat.length; i += 4) {
        const entry = merged[m].get(flat[i]);
        if (entry === undefined) merged[m].set(flat[i], [flat[i + 1], flat[i + 2], flat[i + 3]]);
        else {
          entry[0] += flat[i + 1];
          entry[1] += flat[i + 2];
          entry[2] += flat[i + 3];
        }
      }
    });
  }
  return merged;
}

/** Sorted ids of a mask's cells. */
export function sortedIds(sums: CentreSums): number[] {
  return [...sums.keys()].sort((a, b) => a - b);
}

/** Writes `centers_seg_all_<mask>.csv` (`id,x,y`, ids ascending) into `dir`; returns its path. */
export async function writeCentresCsv(
  dir: string,
  mask: string,
  sums: CentreSums,
): Promise<string> {
  const lines = ["id,x,y"];
  for (const id of sortedIds(sums)) {
    const [sy, sx, n] = sums.get(id)!;
    lines.push(`${id},${sx / n},${sy / n}`);
  }
  const file = path.join(dir, `centers_seg_all_${mask}.csv`);
  await writeFileAtomic(file, lines.join("\n") + "\n");
  return file;
}

/** Writes `classes.csv` (one cell id per line, ascending) into `dir`; returns its path. */
export async function writeClassesCsv(dir: string, ids: readonly number[]): Promise<string> {
  const file = path.join(dir, "classes.csv");
  await writeFileAtomic(file, ids.map((id) => `${id}\n`).join(""));
  return file;
}

/** Writes the centres of `mask` as points `centers_seg_all_<mask>`; returns its project path. */
export async function writeCentresPoints(
  store: SpatialDataStore,
  mask: string,
  sums: CentreSums,
): Promise<string> {
  const ids = sortedIds(sums);
  const x = new Float64Array(ids.length);
  const y = new Float64Array(ids.length);
  ids.forEach((id, i) => {
    const [sy, sx, n] = sums.get(id)!;
    x[i] = sx / n;
    y[i] = sy / n;
  });
  const name = `centers_seg_all_${mask}`;
  await store.writePoints(name, { x, y, ids: BigUint64Array.from(ids, BigInt) }, {
    overwrite: true,
  });
  return `scportrait.sdata/points/${name}`;
}
