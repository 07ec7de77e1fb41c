/**
 * Deterministic SIGKILL points inside `writeFileAtomic`, for tests that kill a writer mid-rewrite.
 * The child test script calls {@link installAtomicPause}; when the env var `SCP_ATOMIC_PAUSE`
 * names a kill point it wraps `Deno.open` / `Deno.rename` (in the child only, no product code
 * changes) so that the atomic write number `SCP_ATOMIC_PAUSE_AT` (0-based) stops at that point,
 * prints `paused <point> <temp file name>` and waits to be killed. The parent uses
 * {@link spawnUntilPaused} to start the child and wait for that line.
 * @module
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { ATOMIC_TEMP_PATTERN } from "../../../core/io/atomic_file.ts";

/** Where the paused write stops. */
export type KillPoint =
  /** Half of the data is in the temp file, nothing renamed: the target is the old file. */
  | "mid-write"
  /** The temp file is complete and synced, not yet renamed: the target is the old file. */
  | "before-rename"
  /** The rename is done (directory not yet synced): the target is the new file, no temp left. */
  | "after-rename";

/** All kill points, in the order a write passes them. */
export const KILL_POINTS: readonly KillPoint[] = ["mid-write", "before-rename", "after-rename"];

/** A paused child: kill it with `child.kill("SIGKILL")`. */
export interface PausedChild {
  /** The child process (stdout still piped; {@link killPaused} cancels it). */
  child: Deno.ChildProcess;
  /** The kill point it stopped at. */
  point: KillPoint;
  /** Base name of the temp file of the paused write. */
  temp: string;
}

/** Longest time a paused child waits before exiting by itself (an orphan must not linger). */
const PAUSE_LIMIT_MS = 120_000;

async function pause(point: KillPoint, temp: string): Promise<never> {
  console.log(`paused ${point} ${path.basename(temp)}`);
  await new Promise((resolve) => setTimeout(resolve, PAUSE_LIMIT_MS));
  console.error(`atomic_kill_point: not killed within ${PAUSE_LIMIT_MS} ms at ${point}`);
  Deno.exit(3);
}

function isTemp(p: string | URL): boolean {
  return ATOMIC_TEMP_PATTERN.test(path.basename(p instanceof URL ? p.pathname : p));
}

/**
 * Child side: arms the pause named by `SCP_ATOMIC_PAUSE` at atomic write `SCP_ATOMIC_PAUSE_AT`
 * (default 0). Does nothing when `SCP_ATOMIC_PAUSE` is unset.
 */
export function installAtomicPause(): void {
  const point = Deno.env.get("SCP_ATOMIC_PAUSE") as KillPoint | undefined;
  if (point === undefined) return;
  assert.ok(KILL_POINTS.includes(point), `SCP_ATOMIC_PAUSE=${point} is unknown`);
  const at = Number(Deno.env.get("SCP_ATOMIC_PAUSE_AT") ?? "0");
  let opens = 0;
  let renames = 0;
  const open = Deno.open;
  const rename = Deno.rename;
  if (point === "mid-write") {
    Deno.open = async (p: string | URL, options?: Deno.OpenOptions) => {
      const file = await open(p, options);
      if (!isTemp(p) || opens++ !== at) return file;
      const write = file.write.bind(file);
      file.write = async (data: Uint8Array) => {
        await write(data.subarray(0, Math.max(1, data.length >> 1)));
        return await pause(point, String(p));
      };
      return file;
    };
  } else {
    Deno.rename = async (from: string | URL, to: string | URL) => {
      const hit = isTemp(from) && renames++ === at;
      if (hit && point === "before-rename") await pause(point, String(from));
      await rename(from, to);
      if (hit) await pause(point, String(from));
    };
  }
}

async function readLine(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  while (!text.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
  }
  return text.split("\n")[0]!;
}

/**
 * Parent side: runs `deno run -A <script> ...args` with the pause armed at write `at` and
 * resolves when the child reports it stopped at `point`. Throws (after killing the child) when
 * it exits or prints anything else first.
 */
export async function spawnUntilPaused(
  script: string,
  args: string[],
  point: KillPoint,
  at: number,
): Promise<PausedChild> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", script, ...args],
    env: { SCP_ATOMIC_PAUSE: point, SCP_ATOMIC_PAUSE_AT: String(at) },
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.getReader();
  const line = await readLine(reader);
  reader.releaseLock();
  const match = /^paused (\S+) (\S+)$/.exec(line);
  if (match === null || match[1] !== point) {
    await killPaused({ child, point, temp: "" }).catch(() => {});
    assert.fail(`${script} did not pause at ${point} of write ${at}; it printed "${line}"`);
  }
  return { child, point, temp: match[2]! };
}

/** Kills a paused child with SIGKILL and waits for it; returns its exit status. */
export async function killPaused(paused: PausedChild): Promise<Deno.CommandStatus> {
  try {
    paused.child.kill("SIGKILL");
  } catch {
    // already exited
  }
  await paused.child.stdout.cancel();
  return await paused.child.status;
}
