/**
 * UTF-8 strings across the boundary (the contract's `string` encoding).
 * @module
 */

import { freeAfterReturn } from "./memory";

/** Reads the UTF-8 string `(ptr, len)` stored at `at` into a managed string. */
export function liftString(at: usize): string {
  const ptr = <usize> load<u32>(at);
  const len = <usize> load<u32>(at, 4);
  return String.UTF8.decodeUnsafe(ptr, len, false);
}

/** Encodes `value` as UTF-8 into a fresh buffer and stores `(ptr, len)` at `at`. */
export function lowerString(at: usize, value: string): void {
  const bytes = <usize> String.UTF8.byteLength(value, false);
  const ptr = heap.alloc(max<usize>(bytes, 1));
  String.UTF8.encodeUnsafe(changetype<usize>(value), value.length, ptr, false);
  store<u32>(at, <u32> ptr);
  store<u32>(at, <u32> bytes, 4);
  freeAfterReturn(ptr);
}

/** Lowers `values` as a `list<string>` and stores `(ptr, len)` at `at`. */
export function lowerStringList(at: usize, values: string[]): void {
  const n = values.length;
  const ptr = heap.alloc(<usize> max(n, 1) * 8);
  for (let i = 0; i < n; i++) lowerString(ptr + <usize> i * 8, unchecked(values[i]));
  store<u32>(at, <u32> ptr);
  store<u32>(at, <u32> n, 4);
  freeAfterReturn(ptr);
}

/** Reads the `list<string>` `(ptr, n)` and frees its buffers (arguments are callee-owned). */
export function liftStringListAndFree(ptr: usize, n: i32): string[] {
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const item = ptr + <usize> i * 8;
    unchecked(out[i] = liftString(item));
    const p = <usize> load<u32>(item);
    if (p != 0) heap.free(p);
  }
  if (ptr != 0) heap.free(ptr);
  return out;
}
