/** AtomicFileSystemStore: values appear whole (temp + rename), ranges, deletes, key checks. */
import assert from "node:assert/strict";
import { isScportraitError } from "../../../../core/errors.ts";
import { AtomicFileSystemStore } from "../../../../core/io/zarr/atomic_fs_store.ts";

Deno.test("set writes via a temp file and leaves only the final key", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const store = new AtomicFileSystemStore(dir);
    const value = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);
    await Promise.all([store.set("/a/0/1/2", value), store.set("/a/0/1/3", value.slice(0, 10))]);
    assert.deepEqual(Array.from(Deno.readDirSync(`${dir}/a/0/1`), (e) => e.name).sort(), [
      "2",
      "3",
    ]);
    assert.deepEqual(await store.get("/a/0/1/2"), value);
    assert.deepEqual(
      await store.getRange("/a/0/1/2", { offset: 10, length: 5 }),
      value.slice(10, 15),
    );
    assert.deepEqual(await store.getRange("/a/0/1/2", { suffixLength: 3 }), value.slice(997));
    assert.equal(await store.get("/a/missing"), undefined);
    assert.equal(await store.getRange("/a/missing", { offset: 0, length: 1 }), undefined);
    // Overwriting replaces the whole value; a reader never sees a mix.
    await store.set("/a/0/1/2", new Uint8Array([9]));
    assert.deepEqual(await store.get("/a/0/1/2"), new Uint8Array([9]));
    assert.equal(await store.delete("/a/0/1/2"), true);
    assert.equal(await store.delete("/a/0/1/2"), false);
    assert.throws(
      () => store.pathOf("/../etc/passwd"),
      (e) => isScportraitError(e, "STORE_INVALID"),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
