/**
 * `scportrait plugin list` and `scportrait plugin info <id>`: what a project has pinned.
 * @module
 */
import { parseArgs } from "node:util";
import { ScportraitError } from "../errors.ts";
import { checkPermissions } from "../permissions/check_permissions.ts";
import { commandNeeds } from "../permissions/permission_needs.ts";
import { lockedEntry, openInstalledPlugin } from "../registry/installed_plugin.ts";
import { readLockfile } from "../registry/lockfile.ts";
import { loadTrustedKeys } from "../registry/trusted_keys.ts";
import type { CliCommand } from "./command.ts";

/** `plugin list`. */
export const pluginListCommand: CliCommand = {
  name: "plugin list",
  summary: "list the plugins pinned in a project's scportrait.lock",
  usage: `usage: scportrait plugin list [--project <dir>] [--json]`,
  async run(args) {
    const { values } = parseArgs({
      args,
      options: { project: { type: "string", default: "." }, json: { type: "boolean" } },
    });
    checkPermissions(commandNeeds({ project: values.project }), "plugin list");
    const lock = await readLockfile(values.project);
    if (values.json) {
      console.log(JSON.stringify(lock.plugins, null, 2));
      return 0;
    }
    const ids = Object.keys(lock.plugins);
    if (ids.length === 0) console.log(`no plugins pinned in ${values.project}/scportrait.lock`);
    for (const id of ids) {
      const e = lock.plugins[id];
      console.log(
        `${id}@${e.version}  sha256 ${e.sha256.slice(0, 16)}…  ` +
          `${e.signed_by ? `signed ${e.signed_by}` : "UNSIGNED"}  from ${e.registry}`,
      );
    }
    return 0;
  },
};

/** `plugin info`. */
export const pluginInfoCommand: CliCommand = {
  name: "plugin info",
  summary: "show the manifest of a pinned plugin (verified from the cache)",
  usage: `usage: scportrait plugin info <id> [--project <dir>] [--trust <pem>]`,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        project: { type: "string", default: "." },
        trust: { type: "string", multiple: true, default: [] },
      },
    });
    if (positionals.length !== 1) throw new ScportraitError("USAGE", "plugin info takes one <id>.");
    const needs = commandNeeds({ project: values.project, plugins: true, read: values.trust });
    checkPermissions(needs, "plugin info");
    await lockedEntry(values.project, positionals[0]);
    const p = await openInstalledPlugin(positionals[0], {
      project: values.project,
      trustedKeys: await loadTrustedKeys({ trust: values.trust }),
    });
    const m = p.package.manifest;
    const lines = [
      `${m.id}@${m.version}  world ${m.world}  (${m.wit})`,
      `  ${m.description.trim()}`,
      `  authors: ${m.authors.map((a) => a.name).join(", ")}; license ${m.license}`,
      `  inputs: ${m.inputs.channels.map((c) => c.role).join(", ") || "-"}; outputs: ${
        [...m.outputs.masks ?? [], ...m.outputs.features ?? []].join(", ") || "-"
      }`,
      `  halo ${m.halo} px; limits ${m.limits.memory_mib} MiB, ${m.limits.timeout_s} s per call`,
      `  params: ${JSON.stringify(m.params.properties ?? {})}`,
      `  sha256 ${p.lock.sha256}; ${p.lock.signed_by ? `signed ${p.lock.signed_by}` : "UNSIGNED"}`,
      `  cache ${p.cacheDir}`,
    ];
    console.log(lines.join("\n"));
    return 0;
  },
};
