/**
 * `scportrait` command-line entry: `deno run -A cli.ts <command> [options]`.
 * Thin by design: finds the subcommand, runs it, and turns typed errors into clear messages.
 * @module
 */
import { commands, findCommand } from "./core/cli/commands.ts";
import { ScportraitError } from "./core/errors.ts";

function help(): string {
  const width = Math.max(...commands.map((c) => c.name.length), 4);
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    "scportrait — single-cell image datasets and LMD cutting files from microscopy images",
    "",
    "usage: scportrait <command> [options]      (deno task cli <command> …)",
    "",
    "commands:",
    ...lines,
    "",
    "Run `scportrait <command> --help` for a command's options.",
  ].join("\n");
}

/** Runs the CLI with `args`; resolves to the process exit code. */
export async function main(args: string[]): Promise<number> {
  if (args.length === 0 || ["help", "--help", "-h"].includes(args[0])) {
    console.log(help());
    return 0;
  }
  const found = findCommand(args);
  if (!found) {
    console.error(`scportrait: unknown command '${args[0]}'.\n\n${help()}`);
    return 2;
  }
  const { command } = found;
  if (found.rest.includes("--help") || found.rest.includes("-h")) {
    console.log(command.usage);
    return 0;
  }
  try {
    return await command.run(found.rest);
  } catch (error) {
    if (error instanceof ScportraitError) {
      console.error(`error [${error.code}]: ${error.message}`);
      if (Deno.env.get("SCPORTRAIT_DEBUG") && error.cause) console.error(error.cause);
      return error.code === "USAGE" ? 2 : 1;
    }
    if (
      error instanceof TypeError && /ERR_PARSE_ARGS/.test(String((error as { code?: string }).code))
    ) {
      console.error(`error [USAGE]: ${error.message}\n\n${command.usage}`);
      return 2;
    }
    throw error;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
