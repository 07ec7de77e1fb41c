import assert from "node:assert/strict";
import { join } from "node:path";
import { isScportraitError } from "../../../core/errors.ts";
import {
  LOCKFILE_NAME,
  pinPlugin,
  readLockfile,
  unpinPlugin,
} from "../../../core/registry/lockfile.ts";

const ENTRY = {
  version: "0.1.0",
  sha256: "a".repeat(64),
  manifest_sha256: "b".repeat(64),
  registry: "https://plugins.example.org/",
  signed_by: "0123456789abcdef",
};

Deno.test("lockfile pins, re-pins and unpins plugins, sorted and atomic", async () => {
  const dir = await Deno.makeTempDir({ prefix: "lockfile_test_" });
  assert.deepEqual(await readLockfile(dir), { lockfile_version: 1, plugins: {} });
  await pinPlugin(dir, "zeta", ENTRY);
  await pinPlugin(dir, "alpha", { ...ENTRY, signed_by: null });
  await pinPlugin(dir, "zeta", { ...ENTRY, version: "0.2.0" });
  const text = await Deno.readTextFile(join(dir, LOCKFILE_NAME));
  assert.deepEqual(Object.keys(JSON.parse(text).plugins), ["alpha", "zeta"]);
  assert.equal((await readLockfile(dir)).plugins.zeta.version, "0.2.0");
  assert.equal(await unpinPlugin(dir, "alpha"), true);
  assert.equal(await unpinPlugin(dir, "alpha"), false);
  assert.deepEqual(Object.keys((await readLockfile(dir)).plugins), ["zeta"]);
  const leftovers = [...Deno.readDirSync(dir)].map((e) => e.name);
  assert.deepEqual(leftovers, [LOCKFILE_NAME], "no temp files left behind");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("readLockfile refuses a corrupt or tampered lockfile", async () => {
  const dir = await Deno.makeTempDir({ prefix: "lockfile_bad_" });
  const path = join(dir, LOCKFILE_NAME);
  const bad = [
    "{not json",
    JSON.stringify({ lockfile_version: 2, plugins: {} }),
    JSON.stringify({ lockfile_version: 1, plugins: { "../x": ENTRY } }),
    JSON.stringify({ lockfile_version: 1, plugins: { x: { ...ENTRY, sha256: "zz" } } }),
    JSON.stringify({ lockfile_version: 1, plugins: { x: { ...ENTRY, version: "1" } } }),
  ];
  for (const text of bad) {
    await Deno.writeTextFile(path, text);
    await assert.rejects(
      () => readLockfile(dir),
      (e) => isScportraitError(e, "LOCKFILE_INVALID") && e.message.includes(path),
      text,
    );
  }
  await Deno.remove(dir, { recursive: true });
});
