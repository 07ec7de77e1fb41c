/**
 * The WAT text of a bump allocator exported as `cabi_realloc` (grows memory when needed, copies
 * on realloc, never frees), shared by the test components built from WAT. It expects a mutable
 * global `$heap` holding the next free address.
 * @module
 */
export const WAT_BUMP_REALLOC = `
  (func $realloc (export "cabi_realloc") (param $old i32) (param $old_size i32) (param $align i32)
      (param $size i32) (result i32)
    (local $ptr i32) (local $end i32) (local $need i32)
    (local.set $ptr (i32.and (i32.add (global.get $heap) (i32.sub (local.get $align) (i32.const 1)))
      (i32.sub (i32.const 0) (local.get $align))))
    (local.set $end (i32.add (local.get $ptr) (local.get $size)))
    (if (i32.gt_u (local.get $end) (i32.mul (memory.size) (i32.const 65536)))
      (then
        (local.set $need (i32.sub (i32.shr_u (i32.add (local.get $end) (i32.const 65535))
          (i32.const 16)) (memory.size)))
        (if (i32.eq (memory.grow (local.get $need)) (i32.const -1)) (then unreachable))))
    (global.set $heap (local.get $end))
    (if (local.get $old_size)
      (then (memory.copy (local.get $ptr) (local.get $old) (local.get $old_size))))
    (local.get $ptr))`;
