/**
 * `writeSyntheticTiff`: streams a synthetic image to TIFF files (one per channel or one multi-page
 * file) plus its ground-truth nucleus and cell masks (uint32), strip by strip, rendering bands in
 * worker threads. Memory: a few bands, independent of the image size.
 * @module
 */
import { join } from "node:path";
import { Progress } from "../../core/ui/progress.ts";
import { ScportraitError } from "../../core/errors.ts";
import type { BandRequest, BandResult } from "./synthetic_band_worker.ts";
import type { SyntheticImage, SyntheticOptions } from "./synthetic_generator.ts";
import { StreamingTiffWriter } from "./tiff_writer.ts";

/** Options of {@link writeSyntheticTiff}. */
export interface WriteSyntheticOptions {
  /** One TIFF per channel (default) or one multi-page TIFF `image.tif`. */
  layout?: "per-channel" | "multipage";
  /** Strip compression. Default `none`. */
  compression?: "none" | "deflate";
  /** Force BigTIFF (default: only above 4 GiB). */
  bigtiff?: boolean;
  /** Rows per strip (and per rendered band). Default 64. */
  rowsPerStrip?: number;
  /** Also write `nucleus_mask.tif` and `cell_mask.tif`. Default true. */
  masks?: boolean;
  /** Rendering workers (0 = render on this thread). Default: cores, at most 4. */
  workers?: number;
  /** No progress output. */
  quiet?: boolean;
}

/** What was written. */
export interface WrittenSynthetic {
  /** Image files, one per channel or one multi-page file. */
  images: string[];
  /** Mask files (nucleus, cell), if written. */
  masks: string[];
  /** Sidecar with the generator parameters. */
  metadata: string;
  /** Bytes written in total. */
  bytes: number;
}

type Render = (req: Omit<BandRequest, "job">) => Promise<BandResult>;

function renderer(image: SyntheticImage, workers: number): { render: Render; stop: () => void } {
  if (workers <= 0) {
    return {
      render: (req) => {
        if (!req.masks) {
          return Promise.resolve({
            job: 0,
            channels: image.renderChannels(req.y, 0, req.rows, image.width),
          });
        }
        const r = image.renderAll(req.y, 0, req.rows, image.width);
        return Promise.resolve({ job: 0, ...r });
      },
      stop: () => {},
    };
  }
  const url = new URL("./synthetic_band_worker.ts", import.meta.url).href;
  const pool = Array.from({ length: workers }, () => new Worker(url, { type: "module" }));
  const idle = [...pool];
  const waiting: ((w: Worker) => void)[] = [];
  let job = 0;
  const render: Render = async (req) => {
    const worker = idle.pop() ?? await new Promise<Worker>((resolve) => waiting.push(resolve));
    try {
      return await new Promise<BandResult>((resolve, reject) => {
        worker.onmessage = (e: MessageEvent<BandResult>) =>
          e.data.error ? reject(new Error(e.data.error)) : resolve(e.data);
        worker.onerror = (e) => {
          e.preventDefault();
          reject(new Error(e.message));
        };
        worker.postMessage({ ...req, job: job++ });
      });
    } finally {
      const next = waiting.shift();
      if (next) next(worker);
      else idle.push(worker);
    }
  };
  return { render, stop: () => pool.forEach((w) => w.terminate()) };
}

/** Writes `image` into `outDir` (created if needed). */
export async function writeSyntheticTiff(
  outDir: string,
  image: SyntheticImage,
  options: WriteSyntheticOptions = {},
): Promise<WrittenSynthetic> {
  const rowsPerStrip = Math.min(options.rowsPerStrip ?? 64, image.height);
  const withMasks = options.masks ?? true;
  const layout = options.layout ?? "per-channel";
  await Deno.mkdir(outDir, { recursive: true });
  const common = {
    width: image.width,
    height: image.height,
    rowsPerStrip,
    compression: options.compression ?? "none",
    bigtiff: options.bigtiff,
  } as const;
  const images = layout === "multipage"
    ? [join(outDir, "image.tif")]
    : image.channelNames.map((name, c) => join(outDir, `ch${c}_${name}.tif`));
  const imageWriters = layout === "multipage"
    ? [
      await StreamingTiffWriter.create(images[0], {
        ...common,
        dtype: "uint16",
        pages: image.channels,
      }),
    ]
    : await Promise.all(
      images.map((p) => StreamingTiffWriter.create(p, { ...common, dtype: "uint16" })),
    );
  const masks = withMasks ? ["nucleus_mask.tif", "cell_mask.tif"].map((f) => join(outDir, f)) : [];
  const maskWriters = await Promise.all(
    masks.map((p) => StreamingTiffWriter.create(p, { ...common, dtype: "uint32" })),
  );
  const strips = imageWriters[0].stripCount;
  const progress = new Progress("synthetic", {
    total: strips,
    unit: "strips",
    quiet: options.quiet,
  });
  const generatorOptions: SyntheticOptions = {
    height: image.height,
    width: image.width,
    seed: image.seed,
    cellDiameter: image.cellDiameter,
    channels: image.channels,
  };
  const workers = options.workers ?? Math.min(4, navigator.hardwareConcurrency || 2);
  const { render, stop } = renderer(image, workers);
  let next = 0;
  const lane = async () => {
    while (next < strips) {
      const strip = next++;
      const y = strip * rowsPerStrip;
      const rows = Math.min(rowsPerStrip, image.height - y);
      const band = await render({ options: generatorOptions, y, rows, masks: withMasks });
      for (let c = 0; c < image.channels; c++) {
        const writer = layout === "multipage" ? imageWriters[0] : imageWriters[c];
        await writer.writeStrip(layout === "multipage" ? c : 0, strip, band.channels[c]);
      }
      if (withMasks) {
        await maskWriters[0].writeStrip(0, strip, band.nucleus!);
        await maskWriters[1].writeStrip(0, strip, band.cell!);
      }
      progress.advance();
    }
  };
  let bytes = 0;
  let failure: unknown;
  try {
    // One lane more than workers, so a worker renders while another lane writes.
    await Promise.all(Array.from({ length: Math.max(1, workers) + 1 }, lane));
  } catch (error) {
    failure = error;
  } finally {
    stop();
  }
  for (const w of [...imageWriters, ...maskWriters]) {
    try {
      bytes += await w.close();
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure !== undefined) {
    throw new ScportraitError("USAGE", `Writing the synthetic image to ${outDir} failed.`, {
      cause: failure,
    });
  }
  progress.finish();
  const metadata = join(outDir, "synthetic.json");
  await Deno.writeTextFile(
    metadata,
    JSON.stringify(
      { ...generatorOptions, channelNames: image.channelNames, layout, images, masks },
      null,
      2,
    ) + "\n",
  );
  return { images, masks, metadata, bytes };
}
