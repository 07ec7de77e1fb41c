/**
 * The table of CLI subcommands. Add one import and one entry per command file.
 * @module
 */
import type { CliCommand } from "./command.ts";
import { initCommand } from "./init_command.ts";
import { statusCommand } from "./status_command.ts";

/** Every subcommand `cli.ts` dispatches to, in help order. */
export const commands: CliCommand[] = [initCommand, statusCommand];
