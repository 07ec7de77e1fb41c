/**
 * Measures windowed read speed of `openTiffSource`: reads `--count` windows of `--window`² pixels
 * at deterministic pseudo-random positions from every channel and prints MB/s (uint16 output) and
 * peak RSS.
 *
 *   deno run -A examples/synthetic/bench_tiff_read.ts [--window 1024] [--count 32]
 *     [--workers N] file1.tif [file2.tif …]
 * @module
 */
import { parseArgs } from "node:util";
import { openTiffSource } from "../../core/io/tiff/open_tiff_source.ts";
import { uniform } from "./hash_noise.ts";

const { values, positionals } = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: {
    window: { type: "string", default: "1024" },
    count: { type: "string", default: "32" },
    workers: { type: "string" },
  },
});
const size = Number(values.window);
const count = Number(values.count);
const source = await openTiffSource(positionals, {
  workers: values.workers === undefined ? undefined : Number(values.workers),
});
let peak = 0;
const start = performance.now();
let pixels = 0;
for (let i = 0; i < count; i++) {
  const h = Math.min(size, source.height);
  const w = Math.min(size, source.width);
  const y = Math.floor(uniform(7, i, 1) * (source.height - h + 1));
  const x = Math.floor(uniform(7, i, 2) * (source.width - w + 1));
  for (let c = 0; c < source.channels; c++) {
    const data = await source.readWindow(c, { y, x, height: h, width: w });
    pixels += data.length;
  }
  peak = Math.max(peak, Deno.memoryUsage().rss);
}
const seconds = (performance.now() - start) / 1000;
await source.close();
console.log(JSON.stringify({
  files: positionals,
  size: [source.height, source.width],
  channels: source.channels,
  block: source.blockShape,
  window: size,
  windows: count * source.channels,
  seconds: Math.round(seconds * 100) / 100,
  ms_per_window: Math.round((1000 * seconds) / (count * source.channels)),
  mb_per_s: Math.round((pixels * 2) / 1e6 / seconds),
  peak_rss_mib: Math.round(peak / 2 ** 20),
}));
