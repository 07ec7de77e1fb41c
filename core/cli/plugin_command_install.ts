/**
 * `scportrait plugin install <id>@<range> | <package-folder>`: resolve, verify, test, cache, pin.
 * @module
 */
import { parseArgs } from "node:util";
import { checkPermissions } from "../permissions/check_permissions.ts";
import { HOST_ENV_VARS, YAML_ENV_VARS } from "../permissions/permission_needs.ts";
import { installNeeds } from "../permissions/permissions_for.ts";
import { DEFAULT_REGISTRY, installPlugin, isPackagePath } from "../registry/install_plugin.ts";
import { loadCaCerts } from "../registry/ca_certs.ts";
import { defaultCacheRoot } from "../registry/plugin_cache.ts";
import { manifestRef } from "../registry/manifest.ts";
import { loadTrustedKeys } from "../registry/trusted_keys.ts";
import { ScportraitError } from "../errors.ts";
import type { CliCommand } from "./command.ts";

/** `plugin install`. */
export const pluginInstallCommand: CliCommand = {
  name: "plugin install",
  summary: "install a plugin from a registry (id@range) or a package folder, verified and pinned",
  usage: `usage: scportrait plugin install <id>@<range> | <package-folder> [options]

Resolves the highest version matching <range> in the registry, verifies the component's sha256
(index + manifest) and the publisher's Ed25519 signature before anything is compiled, runs the
plugin's test vectors in the sandbox, stores it in the plugin cache and pins it in
<project>/scportrait.lock.

options:
  --registry <dir|url>  registry folder, file:// or https:// URL (default: $SCPORTRAIT_REGISTRY,
                        else this repository's registry/)
  --project <dir>       project whose scportrait.lock pins the plugin (default: .)
  --trust <pem>         also trust this Ed25519 public key (repeatable)
  --ca-cert <pem>       also trust this CA for an https:// registry (internal CA; repeatable)
  --allow-unsigned      accept a package without manifest.sig
  --no-tests            skip the test vectors (not recommended)`,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        registry: { type: "string" },
        project: { type: "string", default: "." },
        trust: { type: "string", multiple: true, default: [] },
        "ca-cert": { type: "string", multiple: true, default: [] },
        "allow-unsigned": { type: "boolean", default: false },
        "no-tests": { type: "boolean", default: false },
      },
    });
    if (positionals.length !== 1) {
      throw new ScportraitError("USAGE", `plugin install takes one <id>@<range> or folder.`);
    }
    const env = { read: [], write: [], net: [], env: [...HOST_ENV_VARS, ...YAML_ENV_VARS] };
    checkPermissions(env, "plugin install");
    const registry = values.registry ?? Deno.env.get("SCPORTRAIT_REGISTRY") ?? DEFAULT_REGISTRY;
    const cacheRoot = defaultCacheRoot();
    checkPermissions(
      installNeeds({
        registry: isPackagePath(positionals[0]) ? positionals[0] : registry,
        project: values.project,
        cacheRoot,
        trust: values.trust,
        caCerts: values["ca-cert"],
      }),
      "plugin install",
    );
    const result = await installPlugin({
      spec: positionals[0],
      registry,
      cacheRoot,
      project: values.project,
      trustedKeys: await loadTrustedKeys({ trust: values.trust }),
      allowUnsigned: values["allow-unsigned"],
      runTests: !values["no-tests"],
      caCerts: await loadCaCerts(values["ca-cert"]),
    });
    const m = result.package.manifest;
    const signer = result.lock.signed_by ? `signed by ${result.lock.signed_by}` : "UNSIGNED";
    console.log(
      `installed ${manifestRef(m)} (${m.world}) sha256 ${result.lock.sha256}\n` +
        `  ${signer}; ${result.tests.length} test vector(s) passed\n` +
        `  cache ${result.cacheDir}\n  pinned in ${values.project}/scportrait.lock`,
    );
    return 0;
  },
};
