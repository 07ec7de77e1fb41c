/**
 * Test components for the host, built from WAT text and WIT in the test run itself:
 * `parse` (wasm-tools WAT → core wasm) + `componentEmbed` + `componentNew` from jco-transpile.
 * The probe world covers success, data transfer, err variants and hostile behaviour (spin, grow
 * memory without bound, trap); a separate one imports `wasi:filesystem`.
 * @module
 */

import { componentEmbed, componentNew, parse } from "@bytecodealliance/jco-transpile/wasm-tools";
import type { WorldSpec } from "../../../core/host/plugin_worlds.ts";
import { WAT_BUMP_REALLOC } from "./wat_bump_allocator.ts";

/** WIT of the probe world (its own package, so it never clashes with the project's wit/). */
export const PROBE_WIT = `
package scportrait:hosttest@0.1.0;

interface probe {
  variant error { invalid-params(string), invalid-input(string), internal(string) }
  /// returns a + b
  add: func(a: u32, b: u32) -> u32;
  /// sum of all values
  sum: func(data: list<u16>) -> u64;
  /// number of values (measures moving a list in)
  count: func(data: list<u16>) -> u32;
  /// each value widened to u32 and plus one
  widen: func(data: list<u16>) -> list<u32>;
  /// ok(code) when code < 100, else err(invalid-params("bad"))
  check: func(code: u32) -> result<u32, error>;
  /// loops forever
  spin: func() -> u32;
  /// grows memory by pages until growth fails, then traps
  grow: func(pages: u32) -> u32;
  /// executes unreachable
  trap: func() -> u32;
}

world probe-world {
  export probe;
  export describe: func() -> string;
}

world fs-world {
  import wasi:filesystem/types@0.2.0;
  export describe: func() -> string;
}

package wasi:filesystem@0.2.0 {
  interface types {
    type filesize = u64;
    size-of: func(path: string) -> filesize;
  }
}
`;

/** Fully qualified name of the probe interface. */
export const PROBE_IFACE = "scportrait:hosttest/probe@0.1.0";

/** World spec the loader checks probe components against. */
export const PROBE_WORLD: WorldSpec = {
  name: "probe-world",
  functions: [
    "describe",
    ...["add", "sum", "count", "widen", "check", "spin", "grow", "trap"].map((f) =>
      `${PROBE_IFACE}#${f}`
    ),
  ],
};

const I = PROBE_IFACE;

/** Core module of the probe world: bump allocator, static strings, hostile functions. */
const PROBE_WAT = `
(module
  (memory (export "memory") 1)
  (global $heap (mut i32) (i32.const 4096))
  (data (i32.const 16) "probe")
  (data (i32.const 32) "bad")
  ${WAT_BUMP_REALLOC}
  (func (export "describe") (result i32)
    (i32.store (i32.const 0) (i32.const 16)) (i32.store (i32.const 4) (i32.const 5)) (i32.const 0))
  (func (export "${I}#add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func (export "${I}#sum") (param $p i32) (param $n i32) (result i64)
    (local $acc i64)
    (block $done (loop $l
      (br_if $done (i32.eqz (local.get $n)))
      (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (i32.load16_u (local.get $p)))))
      (local.set $p (i32.add (local.get $p) (i32.const 2)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $l)))
    (global.set $heap (i32.const 4096))
    (local.get $acc))
  (func (export "${I}#count") (param $p i32) (param $n i32) (result i32)
    (global.set $heap (i32.const 4096))
    (local.get $n))
  (func (export "${I}#widen") (param $p i32) (param $n i32) (result i32)
    (local $out i32) (local $i i32)
    (local.set $out (call $realloc (i32.const 0) (i32.const 0) (i32.const 4)
      (i32.shl (local.get $n) (i32.const 2))))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (i32.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2)))
        (i32.add (i32.load16_u (i32.add (local.get $p) (i32.shl (local.get $i) (i32.const 1))))
          (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (i32.store (i32.const 8) (local.get $out)) (i32.store (i32.const 12) (local.get $n))
    (global.set $heap (i32.const 4096))
    (i32.const 8))
  (func (export "cabi_post_${I}#widen") (param i32))
  (func (export "${I}#check") (param $code i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $code) (i32.const 100))
      (then (i32.store8 (i32.const 48) (i32.const 0)) (i32.store (i32.const 52) (local.get $code))
        (i32.const 48))
      (else (i32.store8 (i32.const 48) (i32.const 1)) (i32.store8 (i32.const 52) (i32.const 0))
        (i32.store (i32.const 56) (i32.const 32)) (i32.store (i32.const 60) (i32.const 3))
        (i32.const 48))))
  (func (export "${I}#spin") (result i32) (loop $l (br $l)) (i32.const 0))
  (func (export "${I}#grow") (param $pages i32) (result i32)
    (loop $l
      (if (i32.eq (memory.grow (local.get $pages)) (i32.const -1)) (then unreachable))
      (br $l))
    (i32.const 0))
  (func (export "${I}#trap") (result i32) unreachable)
)`;

/** Core module of the fs world: imports a wasi:filesystem function. */
const FS_WAT = `
(module
  (import "wasi:filesystem/types@0.2.0" "size-of" (func $size (param i32 i32) (result i64)))
  (memory (export "memory") 1)
  (data (i32.const 16) "fs")
  (func (export "cabi_realloc") (param i32 i32 i32 i32) (result i32) (i32.const 1024))
  (func (export "describe") (result i32)
    (i32.store (i32.const 0) (i32.const 16)) (i32.store (i32.const 4) (i32.const 2)) (i32.const 0))
)`;

async function build(wat: string, world: string): Promise<Uint8Array> {
  const core = await parse(wat);
  const embedded = await componentEmbed({ binary: core, witSource: PROBE_WIT, world });
  return await componentNew(embedded);
}

/** Builds the probe component (success path, transfer, errors, hostile functions). */
export function buildProbeComponent(): Promise<Uint8Array> {
  return build(PROBE_WAT, "probe-world");
}

/** Builds a component that imports `wasi:filesystem/types@0.2.0`. */
export function buildFsImportingComponent(): Promise<Uint8Array> {
  return build(FS_WAT, "fs-world");
}
