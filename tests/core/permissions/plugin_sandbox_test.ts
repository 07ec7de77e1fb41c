/**
 * The worker side of the sandbox: a plugin worker (the pool's `PluginWorkerSlot` running the real
 * `core/host/plugin_worker.ts`) cannot read files, see the environment, open sockets, run
 * programs or load native code, even for files the host itself can read. A component cannot even
 * try (it has no imports, checked before instantiation); this proves the second wall by running
 * JavaScript in the worker in the component's place: a probe "glue" module whose exported
 * function attempts each forbidden operation and reports what happened.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { PluginWorkerSlot } from "../../../core/host/plugin_worker_slot.ts";

const PROBE_GLUE = `
function attempt(what, f) {
  try {
    f();
    return what + ": ALLOWED";
  } catch (e) {
    return what + ": " + e.name;
  }
}
export async function instantiate() {
  return {
    probe(path) {
      return [
        attempt("read", () => Deno.readTextFileSync(path)),
        attempt("stat", () => Deno.statSync(path)),
        attempt("write", () => Deno.writeTextFileSync(path + ".x", "x")),
        attempt("env", () => Deno.env.get("HOME")),
        attempt("net", () => Deno.listen({ hostname: "127.0.0.1", port: 0 }).close()),
        attempt("run", () => new Deno.Command("true").outputSync()),
        attempt("ffi", () => Deno.dlopen("libc.so.6", {})),
        attempt("sys", () => Deno.hostname()),
      ];
    },
    permissions() {
      return ["read", "write", "net", "env", "run", "ffi", "sys", "import"].map((name) =>
        name + "=" + Deno.permissions.querySync({ name }).state
      );
    },
  };
}
`;

Deno.test("a plugin worker cannot read a file the host reads, nor env, net, run, ffi, sys", async () => {
  const dir = await Deno.makeTempDir({ prefix: "sandbox_test_" });
  const secret = join(dir, "other_groups_data.txt");
  await Deno.writeTextFile(secret, "confidential");
  assert.equal(await Deno.readTextFile(secret), "confidential", "the host can read it");
  const slot = new PluginWorkerSlot("sandbox-probe", {
    glueSource: PROBE_GLUE,
    modules: new Map(),
  }, 30_000);
  try {
    assert.deepEqual(await slot.start(), ["permissions", "probe"]);
    assert.deepEqual(await slot.call("probe", [secret]), [
      "read: NotCapable",
      "stat: NotCapable",
      "write: NotCapable",
      "env: NotCapable",
      "net: NotCapable",
      "run: NotCapable",
      "ffi: NotCapable",
      "sys: NotCapable",
    ]);
    const states = await slot.call("permissions", []) as string[];
    // "prompt" in a worker with `permissions: "none"` still fails (NotCapable, never asks).
    assert.equal(states.length, 8);
    assert.deepEqual(states.filter((s) => s.endsWith("=granted")), [], states.join(", "));
    assert.equal(await Deno.readTextFile(secret), "confidential");
    await assert.rejects(Deno.stat(secret + ".x"), Deno.errors.NotFound);
  } finally {
    slot.terminate();
    await Deno.remove(dir, { recursive: true });
  }
});
