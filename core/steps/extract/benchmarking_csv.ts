/**
 * `extraction/benchmarking.csv` with scPortrait's columns; one row appended per run.
 * @module
 */
import { existsSync } from "node:fs";

/** Timings and sizes of one extraction run. */
export interface ExtractionBenchmark {
  /** (C, W, H) of the input image. */
  imageShape: [number, number, number];
  /** Number of extracted cells. */
  nClasses: number;
  /** Number of masks. */
  nMasks: number;
  /** Output side S. */
  imageSize: number;
  /** Workers used. */
  threads: number;
  /** Mini-batch size (0: tile-sized batches). */
  batchSize: number;
  /** Whole run, seconds. */
  totalSeconds: number;
  /** Setup (centres, selection, file creation), seconds. */
  setupSeconds: number;
  /** Extraction loop, seconds. */
  extractionSeconds: number;
  /** Cells per second. */
  rate: number;
}

const HEADER = [
  "Size of image",
  "Number of classes",
  "Number of masks",
  "Image size",
  "Number of threads",
  "Mini batch size",
  "Total extraction time",
  "Time taken to set up extraction",
  "Time taken to generate arg list",
  "Time taken to transfer data to shared memory",
  "Time taken to extract",
  "Rate of extraction",
];

/** Appends one row (writing the header first when the file is new). */
export async function writeBenchmarkingCsv(path: string, b: ExtractionBenchmark): Promise<void> {
  const quote = (v: string | number) => (typeof v === "string" ? `"${v}"` : String(v));
  const row = [
    `(${b.imageShape.join(", ")})`,
    b.nClasses,
    b.nMasks,
    b.imageSize,
    b.threads,
    b.batchSize,
    b.totalSeconds,
    b.setupSeconds,
    0,
    0,
    b.extractionSeconds,
    b.rate,
  ].map(quote).join(",");
  const head = existsSync(path) ? "" : HEADER.map(quote).join(",") + "\n";
  await Deno.writeTextFile(path, head + row + "\n", { append: true });
}
