/**
 * Renders one window of the synthetic image: cell geometry (Voronoi-limited elliptical bodies,
 * textured nuclei), stains, Gaussian blur, shot + read noise, background — and the ground-truth
 * nucleus and cell instance masks. Every pixel depends only on its global position and the cells
 * near it, so any windowing of the image renders identical values.
 * @module
 */
import type { PixelWindow } from "../../core/io/image_source.ts";
import { CELL_REACH, type CellGrid, cellsNear, type SyntheticCell } from "./cell_layout.ts";
import { CellRandom, gaussian, NoiseField } from "./hash_noise.ts";

/** What to render. */
export interface RenderRequest {
  /** Render the image channels. */
  images: boolean;
  /** Render the masks. */
  masks: boolean;
}

/** A rendered window; arrays are row-major `height × width`. */
export interface RenderedWindow {
  /** One uint16 image per channel (empty when images were not requested). */
  channels: Uint16Array[];
  /** Nucleus instance ids (0 = background); `undefined` unless masks were requested. */
  nucleusMask?: Uint32Array;
  /** Cell instance ids; `undefined` unless masks were requested. */
  cellMask?: Uint32Array;
}

/** Optical blur sigma in pixels and the halo rendered around a window to blur it exactly. */
export const BLUR_SIGMA = 1.2;
const HALO = 4; // blurNoise below is unrolled for this radius

function blurKernel(): Float64Array {
  const k = new Float64Array(2 * HALO + 1);
  let sum = 0;
  for (let i = -HALO; i <= HALO; i++) {
    sum += k[i + HALO] = Math.exp(-(i * i) / (2 * BLUR_SIGMA ** 2));
  }
  for (let i = 0; i < k.length; i++) k[i] /= sum;
  return k;
}
const KERNEL = blurKernel();

interface Geometry {
  best: Float32Array;
  second: Float32Array;
  owner: Int32Array;
  nucleus: Float32Array;
  jitter: Float32Array;
}

function rasterizeCells(
  cells: SyntheticCell[],
  grid: CellGrid,
  ry: number,
  rx: number,
  rh: number,
  rw: number,
): Geometry {
  const n = rh * rw;
  const jitter = new Float32Array(n);
  const field = new NoiseField(grid.seed, 11, 7, ry, rx, rh, rw);
  for (let i = 0, y = ry; y < ry + rh; y++) {
    for (let x = rx; x < rx + rw; x++, i++) {
      jitter[i] = 0.14 * (field.at(y, x) - 0.5);
    }
  }
  const best = new Float32Array(n).fill(9);
  const second = new Float32Array(n).fill(9);
  const owner = new Int32Array(n).fill(-1);
  const reach = CELL_REACH * grid.pitch;
  cells.forEach((cell, k) => {
    const y0 = Math.max(ry, Math.floor(cell.cy - reach));
    const y1 = Math.min(ry + rh, Math.ceil(cell.cy + reach));
    const x0 = Math.max(rx, Math.floor(cell.cx - reach));
    const x1 = Math.min(rx + rw, Math.ceil(cell.cx + reach));
    const ia = 1 / cell.ra;
    const ib = 1 / cell.rb;
    for (let y = y0; y < y1; y++) {
      const dy = y + 0.5 - cell.cy;
      let i = (y - ry) * rw + (x0 - rx);
      for (let x = x0; x < x1; x++, i++) {
        const dx = x + 0.5 - cell.cx;
        const u = (dx * cell.cos + dy * cell.sin) * ia;
        const v = (dy * cell.cos - dx * cell.sin) * ib;
        const d = Math.sqrt(u * u + v * v) + jitter[i];
        if (d < best[i]) {
          second[i] = best[i];
          best[i] = d;
          owner[i] = k;
        } else if (d < second[i]) {
          second[i] = d;
        }
      }
    }
  });
  const nucleus = new Float32Array(n).fill(9);
  for (let i = 0, y = ry; y < ry + rh; y++) {
    for (let x = rx; x < rx + rw; x++, i++) {
      if (best[i] >= 1) owner[i] = -1;
      const k = owner[i];
      if (k < 0) continue;
      const c = cells[k];
      const dy = y + 0.5 - c.ny;
      const dx = x + 0.5 - c.nx;
      const u = (dx * c.ncos + dy * c.nsin) / c.na;
      const v = (dy * c.ncos - dx * c.nsin) / c.nb;
      nucleus[i] = Math.sqrt(u * u + v * v) + 0.5 * jitter[i];
    }
  }
  return { best, second, owner, nucleus, jitter };
}

