import assert from "node:assert/strict";
import { parse, print } from "@bytecodealliance/jco-transpile/wasm-tools";
import { isScportraitError } from "../../../core/errors.ts";
import {
  capMemoryPages,
  mibToPages,
  readMemoryLimits,
} from "../../../core/host/wasm_memory_limit.ts";

// Golden values come from wasm-tools (`parse` writes the binary, `print` reads ours back).
const memoryLine = async (bytes: Uint8Array) =>
  (await print(bytes)).split("\n").map((l) => l.trim()).filter((l) => l.startsWith("(memory"));

Deno.test("capMemoryPages: adds a maximum that wasm-tools and V8 both honour", async () => {
  const module = await parse(`(module
    (type (func (param i32) (result i32)))
    (memory (export "memory") 3)
    (data (i32.const 8) "keep me")
    (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))`);
  assert.deepEqual(readMemoryLimits(module), [{ minPages: 3, maxPages: undefined, shared: false }]);
  const capped = capMemoryPages(module, 200);
  assert.deepEqual(await memoryLine(capped), ["(memory (;0;) 3 200)"]);
  assert.deepEqual(readMemoryLimits(capped), [{ minPages: 3, maxPages: 200, shared: false }]);
  const { instance } = await WebAssembly.instantiate(capped as Uint8Array<ArrayBuffer>);
  const grow = instance.exports.grow as (n: number) => number;
  assert.equal(grow(197), 3, "growing to exactly the cap works");
  assert.equal(grow(1), -1, "memory.grow past the cap fails inside wasm");
  const mem = new Uint8Array((instance.exports.memory as WebAssembly.Memory).buffer, 8, 7);
  assert.equal(new TextDecoder().decode(mem), "keep me", "later sections are intact");
});

Deno.test("capMemoryPages: keeps a smaller maximum, multi-byte LEBs, refuses min > cap", async () => {
  const small = await parse(`(module (memory 1 4))`);
  assert.deepEqual(await memoryLine(capMemoryPages(small, 1000)), ["(memory (;0;) 1 4)"]);
  const big = await parse(`(module (memory 300) (func (export "f")))`);
  const capped = capMemoryPages(big, mibToPages(4096) - 1);
  assert.deepEqual(await memoryLine(capped), ["(memory (;0;) 300 65535)"]);
  assert.throws(
    () => capMemoryPages(big, 16, "greedy"),
    (e: unknown) =>
      isScportraitError(e, "PLUGIN_MEMORY") && /greedy needs 18\.8 MiB/.test(String(e)),
  );
  const none = await parse(`(module (func (export "f")))`);
  assert.equal(capMemoryPages(none, 16), none, "no memory section: unchanged");
  assert.equal(mibToPages(64), 1024);
});

Deno.test("capMemoryPages: rejects bytes that are not a core module", () => {
  assert.throws(
    () => capMemoryPages(new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0]), 16),
    (e: unknown) => isScportraitError(e, "PLUGIN_INVALID") && /core module header/.test(String(e)),
  );
  assert.throws(
    () => readMemoryLimits(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 5, 9, 1])),
    (e: unknown) => isScportraitError(e, "PLUGIN_INVALID") && /runs past the end/.test(String(e)),
  );
});
