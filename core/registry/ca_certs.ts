/**
 * Extra certificate authorities for `https://` registries: a lab that serves its registry with
 * a certificate from an internal CA passes that CA's PEM with `--ca-cert`, and only the registry
 * client trusts it (added to the default roots of its own `Deno.HttpClient`).
 * @module
 */
import { ScportraitError } from "../errors.ts";

const PEM_CERT = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * Checks that `pem` holds at least one PEM certificate block and returns the blocks; `source`
 * names the file in the message. Throws `REGISTRY_ERROR` otherwise (Deno silently ignores text
 * without a certificate, which would leave the user wondering why the CA is not trusted).
 */
export function parseCaCertPem(pem: string, source: string): string[] {
  const blocks = pem.match(PEM_CERT) ?? [];
  if (blocks.length === 0) {
    throw new ScportraitError(
      "REGISTRY_ERROR",
      `${source} holds no PEM certificate ("-----BEGIN CERTIFICATE-----" block). Pass the CA ` +
        "certificate (not a key or a DER file; convert DER with `openssl x509 -inform der`).",
    );
  }
  return blocks.map((b) => `${b}\n`);
}

/** Reads CA certificate PEM files (`--ca-cert`); throws `REGISTRY_ERROR` naming a bad file. */
export async function loadCaCerts(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const path of paths) {
    let text: string;
    try {
      text = await Deno.readTextFile(path);
    } catch (error) {
      throw new ScportraitError(
        "REGISTRY_ERROR",
        `Cannot read the CA certificate ${path} (${(error as Error).message}). Check the ` +
          "--ca-cert path.",
        { cause: error },
      );
    }
    out.push(...parseCaCertPem(text, path));
  }
  return out;
}
