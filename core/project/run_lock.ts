/**
 * The exclusive run lock of a project (`<project>/.lock`): one JSON document with the pid, host,
 * start time and step of the process running a step. It is created complete and atomically (a
 * temp file hard-linked to the lock name, which fails if the lock exists). A lock whose process is
 * gone (same host, pid dead) is stale and taken over; a live one, one from another host, or one
 * whose owner cannot be checked refuses with `PROJECT_LOCKED` naming the pid.
 * @module
 */
import * as path from "node:path";
import { ScportraitError } from "../errors.ts";
import { atomicTempPath, isProcessAlive, writeFileAtomic } from "../io/atomic_file.ts";

/** The content of a run lock. */
export interface RunLockInfo {
  /** Process id of the owner. */
  pid: number;
  /** Host name of the owner (`unknown` when the host name cannot be read). */
  host: string;
  /** ISO time the lock was taken. */
  started: string;
  /** What the owner is doing, e.g. `segmentation`. */
  step: string;
}

/** This machine's host name, or `unknown` without `--allow-sys`. */
export function hostName(): string {
  try {
    return Deno.hostname();
  } catch {
    return "unknown";
  }
}

/** Reads the lock at `file`: its info, `null` if there is none, `"unreadable"` if garbled. */
export async function readRunLock(file: string): Promise<RunLockInfo | null | "unreadable"> {
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
  try {
    const info = JSON.parse(text) as RunLockInfo;
    return typeof info.pid === "number" && typeof info.host === "string" ? info : "unreadable";
  } catch {
    return "unreadable";
  }
}

function lockedError(file: string, why: string): ScportraitError {
  return new ScportraitError(
    "PROJECT_LOCKED",
    `The project is locked by ${why} (${file}). Wait for that run to end; if you are sure no ` +
      `run is going on, delete ${file}.`,
  );
}

/** Whether the owner of `info` is certainly gone (same host, pid not running). */
function isStale(info: RunLockInfo): boolean {
  return info.host === hostName() && isProcessAlive(info.pid) === false;
}

function describe(info: RunLockInfo): string {
  return `pid ${info.pid} on ${info.host} (${info.step}, since ${info.started})`;
}

/** A held run lock. */
export class RunLock {
  /** The lock file. */
  readonly file: string;
  /** What this lock records. */
  readonly info: RunLockInfo;
  /** The stale lock this one replaced, if any. */
  readonly tookOver: RunLockInfo | null;
  #held = true;

  private constructor(file: string, info: RunLockInfo, tookOver: RunLockInfo | null) {
    this.file = file;
    this.info = info;
    this.tookOver = tookOver;
  }

  /** Takes the lock at `file` for `step`, taking over a stale one; else `PROJECT_LOCKED`. */
  static async acquire(file: string, step: string): Promise<RunLock> {
    const info: RunLockInfo = {
      pid: Deno.pid,
      host: hostName(),
      started: new Date().toISOString(),
      step,
    };
    let tookOver: RunLockInfo | null = null;
    for (let attempt = 0; attempt < 8; attempt++) {
      const temp = atomicTempPath(file);
      await writeFileAtomic(temp, JSON.stringify(info) + "\n");
      try {
        await Deno.link(temp, file);
        return new RunLock(file, info, tookOver);
      } catch (error) {
        if (!(error instanceof Deno.errors.AlreadyExists)) {
          throw new ScportraitError(
            "WRITE_FAILED",
            `Could not create the run lock ${file}: check that the project folder is writable.`,
            { cause: error },
          );
        }
      } finally {
        await Deno.remove(temp).catch(() => {});
      }
      const held = await readRunLock(file);
      if (held === null) continue; // released meanwhile
      if (held === "unreadable") throw lockedError(file, "an unreadable lock file");
      if (!isStale(held)) {
        const why = held.pid === Deno.pid && held.host === info.host
          ? `this process (${held.step} has not finished)`
          : describe(held);
        throw lockedError(file, why);
      }
      if (await RunLock.#removeStale(file, held)) tookOver = held;
    }
    throw lockedError(file, "processes that keep taking it (gave up after 8 attempts)");
  }

  /** Moves the stale lock aside and deletes it; restores it if another process replaced it. */
  static async #removeStale(file: string, stale: RunLockInfo): Promise<boolean> {
    const trash = path.join(
      path.dirname(file),
      `${path.basename(file)}.stale-${Deno.pid}-${crypto.randomUUID().slice(0, 8)}`,
    );
    try {
      await Deno.rename(file, trash);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return false;
      throw error;
    }
    const moved = await readRunLock(trash);
    const same = moved !== null && moved !== "unreadable" && moved.pid === stale.pid &&
      moved.started === stale.started;
    if (!same) await Deno.link(trash, file).catch(() => {}); // a fresh lock: put it back
    await Deno.remove(trash).catch(() => {});
    return same;
  }

  /** Whether this process still holds the lock. */
  get held(): boolean {
    return this.#held;
  }

  /** Releases the lock (only if the file is still ours). Safe to call twice. */
  async release(): Promise<void> {
    if (!this.#held) return;
    this.#held = false;
    const current = await readRunLock(this.file);
    if (
      current !== null && current !== "unreadable" && current.pid === this.info.pid &&
      current.started === this.info.started
    ) {
      await Deno.remove(this.file).catch((error) => {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      });
    }
  }
}
