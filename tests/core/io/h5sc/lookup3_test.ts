import assert from "node:assert/strict";
import { lookup3 } from "../../../../core/io/h5sc/lookup3.ts";

// Golden values from the self-test driver of Bob Jenkins' lookup3.c (hashlittle).
Deno.test("lookup3 matches the reference hashlittle values", () => {
  const text = new TextEncoder().encode("Four score and seven years ago");
  assert.equal(lookup3(new Uint8Array(0), 0), 0xdeadbeef);
  assert.equal(lookup3(text, 0), 0x17770551);
  assert.equal(lookup3(text, 1), 0xcd628161);
});
