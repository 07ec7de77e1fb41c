/**
 * `deno task bench`: runs every benchmark one after another (so they do not compete for the two
 * cores) and prints their tables. `deno task bench load host` runs only the named ones;
 * `--quick` asks each benchmark for a smaller size (used to smoke-test the benchmarks).
 * @module
 */

const benches: { name: string; file: string; about: string }[] = [
  { name: "load", file: "load_bench.ts", about: "TIFF → SpatialData store vs tifffile + zarr" },
  {
    name: "extract",
    file: "extract_bench.ts",
    about: "single-cell extraction to .h5sc vs numpy/scipy/skimage + h5py",
  },
  {
    name: "kernels",
    file: "kernels_bench.ts",
    about: "segmentation kernels (median, morphology, EDT, FMM, watershed) on a 2048² tile",
  },
  {
    name: "segment",
    file: "segment_bench.ts",
    about: "WGA segmentation of a 10000² synthetic image vs skimage/scipy/scikit-fmm (scPortrait)",
  },
  {
    name: "plugins",
    file: "host_bench.ts",
    about: "plugin runtime: cold load from the registry cache, per-call overhead, 32 MiB tile MB/s",
  },
];

const args = Deno.args.filter((a) => !a.startsWith("--"));
const flags = Deno.args.filter((a) => a.startsWith("--"));
const selected = args.length ? benches.filter((b) => args.includes(b.name)) : benches;
if (args.length && selected.length !== args.length) {
  console.error(
    `unknown benchmark in: ${args.join(", ")}; known: ${benches.map((b) => b.name).join(", ")}`,
  );
  Deno.exit(2);
}

let failed = 0;
for (const bench of selected) {
  console.log(`\n=== bench ${bench.name}: ${bench.about} ===`);
  const url = new URL(bench.file, import.meta.url);
  const { code } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", url.pathname, ...flags],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (code !== 0) {
    failed++;
    console.log(`bench ${bench.name} failed with exit code ${code}`);
  }
}
Deno.exit(failed ? 1 : 0);
