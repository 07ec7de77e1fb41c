/** writeFileAtomic / writeJsonAtomic / removeStaleTemps: whole files only, even under SIGKILL. */
import assert from "node:assert/strict";
import { isScportraitError } from "../../../core/errors.ts";
import {
  ATOMIC_TEMP_PATTERN,
  isProcessAlive,
  removeStaleTemps,
  writeFileAtomic,
  writeJsonAtomic,
} from "../../../core/io/atomic_file.ts";
import { KILL_POINTS, killPaused, spawnUntilPaused } from "./atomic_kill_point.ts";

async function deadPid(): Promise<number> {
  const child = new Deno.Command("true").spawn();
  await child.status;
  return child.pid;
}

Deno.test("writeFileAtomic writes and replaces whole files and leaves no temp", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const target = `${dir}/data.bin`;
    await writeFileAtomic(target, new Uint8Array([1, 2, 3]));
    assert.deepEqual(await Deno.readFile(target), new Uint8Array([1, 2, 3]));
    await writeFileAtomic(target, "héllo\n");
    assert.equal(await Deno.readTextFile(target), "héllo\n");
    const parts = function* () {
      yield "é,";
      yield new Uint8Array([0x31, 0x0a]);
    };
    await writeFileAtomic(target, parts());
    assert.equal(await Deno.readTextFile(target), "é,1\n");
    await writeJsonAtomic(`${dir}/x.json`, { b: [1, 2], a: "z" });
    assert.deepEqual(JSON.parse(await Deno.readTextFile(`${dir}/x.json`)), { b: [1, 2], a: "z" });
    assert.deepEqual((await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort(), [
      "data.bin",
      "x.json",
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeFileAtomic into a missing folder throws WRITE_FAILED naming the target", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await assert.rejects(
      () => writeFileAtomic(`${dir}/missing/f.txt`, "x"),
      (e) => isScportraitError(e, "WRITE_FAILED") && e.message.includes(`${dir}/missing/f.txt`),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a writer killed at each point of a rewrite leaves the target old or new, never partial", async () => {
  const dir = await Deno.makeTempDir();
  const size = 4 * 1024 * 1024;
  const script = new URL("./atomic_write_loop.ts", import.meta.url).pathname;
  try {
    const target = `${dir}/big.bin`;
    // Each kill point twice, once replacing an 'a' file with 'b' and once 'b' with 'a': writes
    // 0..at-1 of the child complete (even: 'a', odd: 'b'), write `at` is paused and killed.
    for (const [round, point] of [...KILL_POINTS, ...KILL_POINTS].entries()) {
      const at = 1 + (round % 2);
      const [oldByte, newByte] = at % 2 === 0 ? [0x62, 0x61] : [0x61, 0x62];
      const args = [target, String(size), String(at + 1)];
      const paused = await spawnUntilPaused(script, args, point, at);
      const temp = await Deno.stat(`${dir}/${paused.temp}`).catch(() => null);
      if (point === "after-rename") assert.equal(temp, null, "the temp was renamed");
      else assert.equal(temp?.size, point === "mid-write" ? size >> 1 : size, `temp at ${point}`);
      const status = await killPaused(paused);
      assert.equal(status.signal, "SIGKILL");
      const bytes = await Deno.readFile(target);
      assert.equal(bytes.length, size, `the target has its full length after a kill at ${point}`);
      const expected = point === "after-rename" ? newByte : oldByte;
      assert.ok(bytes.every((b) => b === expected), `target is all ${expected} after ${point}`);
      // The killed writer's temp is stale now and is removed; a finished rename leaves none.
      const removed = await removeStaleTemps(dir);
      assert.deepEqual(removed, point === "after-rename" ? [] : [paused.temp]);
      for (const name of removed) assert.match(name, ATOMIC_TEMP_PATTERN);
      const left = (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name);
      assert.deepEqual(left, ["big.bin"]);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("removeStaleTemps removes temps of dead writers only", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const dead = await deadPid();
    assert.equal(isProcessAlive(dead), false);
    assert.equal(isProcessAlive(Deno.pid), true);
    const staleName = `.a.json.tmp-${dead}-0123456789ab`;
    const liveName = `.b.json.tmp-${Deno.pid}-0123456789ab`;
    for (const name of [staleName, liveName, "c.tmp-1-x", ".d.tmp-1"]) {
      await Deno.writeTextFile(`${dir}/${name}`, "partial");
    }
    assert.deepEqual(await removeStaleTemps(dir), [staleName]);
    const left = (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort();
    assert.deepEqual(
      left,
      [".b.json.tmp-" + Deno.pid + "-0123456789ab", ".d.tmp-1", "c.tmp-1-x"]
        .sort(),
    );
    assert.deepEqual(await removeStaleTemps(`${dir}/nope`), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
