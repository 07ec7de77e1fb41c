/**
 * Whole-file writes that never leave a partial target: the data goes to a temporary file in the
 * same directory (`.<name>.tmp-<pid>-<random>`), is flushed to disk with fsync, and is renamed
 * over the target; the directory is then fsynced so the rename itself survives a power cut. A
 * reader (or a process restarted after a kill) sees either the old file or the new one, never a
 * mix. Temporaries left by killed writers are recognisable by name and removed by
 * {@link removeStaleTemps}.
 * @module
 */
import * as path from "node:path";
import process from "node:process";
import { ScportraitError } from "../errors.ts";

/** Matches the temp names this module creates; group 1 is the target name, group 2 the pid. */
export const ATOMIC_TEMP_PATTERN: RegExp = /^\.(.+)\.tmp-(\d+)-[0-9a-f]{12}$/;

/** Options of {@link writeFileAtomic}. */
export interface WriteAtomicOptions {
  /** File mode of the new file (default 0o644 minus the umask). */
  mode?: number;
  /** Skip the fsync of file and directory (faster, still atomic against a killed process). */
  noSync?: boolean;
}

function randomHex(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The temp file name used while writing `target` (exported for tests and cleanup tools). */
export function atomicTempPath(target: string): string {
  return path.join(
    path.dirname(target),
    `.${path.basename(target)}.tmp-${Deno.pid}-${randomHex()}`,
  );
}

async function writeAll(file: Deno.FsFile, data: Uint8Array): Promise<void> {
  let written = 0;
  while (written < data.length) written += await file.write(data.subarray(written));
}

/** fsyncs a directory so a rename inside it is durable; ignored where the OS refuses. */
export async function syncDirectory(dir: string): Promise<void> {
  let handle: Deno.FsFile | undefined;
  try {
    handle = await Deno.open(dir, { read: true });
    await handle.sync();
  } catch {
    // Some platforms cannot open or fsync directories; the rename is still atomic.
  } finally {
    handle?.close();
  }
}

/**
 * Writes `data` to `target` atomically (temp file in the same directory + fsync + rename).
 * `data` may be an iterable of parts (text is UTF-8 encoded), written one after the other, so a
 * large file never needs to exist in memory whole. The directory must exist. Throws
 * `WRITE_FAILED` naming the target; the temp file is removed.
 */
export async function writeFileAtomic(
  target: string,
  data: Uint8Array | string | Iterable<Uint8Array | string>,
  options: WriteAtomicOptions = {},
): Promise<void> {
  const parts = typeof data === "string" || data instanceof Uint8Array ? [data] : data;
  const encoder = new TextEncoder();
  const temp = atomicTempPath(target);
  let file: Deno.FsFile | undefined;
  try {
    file = await Deno.open(temp, { write: true, createNew: true, mode: options.mode ?? 0o644 });
    for (const part of parts) {
      await writeAll(file, typeof part === "string" ? encoder.encode(part) : part);
    }
    if (!options.noSync) await file.sync();
    file.close();
    file = undefined;
    await Deno.rename(temp, target);
  } catch (error) {
    file?.close();
    await Deno.remove(temp).catch(() => {});
    throw new ScportraitError(
      "WRITE_FAILED",
      `Could not write ${target}: ${error instanceof Error ? error.message : String(error)}. ` +
        "Check that the directory exists, is writable and the disk has space.",
      { cause: error },
    );
  }
  if (!options.noSync) await syncDirectory(path.dirname(target));
}

/** Writes `value` as pretty JSON (2-space indent, trailing newline) to `target` atomically. */
export async function writeJsonAtomic(
  target: string,
  value: unknown,
  options: WriteAtomicOptions = {},
): Promise<void> {
  await writeFileAtomic(target, JSON.stringify(value, null, 2) + "\n", options);
}

/**
 * Whether process `pid` on this machine is alive: `kill(pid, 0)` when run access is granted,
 * else `/proc/<pid>` when readable. Returns `undefined` when neither check is permitted.
 */
export function isProcessAlive(pid: number): boolean | undefined {
  if (pid === Deno.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "ESRCH") return false;
    if (code === "EPERM") return true; // exists, owned by another user
  }
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      try {
        Deno.statSync("/proc/self");
        return false; // /proc works here, and the pid is not in it
      } catch {
        return undefined;
      }
    }
    return undefined;
  }
}

/**
 * Removes temp files left in `dir` by {@link writeFileAtomic} calls whose process is gone (pid
 * dead) or, with `olderThanMs`, whose last change is older than that. Temps of live writers are
 * kept. Returns the removed file names.
 */
export async function removeStaleTemps(
  dir: string,
  options: { olderThanMs?: number } = {},
): Promise<string[]> {
  const removed: string[] = [];
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(dir));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return removed;
    throw error;
  }
  for (const entry of entries) {
    const match = ATOMIC_TEMP_PATTERN.exec(entry.name);
    if (!entry.isFile || match === null) continue;
    const pid = Number(match[2]);
    let stale = pid !== Deno.pid && isProcessAlive(pid) === false;
    if (!stale && options.olderThanMs !== undefined) {
      const info = await Deno.stat(path.join(dir, entry.name)).catch(() => null);
      stale = info?.mtime != null && Date.now() - info.mtime.getTime() > options.olderThanMs;
    }
    if (!stale) continue;
    try {
      await Deno.remove(path.join(dir, entry.name));
      removed.push(entry.name);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  return removed.sort();
}
