/**
 * Cell areas (pixels per label id) of a labels element, counted on level 0 one chunk at a time,
 * so memory is one chunk plus one counter per cell. Runs of equal ids along a row are counted
 * at once.
 * @module
 */
import type { LevelReader } from "./preview_sampler.ts";

/** Pixel count per non-zero label id, in level-0 pixels. */
export async function countLabelAreas(
  source: LevelReader<ArrayLike<number>>,
  onChunk?: () => void,
): Promise<Map<number, number>> {
  const areas = new Map<number, number>();
  const info = source.levels[0];
  const [ch, cw] = info.chunk;
  for (let y = 0; y < info.height; y += ch) {
    for (let x = 0; x < info.width; x += cw) {
      const window = {
        y,
        x,
        height: Math.min(ch, info.height - y),
        width: Math.min(cw, info.width - x),
      };
      const ids = await source.read(0, window);
      let i = 0;
      while (i < ids.length) {
        const v = ids[i];
        let j = i + 1;
        while (j < ids.length && ids[j] === v) j++;
        if (v !== 0) areas.set(v, (areas.get(v) ?? 0) + (j - i));
        i = j;
      }
      onChunk?.();
    }
  }
  return areas;
}

/** Number of level-0 chunks {@link countLabelAreas} reads. */
export function areaChunkCount(source: LevelReader<ArrayLike<number>>): number {
  const info = source.levels[0];
  return Math.ceil(info.height / info.chunk[0]) * Math.ceil(info.width / info.chunk[1]);
}
