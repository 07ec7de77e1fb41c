/**
 * Ed25519 publisher keys and manifest signatures with WebCrypto. Public keys are SPKI PEM,
 * private keys PKCS#8 PEM; `manifest.sig` is the base64 of the 64-byte signature over the exact
 * bytes of `manifest.yaml`, followed by a newline.
 * @module
 */
import { ScportraitError } from "../errors.ts";
import { sha256Hex } from "./digest.ts";

/** A public key the user trusts, with where it came from and its fingerprint. */
export interface TrustedKey {
  /** The imported WebCrypto key. */
  key: CryptoKey;
  /** File or label the key was read from (for messages). */
  source: string;
  /** First 16 hex digits of the sha256 of the SPKI DER bytes. */
  fingerprint: string;
}

function pemBody(pem: string, label: string, source: string): Uint8Array<ArrayBuffer> {
  const m = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+)-----END ${label}-----`)
    .exec(pem);
  if (!m) {
    throw new ScportraitError(
      "SIGNATURE_ERROR",
      `${source} is not a PEM "${label}" (expected -----BEGIN ${label}-----). Give an Ed25519 ` +
        `${label === "PUBLIC KEY" ? "SPKI public" : "PKCS#8 private"} key in PEM form.`,
    );
  }
  return Uint8Array.from(atob(m[1].replace(/\s+/g, "")), (c) => c.charCodeAt(0));
}

/** Imports an Ed25519 SPKI PEM public key; throws `SIGNATURE_ERROR` naming `source`. */
export async function importPublicKeyPem(pem: string, source: string): Promise<TrustedKey> {
  const der = pemBody(pem, "PUBLIC KEY", source);
  try {
    const key = await crypto.subtle.importKey("spki", der, { name: "Ed25519" }, true, ["verify"]);
    return { key, source, fingerprint: (await sha256Hex(der)).slice(0, 16) };
  } catch (error) {
    throw new ScportraitError(
      "SIGNATURE_ERROR",
      `${source} is not an Ed25519 public key (${error}).`,
      { cause: error },
    );
  }
}

/** Imports an Ed25519 PKCS#8 PEM private key; throws `SIGNATURE_ERROR` naming `source`. */
export async function importPrivateKeyPem(pem: string, source: string): Promise<CryptoKey> {
  const der = pemBody(pem, "PRIVATE KEY", source);
  try {
    return await crypto.subtle.importKey("pkcs8", der, { name: "Ed25519" }, false, ["sign"]);
  } catch (error) {
    throw new ScportraitError(
      "SIGNATURE_ERROR",
      `${source} is not an Ed25519 private key (${error}).`,
      { cause: error },
    );
  }
}

/** Encodes DER bytes as PEM with the given label (64-character lines). */
export function toPem(der: Uint8Array, label: "PUBLIC KEY" | "PRIVATE KEY"): string {
  const b64 = btoa(String.fromCharCode(...der));
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/** Signs `bytes`; returns the `manifest.sig` text (base64 signature + newline). */
export async function signManifest(privateKey: CryptoKey, bytes: Uint8Array): Promise<string> {
  const sig = await crypto.subtle.sign("Ed25519", privateKey, bytes as Uint8Array<ArrayBuffer>);
  return btoa(String.fromCharCode(...new Uint8Array(sig))) + "\n";
}

/**
 * Returns the trusted key whose signature `sigText` (a `manifest.sig`) is over `bytes`, or
 * undefined when none verifies. A malformed signature file throws `SIGNATURE_ERROR`.
 */
export async function findSigner(
  keys: readonly TrustedKey[],
  bytes: Uint8Array,
  sigText: string,
  source: string,
): Promise<TrustedKey | undefined> {
  let sig: Uint8Array<ArrayBuffer>;
  try {
    sig = Uint8Array.from(atob(sigText.trim()), (c) => c.charCodeAt(0));
  } catch (error) {
    throw new ScportraitError("SIGNATURE_ERROR", `${source} is not base64.`, { cause: error });
  }
  if (sig.length !== 64) {
    throw new ScportraitError(
      "SIGNATURE_ERROR",
      `${source} holds ${sig.length} bytes; an Ed25519 signature has 64.`,
    );
  }
  for (const k of keys) {
    const ok = await crypto.subtle.verify("Ed25519", k.key, sig, bytes as Uint8Array<ArrayBuffer>);
    if (ok) return k;
  }
  return undefined;
}
