/**
 * `deno task demo [<folder>]`: runs the pipeline on the real example images shipped in
 * `examples/data/` (CellProfiler ExampleHuman: DNA, cell body and phospho-histone H3 channels of
 * HT29 cells) with scPortrait's own config shape (`examples/configs/demo_cellprofiler.yml`:
 * `WGASegmentation` nuclei + cytosol, `HDF5CellExtraction`), printing each `scportrait` command as
 * it runs it. The project lands in `.demo/cellprofiler` (or `<folder>`); it is recreated on every
 * run.
 * @module
 */
import * as path from "node:path";
import { main } from "../cli.ts";

const here = import.meta.dirname!;
const project = Deno.args[0] ?? path.join(here, "..", ".demo", "cellprofiler");
const images = path.join(here, "data", "cellprofiler_example_human");
const tif = (d: string) => path.join(images, `AS_09125_050116030001_D03f00${d}.tif`);
const config = path.join(here, "configs", "demo_cellprofiler.yml");
const registry = path.join(here, "..", "registry");

const steps: string[][] = [
  ["init", project, "--config", config, "--overwrite"],
  ["load", project, "--tif", tif("d0"), tif("d2"), tif("d1"), "--channels", "DNA,CellBody,PH3"],
  [
    "plugin",
    "install",
    "wga-segmentation@^0.1.0",
    "--registry",
    registry,
    "--project",
    project,
  ],
  ["segment", project],
  ["extract", project],
  ["status", project],
  ["report", project],
];

for (const args of steps) {
  console.log(
    `\n$ scportrait ${
      args.map((a) => path.isAbsolute(a) ? path.relative(Deno.cwd(), a) || "." : a).join(" ")
    }`,
  );
  const code = await main(args);
  if (code !== 0) {
    console.error(`demo stopped: 'scportrait ${args[0]}' exited with ${code}`);
    Deno.exit(code);
  }
}
console.log(`\nDemo project: ${project}`);
