/**
 * Segmentation-world components built in the test run from WAT with the project's `wit/`
 * (`parse` → `componentEmbed` → `componentNew`). `normal` thresholds channel 0 at the global
 * Otsu threshold into one object; the hostile variants spin, grow memory without bound or trap.
 * @module
 */

import { componentEmbed, componentNew, parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import { WAT_BUMP_REALLOC } from "./wat_bump_allocator.ts";

/** The project's WIT folder. */
export const WIT_DIR = new URL("../../../wit/", import.meta.url).pathname;

/** What the built component's `segment` does. */
export type SegmentBehaviour = "normal" | "spin" | "grow" | "trap";

/** `describe()` text of the normal component. */
export const WAT_DESCRIBE =
  '{"id":"wat-threshold","version":"0.1.0","world":"segmentation-plugin"}';

const SEG = "scportrait:plugin/segmentation@0.1.0#segment";

const HOSTILE: Record<Exclude<SegmentBehaviour, "normal">, string> = {
  spin: "(loop $l (br $l))",
  grow: "(loop $l (if (i32.eq (memory.grow (i32.const 256)) (i32.const -1)) (then unreachable)) " +
    "(br $l))",
  trap: "unreachable",
};

// Canonical ABI: segment has 17 flat params, so they arrive as one pointer to a tuple
// (tile @0: channels, height, width, data ptr @12, len @16; region @20..52: origin-y, origin-x, …;
// stats list @52/@56; params string @60/@64). The result goes to a return area: tag @0,
// ok → masks list @4/@8; err → case @4, string @8/@12. mask-result is 24 bytes (name, labels,
// objects), object-info 16 bytes, channel-stats 48 bytes with otsu-threshold (f64) @32.
function watFor(behaviour: SegmentBehaviour): string {
  const body = behaviour === "normal" ? NORMAL_BODY : `${HOSTILE[behaviour]} (i32.const 16)`;
  return `
(module
  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 4096))
  (data (i32.const 64) "nucleus")
  (data (i32.const 80) "no channel statistics")
  (data (i32.const 128) ${JSON.stringify(WAT_DESCRIBE)})
  ${WAT_BUMP_REALLOC}
  (func (export "describe") (result i32)
    (i32.store (i32.const 0) (i32.const 128))
    (i32.store (i32.const 4) (i32.const ${WAT_DESCRIBE.length}))
    (i32.const 0))
  (func (export "${SEG}") (param $args i32) (result i32)
    (local $w i32) (local $n i32) (local $data i32) (local $stats i32) (local $thr f64)
    (local $i i32) (local $labels i32) (local $count i32) (local $first i32) (local $mask i32)
    (local $obj i32)
    ${body})
  (func (export "cabi_post_${SEG}") (param i32) (global.set $heap (i32.const 4096)))
)`;
}

const NORMAL_BODY = `
    (if (i32.eqz (i32.load (i32.add (local.get $args) (i32.const 56))))
      (then
        (i32.store8 (i32.const 16) (i32.const 1)) (i32.store8 (i32.const 20) (i32.const 1))
        (i32.store (i32.const 24) (i32.const 80)) (i32.store (i32.const 28) (i32.const 21))
        (return (i32.const 16))))
    (local.set $stats (i32.load (i32.add (local.get $args) (i32.const 52))))
    (local.set $thr (f64.load (i32.add (local.get $stats) (i32.const 32))))
    (local.set $w (i32.load (i32.add (local.get $args) (i32.const 8))))
    (local.set $n (i32.mul (i32.load (i32.add (local.get $args) (i32.const 4))) (local.get $w)))
    (local.set $data (i32.load (i32.add (local.get $args) (i32.const 12))))
    (local.set $labels (call $realloc (i32.const 0) (i32.const 0) (i32.const 4)
      (i32.shl (local.get $n) (i32.const 2))))
    (local.set $first (i32.const -1))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (if (f64.gt (f64.convert_i32_u (i32.load16_u (i32.add (local.get $data)
            (i32.shl (local.get $i) (i32.const 1))))) (local.get $thr))
        (then
          (i32.store (i32.add (local.get $labels) (i32.shl (local.get $i) (i32.const 2)))
            (i32.const 1))
          (local.set $count (i32.add (local.get $count) (i32.const 1)))
          (if (i32.lt_s (local.get $first) (i32.const 0)) (then (local.set $first (local.get $i)))))
        (else (i32.store (i32.add (local.get $labels) (i32.shl (local.get $i) (i32.const 2)))
          (i32.const 0))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (local.set $mask (call $realloc (i32.const 0) (i32.const 0) (i32.const 4) (i32.const 24)))
    (i32.store (local.get $mask) (i32.const 64))
    (i32.store (i32.add (local.get $mask) (i32.const 4)) (i32.const 7))
    (i32.store (i32.add (local.get $mask) (i32.const 8)) (local.get $labels))
    (i32.store (i32.add (local.get $mask) (i32.const 12)) (local.get $n))
    (if (local.get $count)
      (then
        (local.set $obj (call $realloc (i32.const 0) (i32.const 0) (i32.const 4) (i32.const 16)))
        (i32.store (local.get $obj) (i32.const 1))
        (i32.store (i32.add (local.get $obj) (i32.const 4))
          (i32.add (i32.load (i32.add (local.get $args) (i32.const 20)))
            (i32.div_u (local.get $first) (local.get $w))))
        (i32.store (i32.add (local.get $obj) (i32.const 8))
          (i32.add (i32.load (i32.add (local.get $args) (i32.const 24)))
            (i32.rem_u (local.get $first) (local.get $w))))
        (i32.store (i32.add (local.get $obj) (i32.const 12)) (local.get $count))
        (i32.store (i32.add (local.get $mask) (i32.const 16)) (local.get $obj))
        (i32.store (i32.add (local.get $mask) (i32.const 20)) (i32.const 1)))
      (else
        (i32.store (i32.add (local.get $mask) (i32.const 16)) (i32.const 0))
        (i32.store (i32.add (local.get $mask) (i32.const 20)) (i32.const 0))))
    (i32.store8 (i32.const 16) (i32.const 0))
    (i32.store (i32.const 20) (local.get $mask))
    (i32.store (i32.const 24) (i32.const 1))
    (i32.const 16)`;

/** Builds a segmentation-world component with the given `segment` behaviour. */
export async function buildSegmentationComponent(
  behaviour: SegmentBehaviour,
): Promise<Uint8Array> {
  const core = await parse(watFor(behaviour));
  const embedded = await componentEmbed({
    binary: core,
    witPath: WIT_DIR,
    world: "segmentation-plugin",
  });
  return await componentNew(embedded);
}
