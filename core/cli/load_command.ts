/**
 * `scportrait load <project> --tif a.tif [b.tif …] | --ome-zarr <path|url>`: loads the input
 * image into the project's SpatialData store (`images/input_image`), chunk by chunk, resuming an
 * interrupted load.
 * @module
 */
import { parseArgs } from "node:util";
import { loadConfig } from "../config/load_config.ts";
import { ScportraitError } from "../errors.ts";
import { checkPermissions } from "../permissions/check_permissions.ts";
import { commandNeeds } from "../permissions/permission_needs.ts";
import { Project } from "../project/project.ts";
import { loadInput } from "../steps/load/load_project_input.ts";
import type { CliCommand } from "./command.ts";

const USAGE = `usage: scportrait load <project> --tif <a.tif> [<b.tif> …] [options]
       scportrait load <project> --ome-zarr <path|https-url> [options]

Writes the input image into <project>/scportrait.sdata/images/input_image (c, y, x uint16, NGFF
0.4 multiscale). Channels are, in order, the planes of the TIFF files (one 2-D TIFF per channel,
or multi-page / multi-sample / OME-TIFF) or the channels of the OME-Zarr image (level 0).
A load that was interrupted resumes where it stopped.

options:
  --tif <file> …          TIFF input (several files: one per channel, in order)
  --ome-zarr <path|url>   OME-Zarr input (local folder or https:// URL; read chunk by chunk)
  --channels <a,b,…>      channel names (default: config input.channels, OME metadata, channel_<i>)
  --config <file|url>     create the project with this config if it does not exist yet
  --uint8-scale <k>       factor for uint8 input: 255 (default, as scPortrait), 257 or 1
  --overwrite             replace an existing input image
  --quiet                 no progress output
  --json                  progress and the result as JSON lines`;

/** The `load` subcommand. */
export const loadCommand: CliCommand = {
  name: "load",
  summary: "load TIFF or OME-Zarr input into the project's SpatialData store",
  usage: USAGE,
  async run(args: string[]): Promise<number> {
    const { values, positionals } = parseArgs({
      args,
      options: {
        tif: { type: "string", multiple: true },
        "ome-zarr": { type: "string" },
        channels: { type: "string" },
        config: { type: "string" },
        "uint8-scale": { type: "string" },
        overwrite: { type: "boolean", default: false },
        quiet: { type: "boolean", default: false },
        json: { type: "boolean", default: false },
      },
      allowPositionals: true,
    });
    const [projectDir, ...extraFiles] = positionals;
    const tifs = [...(values.tif ?? []), ...(values.tif ? extraFiles : [])];
    if (projectDir === undefined || (tifs.length === 0) === (values["ome-zarr"] === undefined)) {
      throw new ScportraitError(
        "USAGE",
        `Give a project folder and either --tif files or --ome-zarr.\n\n${USAGE}`,
      );
    }
    if (!values.tif && extraFiles.length > 0) {
      throw new ScportraitError("USAGE", `Unexpected arguments: ${extraFiles.join(" ")}`);
    }
    const read = [...tifs, values["ome-zarr"], values.config];
    checkPermissions(
      commandNeeds({ project: projectDir, writeProject: true, read, workers: true }),
      "load",
    );
    const uint8Scale = parseUint8Scale(values["uint8-scale"]);
    const project = values.config === undefined
      ? await Project.open(projectDir)
      : await Project.create(projectDir, { config: await loadConfig(values.config) });
    const result = await loadInput(project, {
      tif: tifs.length > 0 ? tifs : undefined,
      omeZarr: values["ome-zarr"],
      channelNames: values.channels?.split(",").map((name) => name.trim()),
      uint8Scale,
      overwrite: values.overwrite,
      progress: { quiet: values.quiet, json: values.json },
    });
    for (const warning of result.warnings) console.error(`warning: ${warning}`);
    if (values.json) {
      console.log(JSON.stringify({ project: project.root, ...result }));
    } else if (!values.quiet) {
      const [c, h, w] = result.shape;
      console.log(
        `loaded ${c}×${h}×${w} (${result.channelNames.join(", ")}) into ` +
          `${project.paths.sdata}/images/input_image: ${result.chunksWritten} chunks written` +
          (result.chunksResumed ? `, ${result.chunksResumed} kept from an interrupted load` : "") +
          `, ${(result.bytes / 2 ** 20 / result.seconds).toFixed(0)} MiB/s`,
      );
    }
    return 0;
  },
};

function parseUint8Scale(text: string | undefined): 1 | 255 | 257 | undefined {
  if (text === undefined) return undefined;
  if (text === "1" || text === "255" || text === "257") return Number(text) as 1 | 255 | 257;
  throw new ScportraitError("USAGE", `--uint8-scale must be 255, 257 or 1, not "${text}".`);
}
