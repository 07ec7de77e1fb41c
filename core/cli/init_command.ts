/**
 * `scportrait init <project> --config <file|url> [--overwrite]`: creates a project folder with
 * a verbatim copy of the config (`config.yml`), the normalised config with the defaults applied
 * (`config.resolved.json`) and the project log.
 * @module
 */
import { parseArgs } from "node:util";
import { loadConfig } from "../config/load_config.ts";
import { ScportraitError } from "../errors.ts";
import { checkPermissions } from "../permissions/check_permissions.ts";
import { commandNeeds } from "../permissions/permission_needs.ts";
import { Project } from "../project/project.ts";
import type { CliCommand } from "./command.ts";

const USAGE = `usage: scportrait init <project> --config <file|url> [--overwrite]

Creates a project: copies the config into <project>/config.yml byte for byte, writes the
normalised config with every default applied to <project>/config.resolved.json, and starts
<project>/processing.log. An existing project with the same config is left as is.

options:
  --config <file|url>  the pipeline config (YAML; a local path or an https:// URL)
  --overwrite          start over: delete an existing project's files (other files are kept)`;

/** The `init` subcommand. */
export const initCommand: CliCommand = {
  name: "init",
  summary: "create a project folder from a config",
  usage: USAGE,
  async run(args: string[]): Promise<number> {
    const { values, positionals } = parseArgs({
      args,
      options: {
        config: { type: "string" },
        overwrite: { type: "boolean", default: false },
      },
      allowPositionals: true,
    });
    if (positionals.length !== 1 || values.config === undefined) {
      throw new ScportraitError(
        "USAGE",
        `Give one project folder and --config <file|url>.\n\n${USAGE}`,
      );
    }
    const needs = commandNeeds({
      project: positionals[0],
      writeProject: true,
      read: [values.config],
    });
    checkPermissions(needs, "init");
    const config = await loadConfig(values.config);
    const project = await Project.create(positionals[0]!, {
      config,
      overwrite: values.overwrite,
    });
    for (const warning of config.warnings) console.error(`warning: ${warning}`);
    console.log(
      `project ${project.root}\n  config      ${project.paths.config} (from ${config.source})\n` +
        `  resolved    ${project.paths.resolvedConfig} ` +
        `(${config.defaultsApplied.length} defaults applied)\n` +
        `  log         ${project.paths.log}`,
    );
    return 0;
  },
};
