/** RunLock: exclusive, refuses live owners naming the pid, takes over a dead owner's lock. */
import assert from "node:assert/strict";
import { isScportraitError } from "../../../core/errors.ts";
import { hostName, readRunLock, RunLock } from "../../../core/project/run_lock.ts";

Deno.test("a live lock refuses with PROJECT_LOCKED naming the pid; a dead one is taken over", async () => {
  const dir = await Deno.makeTempDir();
  const sleeper = new Deno.Command("sleep", { args: ["60"] }).spawn();
  try {
    const file = `${dir}/.lock`;
    const foreign = { pid: sleeper.pid, host: hostName(), started: "2026-01-01T00:00:00Z" };
    await Deno.writeTextFile(file, JSON.stringify({ ...foreign, step: "segmentation" }));
    await assert.rejects(
      () => RunLock.acquire(file, "extraction"),
      (e) =>
        isScportraitError(e, "PROJECT_LOCKED") && e.message.includes(`pid ${sleeper.pid}`) &&
        e.message.includes("segmentation"),
    );
    sleeper.kill("SIGKILL");
    await sleeper.status;
    const lock = await RunLock.acquire(file, "extraction");
    assert.equal(lock.tookOver?.pid, sleeper.pid);
    const held = await readRunLock(file);
    assert.ok(held !== null && held !== "unreadable");
    assert.equal(held.pid, Deno.pid);
    assert.equal(held.step, "extraction");
    // The same process cannot take it twice.
    await assert.rejects(
      () => RunLock.acquire(file, "featurization"),
      (e) => isScportraitError(e, "PROJECT_LOCKED") && /this process/.test(e.message),
    );
    await lock.release();
    assert.equal(await readRunLock(file), null);
    const again = await RunLock.acquire(file, "selection");
    assert.equal(again.tookOver, null);
    await again.release();
    await again.release();
  } finally {
    try {
      sleeper.kill("SIGKILL");
    } catch { /* already gone */ }
    await sleeper.status;
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a lock from another host or an unreadable lock is never taken over", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/.lock`;
    await Deno.writeTextFile(
      file,
      JSON.stringify({ pid: 1, host: "other-host.example", started: "x", step: "load" }),
    );
    await assert.rejects(
      () => RunLock.acquire(file, "load"),
      (e) => isScportraitError(e, "PROJECT_LOCKED") && /other-host\.example/.test(e.message),
    );
    await Deno.writeTextFile(file, "{not json");
    await assert.rejects(
      () => RunLock.acquire(file, "load"),
      (e) => isScportraitError(e, "PROJECT_LOCKED") && e.message.includes(file),
    );
    // Only temp files and the lock are in the folder: failed attempts clean up after themselves.
    assert.deepEqual((await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name), [".lock"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
