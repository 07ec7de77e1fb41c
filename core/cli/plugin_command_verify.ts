/**
 * `scportrait plugin verify <id>` (sha256 + signature + test vectors again) and
 * `scportrait plugin remove <id>` (unpin).
 * @module
 */
import { parseArgs } from "node:util";
import { ScportraitError } from "../errors.ts";
import { checkPermissions } from "../permissions/check_permissions.ts";
import { commandNeeds } from "../permissions/permission_needs.ts";
import { openInstalledPlugin } from "../registry/installed_plugin.ts";
import { unpinPlugin } from "../registry/lockfile.ts";
import { loadTrustedKeys } from "../registry/trusted_keys.ts";
import type { CliCommand } from "./command.ts";

/** `plugin verify`. */
export const pluginVerifyCommand: CliCommand = {
  name: "plugin verify",
  summary: "re-check a pinned plugin: sha256, signature and test vectors",
  usage: `usage: scportrait plugin verify <id> [--project <dir>] [--trust <pem>]`,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        project: { type: "string", default: "." },
        trust: { type: "string", multiple: true, default: [] },
      },
    });
    if (positionals.length !== 1) {
      throw new ScportraitError("USAGE", "plugin verify takes one <id>.");
    }
    checkPermissions(
      commandNeeds({ project: values.project, plugins: true, workers: true, read: values.trust }),
      "plugin verify",
    );
    const p = await openInstalledPlugin(positionals[0], {
      project: values.project,
      trustedKeys: await loadTrustedKeys({ trust: values.trust }),
      runTests: true,
    });
    console.log(
      `ok ${positionals[0]}@${p.lock.version}: sha256 ${p.lock.sha256} matches, ` +
        `${p.lock.signed_by ? `signature by ${p.lock.signed_by} valid` : "unsigned"}, ` +
        `${p.tests.length} test vector(s) passed`,
    );
    return 0;
  },
};

/** `plugin remove`. */
export const pluginRemoveCommand: CliCommand = {
  name: "plugin remove",
  summary: "unpin a plugin from a project's scportrait.lock",
  usage: `usage: scportrait plugin remove <id> [--project <dir>]

The cached package stays (other projects may use it); the cache is keyed by sha256.`,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { project: { type: "string", default: "." } },
    });
    if (positionals.length !== 1) {
      throw new ScportraitError("USAGE", "plugin remove takes one <id>.");
    }
    checkPermissions(
      commandNeeds({ project: values.project, writeProject: true }),
      "plugin remove",
    );
    if (!(await unpinPlugin(values.project, positionals[0]))) {
      throw new ScportraitError(
        "PLUGIN_INVALID",
        `Plugin ${positionals[0]} is not pinned in ${values.project}/scportrait.lock.`,
      );
    }
    console.log(`removed ${positionals[0]} from ${values.project}/scportrait.lock`);
    return 0;
  },
};
