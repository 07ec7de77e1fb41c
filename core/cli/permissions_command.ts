/**
 * `scportrait permissions <config>`: prints the least-privilege `deno run` line for a config.
 * @module
 */
import { parseArgs } from "node:util";
import { loadConfig } from "../config/load_config.ts";
import { ScportraitError } from "../errors.ts";
import { permissionsFor } from "../permissions/permissions_for.ts";
import { defaultCacheRoot } from "../registry/plugin_cache.ts";
import type { CliCommand } from "./command.ts";

/** `permissions`. */
export const permissionsCommand: CliCommand = {
  name: "permissions",
  summary: "print the least-privilege `deno run` command lines for a config",
  usage: `usage: scportrait permissions <config> [--project <dir>] [--input <path|url>]…
                              [--registry <dir|url>] [--trust <pem>]… [--cache <dir>]

Prints one 'deno run --allow-read=… --allow-write=… --allow-net=… --allow-env… cli.ts <command> …'
line per pipeline command that exists (init, plugin install per method, load when --input is
given, segment, extract) and one for 'run', their union; each with exactly what that command
needs: reads scoped to the config, inputs, project, plugin cache, keys and the host's
own files, writes to the project (and the cache for installs), network to the hosts of remote
inputs/config/registry only.`,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        project: { type: "string", default: "." },
        input: { type: "string", multiple: true, default: [] },
        registry: { type: "string" },
        trust: { type: "string", multiple: true, default: [] },
        cache: { type: "string" },
      },
    });
    if (positionals.length !== 1) {
      throw new ScportraitError("USAGE", "permissions takes one <config> (path or https URL).");
    }
    const loaded = await loadConfig(positionals[0]);
    console.log(permissionsFor({
      configSource: positionals[0],
      config: loaded.config,
      project: values.project,
      inputs: values.input,
      cacheRoot: values.cache ?? defaultCacheRoot(),
      registry: values.registry,
      trust: values.trust,
    }));
    return 0;
  },
};
