/**
 * Paths inside a plugin package: relative, normalised POSIX paths that cannot leave the package
 * folder (no `..`, no absolute path, no drive letter, no backslash, no `.` or empty segment).
 * @module
 */
import { join, relative, resolve } from "node:path";
import { ScportraitError } from "../errors.ts";

/** Returns what is wrong with `path` as a path inside a package, or undefined when it is safe. */
export function packagePathProblem(path: string): string | undefined {
  if (path.length === 0) return "an empty path";
  if (path.includes("\\")) return "a path with a backslash (use / as separator)";
  if (path.includes("\0")) return "a path with a NUL character";
  if (path.startsWith("/")) return "an absolute path";
  if (/^[A-Za-z]:/.test(path)) return "a path with a drive letter";
  if (/^[a-z][a-z0-9+.-]*:/i.test(path)) return "a URL";
  const segments = path.split("/");
  if (segments.some((s) => s === "..")) return "a path that leaves the package folder (..)";
  if (segments.some((s) => s === "." || s === "")) {
    return "a path that is not normalised (./, // or a trailing /)";
  }
  if (segments.some((s) => s.startsWith("."))) return "a path with a hidden (dot) segment";
  return undefined;
}

/**
 * Joins a package folder and a path inside it, after checking the path with
 * {@link packagePathProblem} and that the result stays inside `dir`.
 * Throws `MANIFEST_INVALID` naming `what` (e.g. `artifact.path`) otherwise.
 */
export function resolvePackagePath(dir: string, path: string, what: string): string {
  const problem = packagePathProblem(path);
  const full = join(dir, path);
  const rel = relative(resolve(dir), resolve(full));
  if (problem !== undefined || rel.startsWith("..") || rel === "") {
    throw new ScportraitError(
      "MANIFEST_INVALID",
      `${what} "${path}" is ${problem ?? "outside the package folder"}; ` +
        "give a relative path inside the package folder, e.g. build/component.wasm.",
    );
  }
  return full;
}
