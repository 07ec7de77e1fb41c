/**
 * The table of CLI subcommands. Add one import and one entry per command file.
 * @module
 */
import { ScportraitError } from "../errors.ts";
import type { CliCommand } from "./command.ts";
import { initCommand } from "./init_command.ts";
import { loadCommand } from "./load_command.ts";
import { statusCommand } from "./status_command.ts";
import { pluginInstallCommand } from "./plugin_command_install.ts";
import { pluginInfoCommand, pluginListCommand } from "./plugin_command_list.ts";
import { pluginRemoveCommand, pluginVerifyCommand } from "./plugin_command_verify.ts";
import { registryBuildCommand } from "./registry_command.ts";
import { segmentCommand } from "./segment_command.ts";
import { extractCommand } from "./extract_command.ts";
import { permissionsCommand } from "./permissions_command.ts";
import { reportCommand } from "./report_command.ts";
import { makeRunCommand } from "./run_command.ts";

/** Every subcommand `cli.ts` dispatches to, in help order. */
export const commands: CliCommand[] = [
  makeRunCommand({ run: runSubcommand, has: (name) => commands.some((c) => c.name === name) }),
  initCommand,
  loadCommand,
  statusCommand,
  segmentCommand,
  extractCommand,
  pluginInstallCommand,
  pluginListCommand,
  pluginInfoCommand,
  pluginVerifyCommand,
  pluginRemoveCommand,
  registryBuildCommand,
  permissionsCommand,
  reportCommand,
];

/** Finds the subcommand named by the first one or two words of `args`. */
export function findCommand(args: string[]): { command: CliCommand; rest: string[] } | undefined {
  for (const words of [2, 1]) {
    const name = args.slice(0, words).join(" ");
    const command = commands.find((c) => c.name === name);
    if (command) return { command, rest: args.slice(words) };
  }
  return undefined;
}

/** Runs `scportrait <args>` in-process; resolves to its exit code. */
export function runSubcommand(args: string[]): Promise<number> {
  const found = findCommand(args);
  if (!found) {
    return Promise.reject(
      new ScportraitError("USAGE", `Unknown subcommand: scportrait ${args.join(" ")}`),
    );
  }
  return found.command.run(found.rest);
}