function stains(
  g: Geometry,
  cells: SyntheticCell[],
  grid: CellGrid,
  channels: number,
  ry: number,
  rx: number,
  rh: number,
  rw: number,
): Float32Array[] {
  const n = rh * rw;
  const out = Array.from({ length: channels }, () => new Float32Array(n));
  const f = (stream: number, scale: number) =>
    new NoiseField(grid.seed, stream, scale, ry, rx, rh, rw);
  const [illumF, dnaF, chromF, cytoF, m0F] = [
    f(21, 1500),
    f(31, 3),
    f(32, 1.7),
    f(41, 6),
    f(51, 9),
  ];
  const m1F = channels >= 4 ? f(61, 5) : undefined;
  for (let i = 0, y = ry; y < ry + rh; y++) {
    for (let x = rx; x < rx + rw; x++, i++) {
      const illum = 1 + 0.3 * (illumF.at(y, x) - 0.5);
      const bg = 110 * illum;
      const k = g.owner[i];
      if (k < 0) {
        for (let c = 0; c < channels; c++) out[c][i] = bg;
        continue;
      }
      const cell = cells[k];
      const nd = g.nucleus[i];
      const inNuc = nd < 1;
      let dna = 0;
      if (inNuc) {
        const tex = 0.5 + 0.6 * dnaF.at(y, x) +
          1.5 * Math.max(0, chromF.at(y, x) - 0.65);
        dna = cell.dnaLevel * (0.8 + 0.2 * (1 - nd * nd)) * tex;
      }
      out[0][i] = bg + 40 + dna * illum;
      if (channels < 2) continue;
      const edge = (1 - g.best[i]) / 0.07;
      const seam = (g.second[i] - g.best[i]) / 0.06;
      const rim = Math.exp(-edge * edge) + Math.exp(-seam * seam);
      const cyto = cell.cytoLevel * (0.7 + 0.6 * cytoF.at(y, x)) * (inNuc ? 0.6 : 1);
      out[1][i] = bg + 40 + (cyto + cell.rimLevel * rim) * illum;
      if (channels < 3) continue;
      const m0 = cell.markerLevels[0] * (0.6 + 0.8 * m0F.at(y, x));
      out[2][i] = bg + 40 + m0 * (inNuc ? 0.5 : 1) * illum;
      if (channels < 4) continue;
      const m1 = inNuc ? cell.markerLevels[1] * (0.7 + 0.6 * m1F!.at(y, x)) : 0;
      out[3][i] = bg + 40 + m1 * illum;
    }
  }
  if (channels >= 3) addPuncta(out[2], g.owner, cells, grid, ry, rx, rh, rw);
  return out;
}

