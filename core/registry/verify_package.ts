/**
 * Verifies a plugin package before anything of it is compiled: the manifest against the index,
 * the publisher's Ed25519 signature over the exact manifest bytes, the id and version the index
 * promised, and the sha256 of the component and of every test file against the signed manifest.
 * @module
 */
import { ScportraitError } from "../errors.ts";
import { digestsEqual, sha256Hex } from "./digest.ts";
import { findSigner, type TrustedKey } from "./ed25519.ts";
import { manifestRef, parseManifest, type PluginManifest, testVectorPaths } from "./manifest.ts";
import type { IndexEntry } from "./registry_index.ts";

/** Reads a file of the package by package path; undefined when it does not exist. */
export type PackageReader = (path: string) => Promise<Uint8Array | undefined>;

/** What the caller expects of the package (from the index, or the lockfile). */
export interface PackageExpectation {
  /** The id asked for. */
  id?: string;
  /** The version the index (or lockfile) names. */
  version?: string;
  /** The index entry (its shas must match the manifest's). */
  entry?: Pick<IndexEntry, "sha256" | "manifest_sha256">;
}

/** Options of {@link verifyPackage}. */
export interface VerifyOptions {
  /** Keys whose signatures are accepted. */
  trustedKeys: readonly TrustedKey[];
  /** Accept a package without `manifest.sig` (never one with a bad signature). */
  allowUnsigned?: boolean;
}

/** A package whose every byte was verified; nothing of it has been compiled. */
export interface VerifiedPackage {
  /** The validated manifest. */
  manifest: PluginManifest;
  /** sha256 of the manifest bytes. */
  manifestSha256: string;
  /** The key that signed it, or undefined when unsigned (and allowed). */
  signer?: TrustedKey;
  /** The component bytes. */
  component: Uint8Array;
  /** Every file of the package by package path (manifest, signature, artifact, test files). */
  files: Map<string, Uint8Array>;
}

/** Throws `INTEGRITY_ERROR` unless the sha256 of `bytes` equals every one of `expected`. */
async function checkSha(bytes: Uint8Array, expected: [string, string][], what: string) {
  const actual = await sha256Hex(bytes);
  for (const [sha, by] of expected) {
    if (!digestsEqual(actual, sha)) {
      throw new ScportraitError(
        "INTEGRITY_ERROR",
        `${what} has sha256 ${actual} but ${by} says ${sha}: the file was changed or corrupted. ` +
          "It was refused before being compiled; reinstall from a registry you trust.",
      );
    }
  }
  return actual;
}

async function mustRead(read: PackageReader, path: string, label: string): Promise<Uint8Array> {
  const bytes = await read(path);
  if (bytes === undefined) {
    throw new ScportraitError("REGISTRY_ERROR", `Package ${label} has no file ${path}.`);
  }
  return bytes;
}

/**
 * Reads and verifies a package with `read`; `label` names it in messages (e.g. the registry
 * path). Throws `INTEGRITY_ERROR` (a sha256 mismatch), `SIGNATURE_ERROR` (bad, untrusted or
 * missing signature), `REGISTRY_ERROR` (the index lies about id or version, or a file is
 * missing) or `MANIFEST_INVALID`.
 */
export async function verifyPackage(
  read: PackageReader,
  label: string,
  expect: PackageExpectation,
  options: VerifyOptions,
): Promise<VerifiedPackage> {
  const files = new Map<string, Uint8Array>();
  const manifestBytes = await mustRead(read, "manifest.yaml", label);
  files.set("manifest.yaml", manifestBytes);
  const manifestSha256 = await checkSha(
    manifestBytes,
    expect.entry ? [[expect.entry.manifest_sha256, "the registry index"]] : [],
    `${label}/manifest.yaml`,
  );
  const sigBytes = await read("manifest.sig");
  let signer: TrustedKey | undefined;
  if (sigBytes === undefined) {
    if (!options.allowUnsigned) {
      throw new ScportraitError(
        "SIGNATURE_ERROR",
        `Package ${label} is unsigned (no manifest.sig). Install it only if you trust its ` +
          "source, with --allow-unsigned.",
      );
    }
  } else {
    files.set("manifest.sig", sigBytes);
    signer = await findSigner(
      options.trustedKeys,
      manifestBytes,
      new TextDecoder().decode(sigBytes),
      `${label}/manifest.sig`,
    );
    if (!signer) {
      const fps = options.trustedKeys.map((k) => k.fingerprint).join(", ") || "none";
      throw new ScportraitError(
        "SIGNATURE_ERROR",
        `The signature of ${label}/manifest.yaml does not verify with any trusted key ` +
          `(${fps}): the manifest was altered, or its publisher is not trusted. If you trust ` +
          "the publisher, add their public key with --trust <pem>.",
      );
    }
  }
  const manifest = parseManifest(new TextDecoder().decode(manifestBytes), `${label}/manifest.yaml`);
  const lies: string[] = [];
  if (expect.id !== undefined && manifest.id !== expect.id) lies.push(`id ${expect.id}`);
  if (expect.version !== undefined && manifest.version !== expect.version) {
    lies.push(`version ${expect.version}`);
  }
  if (lies.length > 0) {
    throw new ScportraitError(
      "REGISTRY_ERROR",
      `The registry lists ${label} as ${lies.join(" and ")}, but its signed manifest says ` +
        `${manifestRef(manifest)}. The index is wrong or was tampered with; refused.`,
    );
  }
  const sha = manifest.artifact.sha256!;
  if (expect.entry && !digestsEqual(expect.entry.sha256, sha)) {
    throw new ScportraitError(
      "INTEGRITY_ERROR",
      `The registry index gives component sha256 ${expect.entry.sha256} for ${label}, but its ` +
        `manifest says ${sha}. Refused before anything was downloaded or compiled.`,
    );
  }
  const component = await mustRead(read, manifest.artifact.path, label);
  const expected: [string, string][] = [[sha, "its manifest"]];
  if (expect.entry) expected.push([expect.entry.sha256, "the registry index"]);
  await checkSha(component, expected, `${label}/${manifest.artifact.path}`);
  files.set(manifest.artifact.path, component);
  for (const path of testVectorPaths(manifest)) {
    const bytes = await mustRead(read, path, label);
    await checkSha(bytes, [[manifest.files[path], "its manifest"]], `${label}/${path}`);
    files.set(path, bytes);
  }
  return { manifest, manifestSha256, signer, component, files };
}
