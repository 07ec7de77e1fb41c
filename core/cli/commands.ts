/**
 * The table of CLI subcommands. Add one import and one entry per command file.
 * @module
 */
import type { CliCommand } from "./command.ts";

/** Every subcommand `cli.ts` dispatches to, in help order. */
export const commands: CliCommand[] = [];
