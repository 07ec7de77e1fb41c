/**
 * optimizeCore: a hand-assembled SIMD module (bytes per the WebAssembly core + SIMD specs)
 * validates and optimises with the features of its target_features section, keeps its
 * behaviour (checked by V8) and loses its custom sections; without the section it is refused.
 * @module
 */

import assert from "node:assert/strict";
import { ScportraitError } from "../../../core/errors.ts";
import { optimizeCore } from "../../../plugins/toolchain/optimize_core.ts";

const enc = new TextEncoder();

function section(id: number, content: number[]): number[] {
  assert.ok(content.length < 128, "test sections are < 128 bytes (one-byte LEB size)");
  return [id, content.length, ...content];
}

function name(s: string): number[] {
  return [s.length, ...enc.encode(s)];
}

/** `f(x: i32) -> i32 = i32x4.extract_lane 2 (i32x4.add (i32x4.splat x) (v128.const 1 2 3 4))`. */
function simdModule(withTargetFeatures: boolean): Uint8Array {
  const lanes = [1, 2, 3, 4].flatMap((v) => [v, 0, 0, 0]);
  const body = [
    0x00, // no locals
    0x20,
    0x00, // local.get 0
    0xfd,
    0x11, // i32x4.splat
    0xfd,
    0x0c,
    ...lanes, // v128.const
    0xfd,
    0xae,
    0x01, // i32x4.add
    0xfd,
    0x1b,
    0x02, // i32x4.extract_lane 2
    0x0b, // end
  ];
  const bytes = [
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f]),
    ...section(3, [0x01, 0x00]),
    ...section(7, [0x01, ...name("f"), 0x00, 0x00]),
    ...section(10, [0x01, body.length, ...body]),
    ...section(0, [...name("producers"), 0x00]),
  ];
  if (withTargetFeatures) {
    bytes.push(...section(0, [...name("target_features"), 0x01, 0x2b, ...name("simd128")]));
  }
  return Uint8Array.from(bytes);
}

/** Ids (custom sections as `0:<name>`) of the sections of a module, in order. */
function sectionIds(bytes: Uint8Array): string[] {
  const ids: string[] = [];
  let i = 8;
  const leb = () => {
    let r = 0, s = 0, b = 0;
    do {
      b = bytes[i++];
      r |= (b & 0x7f) << s;
      s += 7;
    } while (b & 0x80);
    return r;
  };
  while (i < bytes.length) {
    const id = bytes[i++];
    const size = leb();
    const end = i + size;
    if (id === 0) {
      const n = leb();
      ids.push(`0:${new TextDecoder().decode(bytes.subarray(i, i + n))}`);
    } else ids.push(String(id));
    i = end;
  }
  return ids;
}

async function run(bytes: Uint8Array, x: number): Promise<number> {
  const { instance } = await WebAssembly.instantiate(bytes as Uint8Array<ArrayBuffer>);
  return (instance.exports.f as (x: number) => number)(x);
}

Deno.test("optimizeCore keeps a SIMD module's behaviour and strips its custom sections", async () => {
  const core = simdModule(true);
  assert.ok(WebAssembly.validate(core as Uint8Array<ArrayBuffer>), "test module is valid");
  assert.deepEqual(sectionIds(core), ["1", "3", "7", "10", "0:producers", "0:target_features"]);
  const out = optimizeCore(core, { label: "test module" });
  assert.ok(WebAssembly.validate(out as Uint8Array<ArrayBuffer>));
  assert.deepEqual(sectionIds(out).filter((s) => s.startsWith("0:")), []);
  for (const x of [10, -5, 0x7ffffffe]) {
    assert.equal(await run(out, x), (x + 3) | 0);
    assert.equal(await run(core, x), (x + 3) | 0);
  }
});

Deno.test("optimizeCore refuses a SIMD module that does not declare its features", () => {
  assert.throws(
    () => optimizeCore(simdModule(false), { label: "stripped module" }),
    (e: unknown) =>
      e instanceof ScportraitError && e.code === "PLUGIN_INVALID" &&
      e.message.includes("stripped module") && e.message.includes("target_features"),
  );
});
