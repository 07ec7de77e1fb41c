/**
 * `scportrait report <project> [--out <file>] [--cells N]`: writes the project's self-contained
 * HTML report and prints its path.
 * @module
 */
import { parseArgs } from "node:util";
import { ScportraitError } from "../errors.ts";
import { checkPermissions } from "../permissions/check_permissions.ts";
import { commandNeeds } from "../permissions/permission_needs.ts";
import type { CliCommand } from "./command.ts";

const USAGE = `usage: scportrait report <project> [--out <file>] [--cells N] [--quiet]

Writes one self-contained HTML file (images inlined, opens offline): overview and step history;
and, when their data exists, channel previews and an RGB composite, segmentation outlines with
zoomed crops and cell-area histograms, a gallery of the first N cells of the .h5sc, feature
histograms, and the cutting shapes of selection/*.xml. Prints the path of the report.

options:
  --out <file>   where to write (default <project>/report.html)
  --cells N      cells in the gallery (default 48)
  --quiet        no progress output`;

/** The `report` subcommand. */
export const reportCommand: CliCommand = {
  name: "report",
  summary: "write an HTML report of a project (previews, masks, cells, features, shapes)",
  usage: USAGE,
  async run(args: string[]): Promise<number> {
    const { values, positionals } = parseArgs({
      args,
      options: {
        out: { type: "string" },
        cells: { type: "string" },
        quiet: { type: "boolean", default: false },
      },
      allowPositionals: true,
    });
    if (positionals.length !== 1) {
      throw new ScportraitError("USAGE", `Give exactly one project folder.\n\n${USAGE}`);
    }
    const cells = values.cells === undefined ? 48 : Number(values.cells);
    if (!Number.isInteger(cells) || cells < 0) {
      throw new ScportraitError(
        "USAGE",
        `--cells ${values.cells} is not a whole number ≥ 0: give e.g. --cells 48.`,
      );
    }
    const needs = {
      project: positionals[0],
      writeProject: true,
      write: [values.out],
      anyEnv: true,
    };
    checkPermissions(commandNeeds({ ...needs, workers: true }), "report");
    // Imported here, not at the top: h5wasm reads the whole environment when it loads, and the
    // other commands (which share cli.ts) must run with a scoped --allow-env.
    const { buildReport } = await import("../ui/report/build_report.ts");
    const result = await buildReport(positionals[0]!, {
      out: values.out,
      cells,
      quiet: values.quiet,
    });
    for (const warning of result.warnings) console.error(`warning: ${warning}`);
    console.log(result.path);
    return 0;
  },
};
