/** patchListLifts: jco's lifted typed-list copies go through the worker's hook, or stay a copy. */
import assert from "node:assert/strict";
import { patchListLifts } from "../../../core/host/jco_bindgen.ts";

Deno.test("patchListLifts routes typed-list lifts through scportraitLiftArray when defined", async () => {
  const glue = "export function lift(memory0, ptr, len) {\n" +
    "  return new Uint32Array(memory0.buffer.slice(ptr, ptr + len * 4));\n}\n";
  const patched = patchListLifts(glue);
  assert.ok(!patched.includes("memory0.buffer.slice("));
  assert.equal(patchListLifts("const x = 1;\n"), "const x = 1;\n", "nothing to patch");
  const { lift } = await import(`data:text/javascript,${encodeURIComponent(patched)}`);
  const memory = new WebAssembly.Memory({ initial: 1 });
  new Uint32Array(memory.buffer, 0, 4).set([7, 8, 9, 10]);
  const hook = globalThis as { scportraitLiftArray?: unknown };
  // without a hook: a fresh copy, as jco's own code
  const copied = lift(memory, 4, 2) as Uint32Array;
  assert.deepEqual([...copied], [8, 9]);
  assert.notEqual(copied.buffer, memory.buffer);
  // with a hook: the start of its (larger) buffer, with the list's length
  const spare = new ArrayBuffer(16);
  hook.scportraitLiftArray = (
    View: Uint32ArrayConstructor,
    range: { buffer: ArrayBuffer; start: number; end: number },
  ) => {
    new Uint8Array(spare).set(new Uint8Array(range.buffer, range.start, range.end - range.start));
    return new View(spare, 0, (range.end - range.start) / 4);
  };
  try {
    const into = lift(memory, 8, 2) as Uint32Array;
    assert.equal(into.buffer, spare);
    assert.deepEqual([...into], [9, 10]);
  } finally {
    delete hook.scportraitLiftArray;
  }
});
