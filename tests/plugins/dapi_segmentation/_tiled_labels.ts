/**
 * Test helper: exact tiling comparison for the classical segmentation plugins. Segments an image
 * whole and in `core`-sized tiles with a `halo`, assembles the tiles as the segmentation driver
 * does (a cell belongs to the tile whose core holds its anchor; ids are
 * `anchorY · width + anchorX + 1`), and counts the pixels whose id differs from the whole-image
 * result, per mask. Pixels claimed by two tiles with different ids count as differing.
 * @module
 */

import type { SegmentationResult } from "../../../core/host/segmentation_types.ts";
import { pluginParams } from "../../../core/steps/segment/segmentation_plugin.ts";
import { hostStats, type Planes, type PooledPlugin, segmentWhole } from "./_segment_harness.ts";

/** Per mask: pixels whose id differs from the whole image, and the whole image's cells. */
export interface TilingDifference {
  /** Mask name. */
  mask: string;
  /** Differing pixels (0 = tiling-invariant). */
  differing: number;
  /** Cells in the whole-image result. */
  cells: number;
}

/** Global id images (anchor ids) of a whole-image result, one per mask. */
function wholeIds(r: SegmentationResult, width: number): Float64Array[] {
  return r.masks.map((m) => {
    const id = new Map<number, number>();
    for (const o of m.objects) id.set(o.label, o.anchorY * width + o.anchorX + 1);
    return Float64Array.from(m.labels, (l) => (l === 0 ? 0 : id.get(l)!));
  });
}

/** Segments whole and tiled; returns the per-mask differences (see the module comment). */
export async function tilingDifferences(
  p: PooledPlugin,
  img: Planes,
  params: Record<string, unknown>,
  core: number,
  halo: number,
): Promise<TilingDifference[]> {
  const { height: H, width: W } = img;
  const stats = hostStats(p.manifest, img.planes);
  const whole = await segmentWhole(p, img, params, stats);
  const reference = wholeIds(whole, W);
  const assembled = reference.map(() => new Float64Array(H * W));
  const conflicts = reference.map(() => 0);
  const validated = pluginParams(p.manifest, params);
  const jobs: Promise<void>[] = [];
  for (let cy = 0; cy < H; cy += core) {
    for (let cx = 0; cx < W; cx += core) {
      const ch = Math.min(core, H - cy), cw = Math.min(core, W - cx);
      const y0 = Math.max(0, cy - halo), x0 = Math.max(0, cx - halo);
      const th = Math.min(H, cy + ch + halo) - y0, tw = Math.min(W, cx + cw + halo) - x0;
      const data = new Uint16Array(img.planes.length * th * tw);
      img.planes.forEach((plane, c) => {
        for (let y = 0; y < th; y++) {
          const row = (y0 + y) * W + x0;
          data.set(plane.subarray(row, row + tw), (c * th + y) * tw);
        }
      });
      const tile = { channels: img.planes.length, height: th, width: tw, data };
      const region = {
        originY: y0,
        originX: x0,
        imageHeight: H,
        imageWidth: W,
        coreY: cy - y0,
        coreX: cx - x0,
        coreHeight: ch,
        coreWidth: cw,
      };
      jobs.push(
        p.pool.segment(tile, region, stats, validated).then((r) => {
          r.masks.forEach((m, mi) => {
            const owned = new Map<number, number>();
            for (const o of m.objects) {
              const inCore = o.anchorY >= cy && o.anchorY < cy + ch && o.anchorX >= cx &&
                o.anchorX < cx + cw;
              if (inCore) owned.set(o.label, o.anchorY * W + o.anchorX + 1);
            }
            for (let y = 0; y < th; y++) {
              for (let x = 0; x < tw; x++) {
                const id = owned.get(m.labels[y * tw + x]);
                if (id === undefined) continue;
                const g = (y0 + y) * W + x0 + x;
                if (assembled[mi][g] !== 0 && assembled[mi][g] !== id) conflicts[mi]++;
                assembled[mi][g] = id;
              }
            }
          });
        }),
      );
    }
  }
  await Promise.all(jobs);
  return whole.masks.map((m, mi) => {
    let differing = conflicts[mi];
    for (let i = 0; i < H * W; i++) if (assembled[mi][i] !== reference[mi][i]) differing++;
    return { mask: m.name, differing, cells: m.objects.length };
  });
}
