/**
 * A segmentation component for the crash test, built from WAT with the project's `wit/`: tiles in
 * the first tile row (region origin-y = 0) get an empty `nucleus` mask; any other tile traps
 * (`unreachable`), as a plugin bug that hits mid-run.
 * @module
 */
import { componentEmbed, componentNew, parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { WAT_BUMP_REALLOC } from "../../host/wat_bump_allocator.ts";

const WIT_DIR = new URL("../../../../wit/", import.meta.url).pathname;
const SEG = "scportrait:plugin/segmentation@0.1.0#segment";
const DESCRIBE = '{"id":"crash-later-rows","version":"0.1.0","world":"segmentation-plugin"}';

// Canonical ABI (see tests/core/host/segmentation_components.ts): the args tuple has tile
// height @4, width @8 and region origin-y @20; the result goes to a return area (tag @0, masks
// list @4/@8); a mask-result is 24 bytes (name, labels, objects).
const WAT = `
(module
  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 4096))
  (data (i32.const 64) "nucleus")
  (data (i32.const 128) ${JSON.stringify(DESCRIBE)})
  ${WAT_BUMP_REALLOC}
  (func (export "describe") (result i32)
    (i32.store (i32.const 0) (i32.const 128))
    (i32.store (i32.const 4) (i32.const ${DESCRIBE.length}))
    (i32.const 0))
  (func (export "${SEG}") (param $args i32) (result i32)
    (local $n i32) (local $labels i32) (local $mask i32)
    (if (i32.load (i32.add (local.get $args) (i32.const 20))) (then unreachable))
    (local.set $n (i32.mul (i32.load (i32.add (local.get $args) (i32.const 4)))
      (i32.load (i32.add (local.get $args) (i32.const 8)))))
    (local.set $labels (call $realloc (i32.const 0) (i32.const 0) (i32.const 4)
      (i32.shl (local.get $n) (i32.const 2))))
    (memory.fill (local.get $labels) (i32.const 0) (i32.shl (local.get $n) (i32.const 2)))
    (local.set $mask (call $realloc (i32.const 0) (i32.const 0) (i32.const 4) (i32.const 24)))
    (i32.store (local.get $mask) (i32.const 64))
    (i32.store (i32.add (local.get $mask) (i32.const 4)) (i32.const 7))
    (i32.store (i32.add (local.get $mask) (i32.const 8)) (local.get $labels))
    (i32.store (i32.add (local.get $mask) (i32.const 12)) (local.get $n))
    (i32.store (i32.add (local.get $mask) (i32.const 16)) (i32.const 0))
    (i32.store (i32.add (local.get $mask) (i32.const 20)) (i32.const 0))
    (i32.store8 (i32.const 16) (i32.const 0))
    (i32.store (i32.const 20) (local.get $mask))
    (i32.store (i32.const 24) (i32.const 1))
    (i32.const 16))
  (func (export "cabi_post_${SEG}") (param i32) (global.set $heap (i32.const 4096)))
)`;

/** Builds the component. */
export async function buildCrashComponent(): Promise<Uint8Array> {
  const embedded = await componentEmbed({
    binary: await parse(WAT),
    witPath: WIT_DIR,
    world: "segmentation-plugin",
  });
  return await componentNew(embedded);
}
