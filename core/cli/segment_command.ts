/**
 * `scportrait segment <project>`: runs the segmentation step with the plugin pinned in the
 * project's `scportrait.lock` (or an explicit `--plugin` + `--manifest`), resuming an interrupted
 * run.
 * @module
 */
import { parseArgs } from "node:util";
import { ScportraitError } from "../errors.ts";
import { checkPermissions } from "../permissions/check_permissions.ts";
import { commandNeeds } from "../permissions/permission_needs.ts";
import { Project } from "../project/project.ts";
import { segmentProject } from "../steps/segment/segment_project.ts";
import { resolveSegmentationPlugin } from "../steps/segment/segmentation_plugin.ts";
import type { CliCommand } from "./command.ts";

const USAGE = `usage: scportrait segment <project> [options]

Segments the project's input image with the config's segmentation.method, tile by tile in a pool
of sandboxed workers, and writes scportrait.sdata/labels/seg_all_<mask> (uint64, multiscale),
segmentation/centers_seg_all_<mask>.csv and segmentation/classes.csv. Cell ids come from each
cell's anchor pixel, so they do not depend on the tile size or worker count. An interrupted run
resumes: only unfinished tiles are computed again.

options:
  --tile-size <px>        core tile side (default: segmentation.tile_size, 2048)
  --workers <n>           worker count (default: segmentation.workers, else one per CPU core)
  --overwrite             replace existing masks and start over
  --plugin <file.wasm>    run this component instead of the pinned plugin (with --manifest)
  --manifest <file.yaml>  the manifest of --plugin
  --trust <pem>           also trust this publisher key for the pinned plugin (repeatable)
  --quiet                 no progress output
  --json                  progress and the result as JSON lines`;

function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new ScportraitError("USAGE", `${flag} must be a positive integer, got "${value}".`);
  }
  return n;
}

/** The `segment` subcommand. */
export const segmentCommand: CliCommand = {
  name: "segment",
  summary: "segment the input image into nucleus/cytosol masks with the pinned plugin",
  usage: USAGE,
  async run(args: string[]): Promise<number> {
    const { values, positionals } = parseArgs({
      args,
      options: {
        "tile-size": { type: "string" },
        workers: { type: "string" },
        overwrite: { type: "boolean", default: false },
        plugin: { type: "string" },
        manifest: { type: "string" },
        trust: { type: "string", multiple: true, default: [] },
        quiet: { type: "boolean", default: false },
        json: { type: "boolean", default: false },
      },
      allowPositionals: true,
    });
    if (positionals.length !== 1) {
      throw new ScportraitError("USAGE", `Give exactly one project folder.\n\n${USAGE}`);
    }
    const read = [values.plugin, values.manifest, ...values.trust];
    checkPermissions(
      commandNeeds({
        project: positionals[0],
        writeProject: true,
        read,
        plugins: true,
        workers: true,
      }),
      "segment",
    );
    const project = await Project.open(positionals[0]!);
    const config = (await project.loadConfig()).config.segmentation;
    if (config === undefined) {
      throw new ScportraitError(
        "CONFIG_INVALID",
        `${project.paths.config} has no segmentation section: add one to segment.`,
      );
    }
    const plugin = await resolveSegmentationPlugin(project.root, config, {
      componentPath: values.plugin,
      manifestPath: values.manifest,
      trust: values.trust,
    });
    const result = await segmentProject(project, {
      plugin,
      tileSize: positiveInt(values["tile-size"], "--tile-size"),
      workers: positiveInt(values.workers, "--workers"),
      overwrite: values.overwrite,
      quiet: values.quiet,
      json: values.json,
      warn: (m) => console.error(values.json ? JSON.stringify({ warning: m }) : `warning: ${m}`),
    });
    if (values.json) console.log(JSON.stringify(result));
    else if (!values.quiet) {
      const counts = Object.entries(result.counts).map(([k, v]) => `${k} ${v}`).join(", ");
      console.log(
        `segmented ${result.tiles} tiles (${result.computedTiles} computed now) in ` +
          `${result.seconds.toFixed(1)} s: ${counts}`,
      );
    }
    return 0;
  },
};
