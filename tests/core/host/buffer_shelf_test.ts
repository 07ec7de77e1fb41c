/** BufferShelf: buffers are found by exact size, the oldest go first past capacity. */
import assert from "node:assert/strict";
import { BufferShelf } from "../../../core/host/buffer_shelf.ts";

Deno.test("BufferShelf returns a kept buffer of the asked size once, drops the oldest", () => {
  const shelf = new BufferShelf(2);
  const a = new ArrayBuffer(8), b = new ArrayBuffer(16), c = new ArrayBuffer(8);
  shelf.put(a);
  shelf.put(b);
  assert.equal(shelf.take(12), undefined, "no buffer of 12 bytes");
  assert.equal(shelf.take(16), b);
  assert.equal(shelf.take(16), undefined, "taken buffers leave the shelf");
  shelf.put(b);
  shelf.put(c); // capacity 2: `a`, the oldest, is dropped
  assert.equal(shelf.take(8), c);
  assert.equal(shelf.take(8), undefined);
  shelf.clear();
  assert.equal(shelf.take(16), undefined, "clear drops everything");
});
