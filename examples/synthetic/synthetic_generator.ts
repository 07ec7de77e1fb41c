/**
 * `generateSynthetic`: a deterministic, seedable fluorescence-like image of any size that renders
 * any window on demand (nothing is held in memory), with ground-truth nucleus and cell masks.
 * Channels: nucleus (DNA stain), membrane (WGA-like rim + dim cytosol), marker (cell-to-cell
 * varying, some cells punctate), and optionally a nuclear marker.
 * @module
 */
import { ScportraitError } from "../../core/errors.ts";
import type { PixelWindow } from "../../core/io/image_source.ts";
import { type CellGrid, cellGrid } from "./cell_layout.ts";
import { renderWindow } from "./render_window.ts";

/** Options of {@link generateSynthetic}. */
export interface SyntheticOptions {
  /** Image height in pixels. */
  height: number;
  /** Image width in pixels. */
  width: number;
  /** Seed; the same seed gives the same image bytes. Default 1. */
  seed?: number;
  /** Nominal cell diameter (grid pitch) in pixels. Default 48. */
  cellDiameter?: number;
  /** Number of channels, 1–4 (nucleus, membrane, marker, nuclear marker). Default 3. */
  channels?: number;
}

/** Names of the channels in order. */
export const SYNTHETIC_CHANNEL_NAMES = ["nucleus", "membrane", "marker", "nuclear_marker"];

/** A synthetic image that renders windows on demand. */
export interface SyntheticImage {
  /** Image height. */
  readonly height: number;
  /** Image width. */
  readonly width: number;
  /** Number of channels. */
  readonly channels: number;
  /** Channel names. */
  readonly channelNames: readonly string[];
  /** Seed. */
  readonly seed: number;
  /** Cell diameter (grid pitch). */
  readonly cellDiameter: number;
  /** Renders every channel of a window (uint16, row-major). */
  renderChannels(y: number, x: number, height: number, width: number): Uint16Array[];
  /** Renders the ground-truth masks of a window (uint32 ids, 0 = background). */
  renderMasks(
    y: number,
    x: number,
    height: number,
    width: number,
  ): { nucleus: Uint32Array; cell: Uint32Array };
  /** Renders channels and masks of a window in one pass (faster than two calls). */
  renderAll(
    y: number,
    x: number,
    height: number,
    width: number,
  ): { channels: Uint16Array[]; nucleus: Uint32Array; cell: Uint32Array };
}

function positiveInt(name: string, value: number, max = 2 ** 31): number {
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new ScportraitError(
      "USAGE",
      `synthetic ${name} must be an integer from 1 to ${max}, got ${value}.`,
    );
  }
  return value;
}

/** Describes a synthetic image; nothing is rendered until a window is asked for. */
export function generateSynthetic(options: SyntheticOptions): SyntheticImage {
  const height = positiveInt("height", options.height);
  const width = positiveInt("width", options.width);
  const seed = Math.trunc(options.seed ?? 1) | 0;
  const cellDiameter = positiveInt("cellDiameter", options.cellDiameter ?? 48, 4096);
  const channels = positiveInt("channels", options.channels ?? 3, 4);
  const grid: CellGrid = cellGrid(height, width, cellDiameter, seed, Math.max(2, channels - 2));
  const check = (y: number, x: number, h: number, w: number): PixelWindow => {
    const ok = [y, x, h, w].every(Number.isInteger) && y >= 0 && x >= 0 && h > 0 && w > 0 &&
      y + h <= height && x + w <= width;
    if (!ok) {
      throw new ScportraitError(
        "USAGE",
        `window (y=${y}, x=${x}, h=${h}, w=${w}) is outside the ${height}×${width} synthetic image.`,
      );
    }
    return { y, x, height: h, width: w };
  };
  return {
    height,
    width,
    channels,
    channelNames: SYNTHETIC_CHANNEL_NAMES.slice(0, channels),
    seed,
    cellDiameter,
    renderChannels: (y, x, h, w) =>
      renderWindow(grid, channels, check(y, x, h, w), { images: true, masks: false }).channels,
    renderMasks: (y, x, h, w) => {
      const r = renderWindow(grid, channels, check(y, x, h, w), { images: false, masks: true });
      return { nucleus: r.nucleusMask!, cell: r.cellMask! };
    },
    renderAll: (y, x, h, w) => {
      const r = renderWindow(grid, channels, check(y, x, h, w), { images: true, masks: true });
      return { channels: r.channels, nucleus: r.nucleusMask!, cell: r.cellMask! };
    },
  };
}
