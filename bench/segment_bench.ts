/**
 * Segmentation benchmark (issue 4): a two-channel synthetic image (nucleus + membrane, default
 * 10000×10000, cached under `.bench/`) loaded into a project and segmented with the best
 * first-party method that builds (`wga-segmentation`, else `dapi-segmentation`, else
 * `threshold-segmentation`) by 2 workers in a child process (its own peak RSS); the Python
 * reference (`bench/reference/segmentation_reference.py`: skimage/scipy/scikit-fmm as scPortrait
 * calls them) on the same pixels — a crop when the whole image would take it too long, then its
 * speed is per megapixel and extrapolated, which the table says — and the match quality of both
 * on that shared crop (matched-cell mean IoU, count difference).
 *
 * Usage: deno run -A bench/segment_bench.ts [--quick (2000²)] [--size N] [--workers 2]
 *   [--tile-size N] [--ref-crop N (default 2000)] [--no-python] [--scaling (30000² vs 10000²)]
 * @module
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { mib } from "./peak_rss.ts";
import {
  benchPlugin,
  type ChildRun,
  compareMasks,
  ensureProject,
  ensureSyntheticTiffs,
  type Quality,
  ROOT,
  runChild,
  runReference,
} from "./segment_bench_steps.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    quick: { type: "boolean", default: false },
    size: { type: "string" },
    workers: { type: "string", default: "2" },
    "tile-size": { type: "string" },
    "ref-crop": { type: "string", default: "2000" },
    "no-python": { type: "boolean", default: false },
    scaling: { type: "boolean", default: false },
  },
});
const size = Number(values.size ?? (values.quick ? 2000 : 10000));
const workers = Number(values.workers);
const tileSize = values["tile-size"];
const cacheRoot = join(ROOT, ".bench");
const mp = (side: number) => side * side / 1e6;

const plugin = await benchPlugin();
console.log(`segment bench: method ${plugin.id} (${plugin.note})`);

async function ours(side: number, crop?: number): Promise<ChildRun & { project: string }> {
  const tifs = await ensureSyntheticTiffs(join(cacheRoot, `segment_${side}`), side);
  const project = await ensureProject(
    join(cacheRoot, `segment_${side}`, `project_${plugin.id}${crop ? `_crop${crop}` : ""}`),
    tifs,
    plugin,
    crop,
  );
  const run = await runChild(project, plugin, workers, tileSize);
  return { ...run, project };
}

const row = (
  name: string,
  r: { mpx: number; s: number; cpu?: number; cells: number; rss?: number },
) =>
  `| ${name} | ${r.mpx.toFixed(1)} | ${r.s.toFixed(1)} | ${(r.mpx / r.s).toFixed(3)} | ` +
  `${r.cpu === undefined ? "n/a" : (r.cpu / r.mpx).toFixed(2)} | ${r.cells} | ` +
  `${Math.round(r.cells / r.s)} | ${mib(r.rss)} |`;

if (values.scaling) {
  // Peak RSS must not grow with the image: 30000² against 10000², same tiles and workers.
  const small = await ours(10000);
  const large = await ours(30000);
  console.log(`\nRSS scaling (${plugin.id}, ${workers} workers)`);
  console.log("| image | MP | s | MP/s | CPU s/MP | cells | cells/s | peak RSS |");
  console.log("|---|---|---|---|---|---|---|---|");
  for (const [side, r] of [[10000, small], [30000, large]] as const) {
    console.log(row(`${side}²`, {
      mpx: mp(side),
      s: r.seconds,
      cpu: r.cpuSeconds,
      cells: r.counts.nucleus ?? 0,
      rss: r.peakRss,
    }));
  }
  for (const [side, r] of [[10000, small], [30000, large]] as const) {
    console.log(
      `${side}²: resident set largest at ${r.peakAtSeconds.toFixed(0)} s of ${
        r.seconds.toFixed(0)
      } s`,
    );
  }
  const growth = (large.peakRss - small.peakRss) / small.peakRss;
  console.log(
    `peak RSS 30000² vs 10000²: ${(100 * growth).toFixed(1)}% (goal: within 10%) → ` +
      (Math.abs(growth) <= 0.1 ? "met" : "NOT met"),
  );
  Deno.exit(0);
}

const full = await ours(size);
const nuclei = full.counts.nucleus ?? 0;
console.log(
  `\n${size}×${size} two-channel synthetic (${mp(size).toFixed(0)} MP), ${plugin.id}, ` +
    `${workers} workers, tile ${full.geometry.tileSize} + halo ${full.geometry.halo}: ` +
    `${Object.entries(full.counts).map(([k, v]) => `${v} ${k}`).join(", ")}`,
);

let ref: Awaited<ReturnType<typeof runReference>> | undefined;
let quality: Quality[] = [];
const crop = Math.min(size, Number(values["ref-crop"]));
if (!values["no-python"] && plugin.reference !== undefined) {
  const tifs = await ensureSyntheticTiffs(join(cacheRoot, `segment_${size}`), size);
  const out = join(cacheRoot, `segment_${size}`, `reference_${plugin.id}_${crop}`);
  ref = await runReference(tifs, out, plugin, crop < size ? crop : undefined);
  // Shared crop: ours segments exactly the pixels the reference saw, as an image of its own.
  const mine = crop < size ? await ours(size, crop) : full;
  quality = await compareMasks(mine.project, out, plugin.masks);
}

console.log("| implementation | MP | s | MP/s | CPU s/MP | cells | cells/s | peak RSS |");
console.log("|---|---|---|---|---|---|---|---|");
console.log(row("scPortrait-for-Deno", {
  mpx: mp(size),
  s: full.seconds,
  cpu: full.cpuSeconds,
  cells: nuclei,
  rss: full.peakRss,
}));
if (ref) {
  const name = `Python reference, 1 process${crop < size ? `, ${crop}² crop` : ""}`;
  console.log(row(name, {
    mpx: mp(crop),
    s: ref.segment_s,
    cpu: ref.cpu_s,
    cells: ref.cells,
    rss: ref.peak_rss,
  }));
  const refMps = mp(crop) / ref.segment_s, ourMps = mp(size) / full.seconds;
  if (crop < size) {
    console.log(
      `reference extrapolated to ${size}² at its crop's speed: ` +
        `${(mp(size) / refMps / 60).toFixed(1)} min (it was run on a ${crop}² crop only)`,
    );
  }
  console.log(
    `speed ratio (MP/s): ${(ourMps / refMps).toFixed(1)}× the 1-process reference, ` +
      `${(ourMps / (2 * refMps)).toFixed(1)}× an ideal 2-process reference; CPU s/MP ratio ` +
      `${
        ((ref.cpu_s / mp(crop)) / (full.cpuSeconds / mp(size))).toFixed(1)
      }× (goal: ≥ 10× on 2 cores)`,
  );
  for (const q of quality) {
    console.log(
      `${q.mask} on the shared ${crop}² crop: ours ${q.ours} vs reference ${q.reference} cells ` +
        `(${q.countDiffPercent.toFixed(2)}%), ${q.matched} matched at IoU ≥ 0.5, ` +
        `mean IoU ${q.meanIoU.toFixed(4)} (goals: ≥ 0.95, counts within 2%)`,
    );
  }
}
console.log(
  `peak RSS ${mib(full.peakRss)} (goal ≤ 2048 MiB) → ` +
    (full.peakRss <= 2 ** 31 ? "met" : "NOT met"),
);
console.log(JSON.stringify({ size, method: plugin.id, ours: full, reference: ref, quality }));
