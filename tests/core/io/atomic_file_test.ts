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

Deno.test("a writer killed mid-loop leaves the target old or new, never partial", async () => {
  const dir = await Deno.makeTempDir();
  const size = 4 * 1024 * 1024;
  try {
    const target = `${dir}/big.bin`;
    let killedMidWrite = 0;
    // At least 4 kills, and go on (up to 24) until one has landed while a temp was being written.
    for (let round = 0; round < 24 && (round < 4 || killedMidWrite === 0); round++) {
      const child = new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          new URL("./atomic_write_loop.ts", import.meta.url).pathname,
          target,
          String(size),
        ],
        stdout: "piped",
        stderr: "inherit",
      }).spawn();
      const reader = child.stdout.getReader();
      const first = await reader.read();
      assert.match(new TextDecoder().decode(first.value), /ready/);
      await new Promise((r) => setTimeout(r, 30 + Math.random() * 200));
      child.kill("SIGKILL");
      reader.releaseLock();
      await child.stdout.cancel();
      const status = await child.status;
      assert.equal(status.signal, "SIGKILL");
      const bytes = await Deno.readFile(target);
      assert.equal(bytes.length, size, "the target has its full length");
      assert.ok(bytes.every((b) => b === bytes[0]) && (bytes[0] === 0x61 || bytes[0] === 0x62));
      // The killed writer's temp (if the kill hit mid-write) is stale now and is removed.
      const removed = await removeStaleTemps(dir);
      killedMidWrite += removed.length;
      for (const name of removed) assert.match(name, ATOMIC_TEMP_PATTERN);
      const left = (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name);
      assert.deepEqual(left, ["big.bin"]);
    }
    // The test is only meaningful if some kill landed while a temp file was being written.
    assert.ok(killedMidWrite >= 1, `no kill hit a write in progress (${killedMidWrite})`);
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
