/** BufferShelf: buffers are found by best fit, the oldest go first past capacity. */
import assert from "node:assert/strict";
import { BufferShelf } from "../../../core/host/buffer_shelf.ts";

Deno.test("BufferShelf returns the smallest kept buffer that fits, once; drops the oldest", () => {
  const shelf = new BufferShelf(2);
  const a = new ArrayBuffer(8), b = new ArrayBuffer(16), c = new ArrayBuffer(8);
  shelf.put(b);
  shelf.put(a);
  assert.equal(shelf.take(17), undefined, "no buffer of 17 bytes or more");
  assert.equal(shelf.take(6), a, "the smallest that holds 6 bytes");
  shelf.put(a);
  assert.equal(shelf.take(12), b, "the only one that holds 12 bytes");
  shelf.put(b); // shelf: a, b
  assert.equal(shelf.take(16), b);
  assert.equal(shelf.take(16), undefined, "taken buffers leave the shelf");
  shelf.put(b);
  shelf.put(c); // capacity 2: `a`, the oldest, is dropped
  assert.equal(shelf.take(8), c);
  assert.equal(shelf.take(8), b, "a larger one when no smaller fits");
  assert.equal(shelf.take(1), undefined);
  shelf.clear();
  assert.equal(shelf.take(16), undefined, "clear drops everything");
});
