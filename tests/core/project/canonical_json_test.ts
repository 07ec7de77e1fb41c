/** canonicalJson / sha256Hex / canonicalHash: RFC 8785 vectors, Python json.dumps parity, FIPS vector. */
import assert from "node:assert/strict";
import { isScportraitError } from "../../../core/errors.ts";
import { canonicalHash, canonicalJson, sha256Hex } from "../../../core/project/canonical_json.ts";

Deno.test("canonicalJson follows RFC 8785 number and ordering examples", () => {
  // RFC 8785 §3.2.2.3 / Appendix B number serialisations.
  assert.equal(canonicalJson(333333333.33333329), "333333333.3333333");
  assert.equal(canonicalJson(1e30), "1e+30");
  assert.equal(canonicalJson(4.50), "4.5");
  assert.equal(canonicalJson(2e-3), "0.002");
  assert.equal(canonicalJson(0.000000000000000000000000001), "1e-27");
  assert.equal(canonicalJson(-0), "0");
  // RFC 8785 §3.2.3 sorting example: keys ordered by UTF-16 code units.
  const sorted = canonicalJson({
    "\u20ac": "Euro Sign",
    "\r": "Carriage Return",
    "\ufb33": "Hebrew Letter Dalet With Dagesh",
    "1": "One",
    "\ud83d\ude00": "Emoji: Grinning Face",
    "\u0080": "Control",
    "\u00f6": "Latin Small Letter O With Diaeresis",
  });
  const keys = Object.keys(JSON.parse(sorted));
  // JSON.parse re-orders integer-like keys first, so compare the text order instead.
  assert.equal(keys.length, 7);
  const order = ["\r", "1", "\u0080", "\u00f6", "\u20ac", "\ud83d\ude00", "\ufb33"];
  const positions = order.map((k) => sorted.indexOf(JSON.stringify(k) + ":"));
  assert.deepEqual([...positions].sort((a, b) => a - b), positions);
});

Deno.test("canonicalJson equals Python json.dumps(sort_keys, compact) for integers and text", async () => {
  const value = {
    zeta: [3, 2, { b: null, a: true }],
    alpha: 'Zellkern — ü\n"quoted"',
    nested: { y: -7, x: [false, "s"], "": 0 },
    big: 9007199254740991,
  };
  const script = "import json,sys; v=json.load(sys.stdin); " +
    "sys.stdout.write(json.dumps(v, sort_keys=True, separators=(',', ':'), ensure_ascii=False))";
  const child = new Deno.Command("/usr/bin/python3", {
    args: ["-c", script],
    stdin: "piped",
    stdout: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(JSON.stringify(value)));
  await writer.close();
  const out = await child.output();
  assert.equal(out.code, 0);
  assert.equal(canonicalJson(value), new TextDecoder().decode(out.stdout));
});

Deno.test("canonicalHash ignores key order and whitespace; sha256Hex matches FIPS 180-2", async () => {
  assert.equal(
    await sha256Hex("abc"),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
  const a = await canonicalHash(JSON.parse('{"b": 1, "a": [1, 2]}'));
  const b = await canonicalHash(JSON.parse('{\n "a":[1,2],\n "b":1.0}'));
  assert.equal(a, b);
  assert.match(a, /^sha256:[0-9a-f]{64}$/);
  assert.notEqual(a, await canonicalHash({ a: [2, 1], b: 1 }));
});

Deno.test("canonicalJson refuses values JSON cannot carry", () => {
  for (const bad of [NaN, Infinity, { a: () => 1 }, { d: new Date(0) }, 1n]) {
    assert.throws(() => canonicalJson(bad), (e) => isScportraitError(e, "USAGE"));
  }
  assert.equal(canonicalJson({ a: undefined, b: [undefined] }), '{"b":[null]}');
});
