/**
 * The content-addressed plugin cache: `<root>/sha256/<component sha256>/` holds a verified
 * package (manifest.yaml, manifest.sig, the component at its artifact path, test files). The
 * root is `$SCPORTRAIT_CACHE`, else `$XDG_CACHE_HOME/scportrait/plugins`, else
 * `~/.cache/scportrait/plugins`. An entry is written in a temp folder and renamed into place.
 * @module
 */
import { dirname, join } from "node:path";
import { ScportraitError } from "../errors.ts";
import { SHA256_PATTERN } from "./manifest_schema.ts";
import { packagePathProblem } from "./package_path.ts";

/** Environment variables the cache root is read from, in order. */
export const CACHE_ENV_VARS = ["SCPORTRAIT_CACHE", "XDG_CACHE_HOME", "HOME"] as const;

/** The cache root for this user (see the module doc). */
export function defaultCacheRoot(): string {
  const explicit = Deno.env.get("SCPORTRAIT_CACHE");
  if (explicit) return explicit;
  const xdg = Deno.env.get("XDG_CACHE_HOME");
  if (xdg) return join(xdg, "scportrait", "plugins");
  const home = Deno.env.get("HOME");
  if (!home) {
    throw new ScportraitError(
      "USAGE",
      "Neither SCPORTRAIT_CACHE, XDG_CACHE_HOME nor HOME is set; set SCPORTRAIT_CACHE to a " +
        "folder for the plugin cache.",
    );
  }
  return join(home, ".cache", "scportrait", "plugins");
}

/** Folder of the cache entry for a component sha256. */
export function cacheEntryDir(root: string, sha256: string): string {
  if (!new RegExp(SHA256_PATTERN).test(sha256)) {
    throw new ScportraitError("USAGE", `"${sha256}" is not a sha256 hex digest.`);
  }
  return join(root, "sha256", sha256);
}

function randomHex(): string {
  return Array.from(
    crypto.getRandomValues(new Uint8Array(6)),
    (b) => b.toString(16).padStart(2, "0"),
  )
    .join("");
}

/**
 * Stores a verified package's files (package path → bytes) as the entry of `sha256`: written to
 * a temp folder beside it, then renamed into place (a previous entry is replaced). Returns the
 * entry folder.
 */
export async function storeInCache(
  root: string,
  sha256: string,
  files: ReadonlyMap<string, Uint8Array>,
): Promise<string> {
  const target = cacheEntryDir(root, sha256);
  const parent = dirname(target);
  const temp = join(parent, `.tmp-${sha256.slice(0, 12)}-${Deno.pid}-${randomHex()}`);
  try {
    await Deno.mkdir(temp, { recursive: true });
    for (const [path, bytes] of files) {
      const problem = packagePathProblem(path);
      if (problem !== undefined) throw new Error(`package path "${path}" is ${problem}`);
      await Deno.mkdir(dirname(join(temp, path)), { recursive: true });
      await Deno.writeFile(join(temp, path), bytes);
    }
    let old: string | undefined;
    try {
      await Deno.rename(temp, target);
    } catch {
      old = join(parent, `.old-${sha256.slice(0, 12)}-${Deno.pid}-${randomHex()}`);
      await Deno.rename(target, old);
      await Deno.rename(temp, target);
    }
    if (old) await Deno.remove(old, { recursive: true });
    return target;
  } catch (error) {
    await Deno.remove(temp, { recursive: true }).catch(() => {});
    throw new ScportraitError(
      "WRITE_FAILED",
      `Could not store plugin ${sha256.slice(0, 12)} in the cache ${root}: ` +
        `${(error as Error).message}. Check the folder is writable (or set SCPORTRAIT_CACHE).`,
      { cause: error },
    );
  }
}
