/**
 * The statistics pre-pass: the global numbers a method declares (`statistics` in its manifest:
 * Otsu threshold, quantiles) are computed over the whole image before any tile runs, so a tile's
 * result never depends on the tiling. The image is streamed one input chunk at a time into exact
 * 65536-bin histograms of each requested role plane (after max projection), so memory does not
 * grow with the image.
 * @module
 */
import { ScportraitError } from "../../errors.ts";
import type { ImageSource, PixelWindow } from "../../io/image_source.ts";
import type { ChannelStats } from "../../host/segmentation_types.ts";
import {
  histogramSummary,
  otsuFromHistogram,
  quantilesFromHistogram,
} from "../../kernels/global_stats.ts";
import { accumulateU16, newHistogramU16 } from "../../kernels/histogram_u16.ts";
import type { StatisticsRequest } from "../../registry/manifest.ts";
import { Progress } from "../../ui/progress.ts";
import { readRolePlane, type RolePlane } from "./channel_roles.ts";

/** What to compute for one tile channel. */
export interface StatsPlan {
  /** Index of the plane in the tile. */
  channel: number;
  /** Whether the Otsu threshold is needed. */
  otsu: boolean;
  /** Probabilities whose quantiles are needed, in the order first requested. */
  quantiles: number[];
}

/** Merges the manifest's requests per tile channel (role names resolved to plane indices). */
export function planStatistics(
  requests: readonly StatisticsRequest[],
  planes: readonly RolePlane[],
): StatsPlan[] {
  const byChannel = new Map<number, StatsPlan>();
  for (const r of requests) {
    const channel = typeof r.channel === "number"
      ? r.channel
      : planes.findIndex((p) => p.role === r.channel);
    if (channel < 0 || channel >= planes.length) {
      throw new ScportraitError(
        "PLUGIN_INVALID",
        `The plugin asks for statistics of channel ${JSON.stringify(r.channel)}, which is not ` +
          `one of its input roles (${planes.map((p) => p.role).join(", ")}).`,
      );
    }
    const plan = byChannel.get(channel) ?? { channel, otsu: false, quantiles: [] };
    plan.otsu ||= r.otsu;
    for (const q of r.quantiles) if (!plan.quantiles.includes(q)) plan.quantiles.push(q);
    byChannel.set(channel, plan);
  }
  return [...byChannel.values()].sort((a, b) => a.channel - b.channel);
}

/** Options of {@link computeGlobalStats}. */
export interface GlobalStatsOptions {
  /** Side of the square windows read (default: the image's block height). */
  window?: number;
  /** Windows read concurrently (default 2). */
  concurrency?: number;
  /** Progress display options; `false` for none. */
  progress?: false | { quiet?: boolean; json?: boolean };
}

/**
 * Streams the image once and returns the statistics of every planned channel. An all-zero image
 * is fine (Otsu and every quantile are 0).
 */
export async function computeGlobalStats(
  image: ImageSource,
  planes: readonly RolePlane[],
  plans: readonly StatsPlan[],
  options: GlobalStatsOptions = {},
): Promise<ChannelStats[]> {
  if (plans.length === 0) return [];
  const side = options.window ?? Math.max(256, image.blockShape[0]);
  const windows: PixelWindow[] = [];
  for (let y = 0; y < image.height; y += side) {
    for (let x = 0; x < image.width; x += side) {
      windows.push({
        y,
        x,
        height: Math.min(side, image.height - y),
        width: Math.min(side, image.width - x),
      });
    }
  }
  const hists = plans.map(() => newHistogramU16());
  const progress = new Progress("statistics", {
    total: windows.length,
    unit: "windows",
    quiet: options.progress === false || options.progress?.quiet,
    json: options.progress === false ? false : options.progress?.json,
  });
  let next = 0;
  const runner = async () => {
    // one buffer per runner, reused window after window (fresh memory costs page faults)
    const buffer = new Uint16Array(side * side);
    while (next < windows.length) {
      const window = windows[next++];
      const into = buffer.subarray(0, window.height * window.width);
      for (let i = 0; i < plans.length; i++) {
        const plane = await readRolePlane(image, planes[plans[i].channel], window, into);
        accumulateU16(hists[i], plane);
      }
      progress.advance();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 2) }, runner));
  progress.finish();
  return plans.map((plan, i) => channelStats(plan, hists[i]));
}

/** The statistics `plan` asks for, from the exact histogram of its channel. */
export function channelStats(plan: StatsPlan, hist: Float64Array): ChannelStats {
  const s = histogramSummary(hist);
  return {
    channel: plan.channel,
    min: s.min,
    max: s.max,
    mean: s.mean,
    otsuThreshold: plan.otsu ? otsuFromHistogram(hist) : 0,
    quantiles: quantilesFromHistogram(hist, plan.quantiles).map((value, q) => ({
      probability: plan.quantiles[q],
      value,
    })),
  };
}
