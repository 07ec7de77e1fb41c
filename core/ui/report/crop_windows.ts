/**
 * Where to zoom in: up to `count` non-overlapping level-0 windows of `size × size` px centred on
 * the densest labelled regions of a preview (sum of labelled preview pixels per window, found
 * with an integral image on a half-window grid). Without labels, the image centre.
 * @module
 */
import type { PixelWindow } from "../../io/image_source.ts";
import type { PreviewGeometry } from "./preview_sampler.ts";

function overlaps(a: PixelWindow, b: PixelWindow): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height &&
    b.y < a.y + a.height;
}

/** Level-0 crop windows over the densest labelled parts of `previewIds`. */
export function chooseCropWindows(
  previewIds: ArrayLike<number> | null,
  geometry: PreviewGeometry,
  size = 384,
  count = 2,
): PixelWindow[] {
  const { fullHeight: H, fullWidth: W, height: ph, width: pw } = geometry;
  const cropH = Math.min(size, H);
  const cropW = Math.min(size, W);
  const center: PixelWindow = {
    y: Math.floor((H - cropH) / 2),
    x: Math.floor((W - cropW) / 2),
    height: cropH,
    width: cropW,
  };
  if (previewIds === null) return [center];
  // integral image of "labelled" over the preview
  const sum = new Float64Array((ph + 1) * (pw + 1));
  for (let y = 0; y < ph; y++) {
    let row = 0;
    for (let x = 0; x < pw; x++) {
      row += previewIds[y * pw + x] !== 0 ? 1 : 0;
      sum[(y + 1) * (pw + 1) + x + 1] = sum[y * (pw + 1) + x + 1] + row;
    }
  }
  const sy = ph / H, sx = pw / W;
  const wh = Math.max(1, Math.round(cropH * sy)), ww = Math.max(1, Math.round(cropW * sx));
  const step = Math.max(1, Math.floor(Math.min(wh, ww) / 2));
  const candidates: { score: number; window: PixelWindow }[] = [];
  for (let y = 0; y + wh <= ph; y += step) {
    for (let x = 0; x + ww <= pw; x += step) {
      const s = sum[(y + wh) * (pw + 1) + x + ww] - sum[y * (pw + 1) + x + ww] -
        sum[(y + wh) * (pw + 1) + x] + sum[y * (pw + 1) + x];
      if (s === 0) continue;
      candidates.push({
        score: s,
        window: {
          y: Math.min(H - cropH, Math.round(y / sy)),
          x: Math.min(W - cropW, Math.round(x / sx)),
          height: cropH,
          width: cropW,
        },
      });
    }
  }
  candidates.sort((a, b) =>
    b.score - a.score || a.window.y - b.window.y || a.window.x - b.window.x
  );
  const chosen: PixelWindow[] = [];
  for (const c of candidates) {
    if (chosen.length >= count) break;
    if (!chosen.some((w) => overlaps(w, c.window))) chosen.push(c.window);
  }
  return chosen.length ? chosen : [center];
}
