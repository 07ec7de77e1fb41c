import assert from "node:assert/strict";
import {
  decodeMailbox,
  MailboxWriter,
  UnencodableError,
} from "../../../core/host/mailbox_codec.ts";

const roundTrip = (value: unknown, limit = 1 << 16) =>
  decodeMailbox(new MailboxWriter(limit).encode(value).slice());

Deno.test("mailbox codec: jco values and protocol messages round-trip exactly", () => {
  const u16 = Uint16Array.from([0, 1, 65535, 7]);
  const value = {
    type: "call",
    id: 12,
    fn: "scportrait:plugin/segmentation@0.1.0#segment",
    args: [
      u16,
      new Float64Array([Math.PI, -0, NaN, Infinity]),
      new BigUint64Array([2n ** 64n - 1n]),
      { tag: "invalid-params", val: "naïve µm ✓ 𝄞" },
      [1.5, -2, 2 ** 53, true, false, null, undefined],
      2n ** 70n,
      -(2n ** 63n),
      "",
      new Uint8Array(new ArrayBuffer(8), 3, 2), // a view at an offset
      new Uint8Array([9, 8]).buffer,
    ],
  };
  const back = roundTrip(value) as typeof value;
  assert.deepEqual(back, value);
  assert.ok(back.args[0] instanceof Uint16Array);
  assert.ok(Object.is((back.args[1] as Float64Array)[1], -0));
  assert.ok(back.args[9] instanceof ArrayBuffer);
});

Deno.test("mailbox codec: a __proto__ key stays data, not a prototype", () => {
  const value = JSON.parse('{"__proto__": {"polluted": 1}, "a": 2}');
  const back = roundTrip(value) as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(back), Object.prototype);
  assert.deepEqual(Object.keys(back), ["__proto__", "a"]);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

Deno.test("mailbox codec: refuses what it cannot carry so the caller posts a message", () => {
  const refuses = (value: unknown, limit = 1 << 16) =>
    assert.throws(() => new MailboxWriter(limit).encode(value), UnencodableError);
  refuses(new Map([[1, 2]]));
  refuses(new Date(0));
  refuses(() => 1);
  refuses(Symbol("s"));
  refuses(new Uint16Array(40_000)); // 80 KB > 64 KiB
  refuses("x".repeat(70_000));
  const deep: unknown[] = [];
  let cur = deep;
  for (let i = 0; i < 40; i++) cur.push(cur = []);
  refuses(deep);
  // The writer stays usable after a refusal.
  const writer = new MailboxWriter(1024);
  assert.throws(() => writer.encode(new Uint8Array(2000)), UnencodableError);
  assert.deepEqual(decodeMailbox(writer.encode([1, "a"]).slice()), [1, "a"]);
});