function addPuncta(
  target: Float32Array,
  owner: Int32Array,
  cells: SyntheticCell[],
  grid: CellGrid,
  ry: number,
  rx: number,
  rh: number,
  rw: number,
): void {
  cells.forEach((cell, k) => {
    if (cell.puncta === 0) return;
    const r = new CellRandom(grid.seed ^ 0x7075, cell.id, 3);
    for (let p = 0; p < cell.puncta; p++) {
      const angle = r.range(0, 2 * Math.PI);
      const dist = Math.sqrt(r.next()) * 0.8 * cell.rb;
      const py = cell.cy + dist * Math.sin(angle);
      const px = cell.cx + dist * Math.cos(angle);
      const amp = r.range(3000, 9000);
      for (let y = Math.floor(py) - 3; y <= Math.floor(py) + 3; y++) {
        if (y < ry || y >= ry + rh) continue;
        for (let x = Math.floor(px) - 3; x <= Math.floor(px) + 3; x++) {
          if (x < rx || x >= rx + rw) continue;
          const i = (y - ry) * rw + (x - rx);
          if (owner[i] !== k) continue;
          const d2 = (y + 0.5 - py) ** 2 + (x + 0.5 - px) ** 2;
          target[i] += amp * Math.exp(-d2 / 2);
        }
      }
    }
  });
}

function blurNoise(
  src: Float32Array,
  rw: number,
  h: number,
  w: number,
  y0: number,
  x0: number,
  seed: number,
  channel: number,
): Uint16Array {
  const rh = h + 2 * HALO;
  const tmp = new Float32Array(rh * w);
  const [k0, k1, k2, k3, k4] = [KERNEL[4], KERNEL[3], KERNEL[2], KERNEL[1], KERNEL[0]];
  for (let r = 0; r < rh; r++) {
    const row = r * rw;
    for (let c = 0; c < w; c++) {
      const m = row + c + 4;
      tmp[r * w + c] = k0 * src[m] + k1 * (src[m - 1] + src[m + 1]) +
        k2 * (src[m - 2] + src[m + 2]) + k3 * (src[m - 3] + src[m + 3]) +
        k4 * (src[m - 4] + src[m + 4]);
    }
  }
  const out = new Uint16Array(h * w);
  const w2 = 2 * w;
  const w3 = 3 * w;
  const w4 = 4 * w;
  for (let r = 0; r < h; r++) {
    for (let c = 0; c < w; c++) {
      const m = (r + 4) * w + c;
      const acc = k0 * tmp[m] + k1 * (tmp[m - w] + tmp[m + w]) +
        k2 * (tmp[m - w2] + tmp[m + w2]) + k3 * (tmp[m - w3] + tmp[m + w3]) +
        k4 * (tmp[m - w4] + tmp[m + w4]);
      const v = acc + Math.sqrt(2 * acc + 36) * gaussian(seed, 71 + channel, y0 + r, x0 + c);
      const q = Math.round(v);
      out[r * w + c] = q <= 0 ? 0 : q >= 65535 ? 65535 : q;
    }
  }
  return out;
}

/** Renders `window` of the synthetic image described by `grid` with `channels` channels. */
export function renderWindow(
  grid: CellGrid,
  channels: number,
  window: PixelWindow,
  request: RenderRequest,
): RenderedWindow {
  const { y, x, height: h, width: w } = window;
  const halo = request.images ? HALO : 0;
  const ry = y - halo;
  const rx = x - halo;
  const rh = h + 2 * halo;
  const rw = w + 2 * halo;
  const cells = cellsNear(grid, ry, ry + rh, rx, rx + rw);
  const g = rasterizeCells(cells, grid, ry, rx, rh, rw);
  const result: RenderedWindow = { channels: [] };
  if (request.masks) {
    const nucleusMask = new Uint32Array(h * w);
    const cellMask = new Uint32Array(h * w);
    for (let r = 0; r < h; r++) {
      for (let c = 0; c < w; c++) {
        const i = (r + halo) * rw + c + halo;
        const k = g.owner[i];
        if (k < 0) continue;
        cellMask[r * w + c] = cells[k].id;
        if (g.nucleus[i] < 1) nucleusMask[r * w + c] = cells[k].id;
      }
    }
    result.nucleusMask = nucleusMask;
    result.cellMask = cellMask;
  }
  if (request.images) {
    const raw = stains(g, cells, grid, channels, ry, rx, rh, rw);
    result.channels = raw.map((src, c) => blurNoise(src, rw, h, w, y, x, grid.seed, c));
  }
  return result;
}
