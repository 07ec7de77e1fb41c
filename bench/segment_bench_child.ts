/**
 * One measured segmentation for `segment_bench.ts`, in its own process so its peak RSS is its own.
 *
 *   deno run -A bench/segment_bench_child.ts <project> <component.wasm> <manifest.yaml>
 *     <workers> [tile size]
 *
 * The project must hold `images/input_image` and a config whose `segmentation.method` names the
 * plugin; `SCPORTRAIT_BENCH_GLUE_CACHE` may name a folder caching the plugin's generated glue.
 * Segments with `--overwrite` semantics and prints one JSON line: seconds, cell counts, tiles,
 * geometry, CPU seconds (all threads), peak RSS (VmHWM of this process, Workers included) and when
 * the resident set was largest (sampled each second), to tell the tiles' peak from the end.
 * @module
 */
import process from "node:process";
import { Project } from "../core/project/project.ts";
import { segmentProject } from "../core/steps/segment/segment_project.ts";
import { resolveSegmentationPlugin } from "../core/steps/segment/segmentation_plugin.ts";
import { peakRssBytes } from "./peak_rss.ts";

const [projectDir, componentPath, manifestPath, workers, tileSize] = Deno.args;
const project = await Project.open(projectDir);
const config = (await project.loadConfig()).config.segmentation!;
const plugin = {
  ...await resolveSegmentationPlugin(project.root, config, { componentPath, manifestPath }),
  // the glue cache an installed plugin has (see `BenchPlugin.glueCacheDir`)
  cacheDir: Deno.env.get("SCPORTRAIT_BENCH_GLUE_CACHE"),
};
const warnings: string[] = [];
const started = performance.now();
let largest = { rss: 0, atSeconds: 0 };
const sampler = setInterval(() => {
  const rss = Number(/^VmRSS:\s+(\d+)/m.exec(Deno.readTextFileSync("/proc/self/status"))?.[1]);
  if (rss > largest.rss) largest = { rss, atSeconds: (performance.now() - started) / 1000 };
}, 1000);
const cpu0 = process.cpuUsage();
const result = await segmentProject(project, {
  plugin,
  workers: Number(workers),
  tileSize: tileSize ? Number(tileSize) : undefined,
  overwrite: true,
  quiet: Deno.env.get("SCPORTRAIT_BENCH_PROGRESS") !== "1",
  warn: (m) => warnings.push(m),
});
const cpu = process.cpuUsage(cpu0);
clearInterval(sampler);
console.log(JSON.stringify({
  seconds: result.seconds,
  cpuSeconds: (cpu.user + cpu.system) / 1e6,
  counts: result.counts,
  tiles: result.tiles,
  geometry: result.geometry,
  truncated: result.truncated,
  warnings: warnings.length,
  peakRss: peakRssBytes(),
  peakAtSeconds: largest.atSeconds,
}));
