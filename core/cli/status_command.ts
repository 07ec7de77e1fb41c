/**
 * `scportrait status <project> [--json]`: what a project holds — input image, masks, centres,
 * cell counts, extraction file, featurization tables, selections, pinned plugins and
 * unfinished runs — as a table or as JSON.
 * @module
 */
import { parseArgs } from "node:util";
import { ScportraitError } from "../errors.ts";
import { checkPermissions } from "../permissions/check_permissions.ts";
import { commandNeeds } from "../permissions/permission_needs.ts";
import { formatProjectStatus } from "../project/format_status.ts";
import { Project } from "../project/project.ts";
import type { CliCommand } from "./command.ts";

const USAGE = `usage: scportrait status <project> [--json]

Shows what the project holds: input image (channels, shape), nucleus/cytosol segmentation and
centres, cell counts, the .h5sc extraction file, featurization tables, selection XMLs, plugins
pinned in scportrait.lock, and runs that did not finish (they resume when rerun).

options:
  --json   print the status as JSON instead of a table`;

/** The `status` subcommand. */
export const statusCommand: CliCommand = {
  name: "status",
  summary: "show what a project holds and which runs are unfinished",
  usage: USAGE,
  async run(args: string[]): Promise<number> {
    const { values, positionals } = parseArgs({
      args,
      options: { json: { type: "boolean", default: false } },
      allowPositionals: true,
    });
    if (positionals.length !== 1) {
      throw new ScportraitError("USAGE", `Give exactly one project folder.\n\n${USAGE}`);
    }
    checkPermissions(commandNeeds({ project: positionals[0] }), "status");
    const project = await Project.open(positionals[0]!);
    const status = await project.status();
    console.log(values.json ? JSON.stringify(status, null, 2) : formatProjectStatus(status));
    return 0;
  },
};
