/**
 * Test fixture: a throwaway Ed25519 key pair and a registry built in a temp folder from the
 * first-party threshold-segmentation package committed in `registry/` (its prebuilt component),
 * optionally in several versions.
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildRegistry } from "../../../core/registry/build_registry.ts";
import { importPublicKeyPem, toPem, type TrustedKey } from "../../../core/registry/ed25519.ts";

/** The committed first-party package used as the fixture's prebuilt plugin. */
export const COMMITTED_PACKAGE = fileURLToPath(
  new URL("../../../registry/packages/threshold-segmentation/0.1.0/", import.meta.url),
);

/** A throwaway key pair with its trusted public key and PEM. */
export interface TestKey {
  /** Private key (never written anywhere). */
  privateKey: CryptoKey;
  /** The public key as trusted key. */
  trusted: TrustedKey;
  /** Public key PEM. */
  publicPem: string;
}

/** Generates a throwaway Ed25519 key pair. */
export async function testKey(label = "test-key"): Promise<TestKey> {
  const pair = await crypto.subtle.generateKey({ name: "Ed25519" }, true, [
    "sign",
    "verify",
  ]) as CryptoKeyPair;
  const spki = new Uint8Array(await crypto.subtle.exportKey("spki", pair.publicKey));
  const publicPem = toPem(spki, "PUBLIC KEY");
  return {
    privateKey: pair.privateKey,
    trusted: await importPublicKeyPem(publicPem, label),
    publicPem,
  };
}

/** Copies the committed package into `dir/src-<version>` with `version` patched in. */
export async function pluginSource(dir: string, version = "0.1.0"): Promise<string> {
  const src = join(dir, `src-${version}`);
  await Deno.mkdir(join(src, "test"), { recursive: true });
  for (const e of Deno.readDirSync(join(COMMITTED_PACKAGE, "test"))) {
    await Deno.copyFile(join(COMMITTED_PACKAGE, "test", e.name), join(src, "test", e.name));
  }
  await Deno.copyFile(join(COMMITTED_PACKAGE, "component.wasm"), join(src, "component.wasm"));
  const text = await Deno.readTextFile(join(COMMITTED_PACKAGE, "manifest.yaml"));
  await Deno.writeTextFile(
    join(src, "manifest.yaml"),
    text.replace(/^version: .*$/m, `version: ${version}`),
  );
  return src;
}

/** Builds a registry in `dir/reg` with the given versions, signed by `key` unless undefined. */
export async function fixtureRegistry(
  dir: string,
  key: TestKey | undefined,
  versions: string[] = ["0.1.0"],
): Promise<string> {
  const out = join(dir, "reg");
  const plugins = [];
  for (const v of versions) plugins.push(await pluginSource(dir, v));
  await buildRegistry({
    plugins,
    outDir: out,
    privateKey: key?.privateKey,
    build: false,
    progress: false,
  });
  return out;
}

/** Every file under `dir` (relative paths, sorted) with its size; [] when absent. */
export function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const e of Deno.readDirSync(d)) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory) walk(join(d, e.name), r);
      else out.push(`${r}:${Deno.statSync(join(d, e.name)).size}`);
    }
  };
  try {
    walk(dir, "");
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return out.sort();
}
