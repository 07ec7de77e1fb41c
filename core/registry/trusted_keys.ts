/**
 * The publisher keys an install trusts: the first-party key committed in `keys/` plus any keys
 * the user names with `--trust <pem>`.
 * @module
 */
import { fileURLToPath } from "node:url";
import { ScportraitError } from "../errors.ts";
import { importPublicKeyPem, type TrustedKey } from "./ed25519.ts";

/** Path of the first-party publisher's public key committed in the repository. */
export const FIRST_PARTY_KEY_PATH: string = fileURLToPath(
  new URL("../../keys/first_party_publisher.public.pem", import.meta.url),
);

/** Options of {@link loadTrustedKeys}. */
export interface TrustOptions {
  /** Extra SPKI PEM public key files to trust. */
  trust?: readonly string[];
  /** Trust the first-party key (default true). */
  firstParty?: boolean;
}

async function readKey(path: string): Promise<TrustedKey> {
  let pem: string;
  try {
    pem = await Deno.readTextFile(path);
  } catch (error) {
    throw new ScportraitError(
      "SIGNATURE_ERROR",
      `Cannot read the public key ${path} (${(error as Error).message}). Check the --trust path.`,
      { cause: error },
    );
  }
  return await importPublicKeyPem(pem, path);
}

/** Loads the trusted keys: the first-party key (unless disabled) and every `trust` file. */
export async function loadTrustedKeys(options: TrustOptions = {}): Promise<TrustedKey[]> {
  const paths = [
    ...(options.firstParty ?? true ? [FIRST_PARTY_KEY_PATH] : []),
    ...options.trust ?? [],
  ];
  const keys: TrustedKey[] = [];
  for (const p of paths) keys.push(await readKey(p));
  return keys;
}
