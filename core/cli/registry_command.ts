/**
 * `scportrait registry build <plugins-dir> <out-dir> --key <private key pem>`.
 * @module
 */
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ScportraitError } from "../errors.ts";
import { checkPermissions } from "../permissions/check_permissions.ts";
import { commandNeeds, REPO_ROOT } from "../permissions/permission_needs.ts";
import { buildRegistry } from "../registry/build_registry.ts";
import { importPrivateKeyPem } from "../registry/ed25519.ts";
import type { CliCommand } from "./command.ts";

/** Sub-folders of `dir` that hold a `manifest.yaml`, sorted by name. */
export function pluginFolders(dir: string): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(dir)) {
    if (!e.isDirectory) continue;
    try {
      if (Deno.statSync(join(dir, e.name, "manifest.yaml")).isFile) out.push(join(dir, e.name));
    } catch { /* not a plugin folder */ }
  }
  return out.sort();
}

/** `registry build`. */
export const registryBuildCommand: CliCommand = {
  name: "registry build",
  summary: "build, sign and index plugin folders into a static registry",
  usage: `usage: scportrait registry build <plugins-dir> <out-dir> --key <private.pem> [options]

Builds every plugin folder of <plugins-dir> (those with manifest.yaml; AssemblyScript ones are
compiled), runs each plugin's test vectors in the sandbox (a failing plugin is not published and
nothing is written), writes <out-dir>/packages/<id>/<version>/ with the manifest's
artifact.sha256 and files filled in, signs each manifest with the Ed25519 key and writes
<out-dir>/index.json. Published versions are immutable: changing one without a version bump is
refused.

options:
  --key <pem>       PKCS#8 PEM Ed25519 private key (keep it outside the repository)
  --unsigned        build without signatures (for local testing only)
  --only <id>       only the plugin folder named <id> (repeatable)
  --no-build        package the existing artifacts without compiling
  --replace         let an already published version change (development only)
  --no-tests        skip the test vectors (development only)`,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        key: { type: "string" },
        unsigned: { type: "boolean", default: false },
        only: { type: "string", multiple: true, default: [] },
        "no-build": { type: "boolean", default: false },
        replace: { type: "boolean", default: false },
        "no-tests": { type: "boolean", default: false },
      },
    });
    if (positionals.length !== 2) {
      throw new ScportraitError("USAGE", "registry build takes <plugins-dir> <out-dir>.");
    }
    if (!values.key && !values.unsigned) {
      throw new ScportraitError(
        "USAGE",
        "registry build needs --key <private.pem> (or --unsigned).",
      );
    }
    checkPermissions(
      commandNeeds({
        // Sources (a build writes <plugin>/build/), the WIT package, the key; the registry.
        write: [values["no-build"] ? undefined : positionals[0], positionals[1]],
        read: [positionals[0], join(REPO_ROOT, "wit"), values.key],
        workers: true,
      }),
      "registry build",
    );
    const privateKey = values.key
      ? await importPrivateKeyPem(await Deno.readTextFile(values.key), values.key)
      : undefined;
    let plugins = pluginFolders(positionals[0]);
    if (values.only.length > 0) {
      plugins = plugins.filter((p) => values.only.some((o) => p.endsWith(`/${o}`)));
    }
    const built = await buildRegistry({
      plugins,
      outDir: positionals[1],
      privateKey,
      build: !values["no-build"],
      replace: values.replace,
      runTests: !values["no-tests"],
    });
    for (const b of built) {
      console.log(`${b.id}@${b.version}  sha256 ${b.sha256}  ${b.path}  ${b.tests} test(s) passed`);
    }
    return 0;
  },
};
