/**
 * The table of CLI subcommands. Add one import and one entry per command file.
 * @module
 */
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

/** Every subcommand `cli.ts` dispatches to, in help order. */
export const commands: CliCommand[] = [
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
