/**
 * One measured load for `load_bench.ts`, in its own process so its peak RSS is its own:
 * `deno run -A bench/load_bench_child.ts <store> <zstd|blosc> <encoder workers|auto> <tif…>` prints one JSON
 * line with seconds, raw level-0 bytes, peak RSS and CPU seconds. `SCPORTRAIT_BENCH_PYRAMID=pass` builds the
 * pyramid after level 0 instead of while it streams in.
 * @module
 */
import { openTiffSource } from "../core/io/tiff/open_tiff_source.ts";
import { SpatialDataStore } from "../core/io/spatialdata/spatialdata_store.ts";
import { BLOSC_LZ4_COMPRESSOR, DEFAULT_COMPRESSOR } from "../core/io/zarr/chunk_compressor.ts";
import { loadInputImage } from "../core/steps/load/load_input.ts";
import { peakRssBytes } from "./peak_rss.ts";

const [out, codec, workers, ...tifs] = Deno.args;
const start = performance.now();
const source = await openTiffSource(tifs);
const store = await SpatialDataStore.create(out);
const result = await loadInputImage(source, store, {
  compressor: codec === "blosc" ? BLOSC_LZ4_COMPRESSOR : DEFAULT_COMPRESSOR,
  progress: { quiet: true },
  encoderWorkers: workers === "auto" ? undefined : Number(workers),
  streamPyramid: Deno.env.get("SCPORTRAIT_BENCH_PYRAMID") !== "pass",
});
await source.close();
console.log(JSON.stringify({
  seconds: (performance.now() - start) / 1000,
  bytes: result.bytes,
  peak_rss: peakRssBytes(),
  cpu_seconds: cpuSeconds(),
}));

/** User + system CPU time of this process (all threads) from /proc/self/stat, in seconds. */
function cpuSeconds(): number | undefined {
  try {
    const stat = Deno.readTextFileSync("/proc/self/stat");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks
  } catch {
    return undefined;
  }
}
