/**
 * Load benchmark: a synthetic 20000×20000×3 uint16 TIFF set (one uncompressed file per channel,
 * cached under `.bench/`) → `images/input_image` of a SpatialData store, by our load
 * (`loadInputImage` + `openTiffSource`) and by the Python reference (`tifffile` + zarr 2.13,
 * `bench/reference/load_reference.py`) in the same run, each in its own process so each peak RSS
 * is its own. Same output: NGFF 0.4, 1024² chunks, levels 1/2, 1/8, 1/64 by truncated block mean.
 * Usage: deno run -A bench/load_bench.ts [--quick (4000²)] [--size N] [--keep]
 * @module
 */
import { parseArgs } from "node:util";
import { mib } from "./peak_rss.ts";
import { writeSyntheticTiff } from "./load_bench_tiff.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    quick: { type: "boolean", default: false },
    size: { type: "string" },
    keep: { type: "boolean", default: false },
  },
});
const size = Number(values.size ?? (values.quick ? 4000 : 20000));
const root = new URL("../", import.meta.url).pathname;
const cache = `${root}.bench/load_${size}_v2`; // v2: 5-bit noise (zstd-1 ratio ~1.4)
const tifs = [0, 1, 2].map((c) => `${cache}/c${c}.tif`);

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

if (!(await Promise.all(tifs.map(exists))).every(Boolean)) {
  console.log(`generating ${tifs.length} × ${size}² uint16 TIFFs in ${cache} …`);
  await Deno.mkdir(cache, { recursive: true });
  for (let c = 0; c < tifs.length; c++) {
    await writeSyntheticTiff(`${tifs[c]}.part`, size, size, c);
    await Deno.rename(`${tifs[c]}.part`, tifs[c]);
  }
}

interface Run {
  who: string;
  codec: string;
  seconds: number;
  bytes: number;
  peak_rss: number;
  cpu_seconds: number;
  disk: number;
}

async function du(path: string): Promise<number> {
  const out = await new Deno.Command("du", { args: ["-sb", path] }).output();
  return Number(new TextDecoder().decode(out.stdout).split("\t")[0]);
}

async function measure(who: string, codec: string, cmd: string, args: string[]): Promise<Run> {
  const out = `${cache}/out_${who}_${codec}.zarr`;
  await Deno.remove(out, { recursive: true }).catch(() => {});
  const res = await new Deno.Command(cmd, {
    args: [...args.map((a) => a === "<out>" ? out : a), ...tifs],
    stderr: "inherit",
  }).output();
  const text = new TextDecoder().decode(res.stdout).trim();
  if (!res.success) throw new Error(`${who} ${codec} failed: ${text}`);
  const run = { who, codec, ...JSON.parse(text.split("\n").at(-1)!), disk: await du(out) };
  if (!values.keep) await Deno.remove(out, { recursive: true });
  return run;
}

const child = new URL("./load_bench_child.ts", import.meta.url).pathname;
const reference = new URL("./reference/load_reference.py", import.meta.url).pathname;
const deno = Deno.execPath();
const workers = "auto"; // the load's default: one encoder Worker per core for large images
const runs: Run[] = [];
for (const codec of ["zstd", "blosc"]) {
  runs.push(await measure("deno", codec, deno, ["run", "-A", child, "<out>", codec, workers]));
  runs.push(
    await measure("python", codec, "/usr/bin/python3", [reference, "--codec", codec, "<out>"]),
  );
}

const mb = (r: Run) => r.bytes / 1e6 / r.seconds;
console.log(
  `\nload ${tifs.length}×${size}×${size} uint16 (${(runs[0].bytes / 1e6).toFixed(0)} MB raw), ` +
    `${navigator.hardwareConcurrency} cores, load average ${Deno.loadavg()[0].toFixed(1)}`,
);
console.log(
  "| run | codec | seconds | MB/s | CPU s (all threads) | peak RSS | on disk | speed vs Python |",
);
console.log("| --- | --- | --- | --- | --- | --- | --- | --- |");
for (const r of runs) {
  const py = runs.find((p) => p.who === "python" && p.codec === r.codec)!;
  console.log(
    `| ${r.who === "deno" ? "scPortrait-for-Deno" : "Python tifffile+zarr 2.13"} | ` +
      `${r.codec === "zstd" ? "zstd 1" : "blosc-lz4 5 + shuffle"} | ${r.seconds.toFixed(1)} | ` +
      `${mb(r).toFixed(0)} | ${r.cpu_seconds.toFixed(1)} | ${mib(r.peak_rss)} | ` +
      `${(r.disk / 1e6).toFixed(0)} MB | ` +
      `${(mb(r) / mb(py)).toFixed(2)}× |`,
  );
}
