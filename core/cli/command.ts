/**
 * The shape of one CLI subcommand. `cli.ts` only dispatches; each command parses its own flags with
 * `node:util` parseArgs and calls the library API.
 * @module
 */

/** One `scportrait <name> …` subcommand. */
export interface CliCommand {
  /** Subcommand name, possibly two words (e.g. `plugin install`). */
  name: string;
  /** One-line description shown by `scportrait help`. */
  summary: string;
  /** Usage text shown by `scportrait <name> --help`. */
  usage: string;
  /** Runs the command with the arguments after its name; resolves to the exit code. */
  run(args: string[]): Promise<number>;
}
