import assert from "node:assert/strict";
import { isScportraitError } from "../../../core/errors.ts";
import { PluginPool } from "../../../core/host/plugin_pool.ts";
import { buildProbeComponent, PROBE_IFACE, PROBE_WORLD } from "./probe_components.ts";

const probe = await buildProbeComponent();
const fn = (name: string) => `${PROBE_IFACE}#${name}`;
const ramp = (n: number) => Uint16Array.from({ length: n }, (_, i) => (i * 7) & 0xffff);
const sumOf = (a: Uint16Array) => a.reduce((s, v) => s + BigInt(v), 0n);

Deno.test("pool mailbox: small calls go through the mailbox, large ones by message", async () => {
  const pool = await PluginPool.create({
    component: probe,
    world: PROBE_WORLD,
    name: "probe",
    limits: { timeoutS: 20 },
    workers: 1,
  });
  try {
    const before = pool.stats.mailboxCalls;
    assert.equal(await pool.describe(), "probe");
    assert.equal(await pool.call(fn("add"), [40, 2]), 42);
    const small = ramp(1000);
    assert.equal(await pool.call(fn("sum"), [small]), sumOf(small));
    assert.equal(small.length, 1000, "not transferred: the caller keeps its array");
    const widened = await pool.call(fn("widen"), [ramp(100)]) as Uint32Array;
    assert.ok(widened instanceof Uint32Array);
    assert.deepEqual([...widened], [...ramp(100)].map((v) => v + 1));
    assert.equal(pool.stats.mailboxCalls - before, 4);

    // Request fits (40 KB), reply does not (80 KB): the reply comes by message.
    const mid = ramp(20_000);
    const wide = await pool.call(fn("widen"), [mid]) as Uint32Array;
    assert.equal(wide.length, 20_000);
    assert.equal(wide[19_999], mid[19_999] + 1);
    assert.equal(pool.stats.mailboxCalls - before, 5);

    // Too large to encode (128 KB) and a transfer list: both by message, interleaved.
    const big = ramp(1 << 16);
    assert.equal(await pool.call(fn("sum"), [big]), sumOf(big));
    const moved = ramp(1 << 16);
    assert.equal(await pool.call(fn("count"), [moved], [moved.buffer]), 1 << 16);
    assert.equal(moved.byteLength, 0, "transferred");
    assert.equal(pool.stats.mailboxCalls - before, 5);
    assert.equal(await pool.call(fn("add"), [1, 1]), 2);
    assert.equal(pool.stats.mailboxCalls - before, 6);
    assert.equal(pool.stats.workerStarts, 1);
  } finally {
    pool.close();
  }
});

Deno.test("pool mailbox: err, trap and timeout in the mailbox path, then both paths work", async () => {
  const pool = await PluginPool.create({
    component: probe,
    world: PROBE_WORLD,
    name: "probe",
    limits: { timeoutS: 0.5 },
    workers: 1,
  });
  try {
    await assert.rejects(
      pool.call(fn("check"), [500]),
      (e) => isScportraitError(e, "PLUGIN_ERROR"),
    );
    await assert.rejects(pool.call(fn("trap")), (e) => isScportraitError(e, "PLUGIN_FAILED"));
    assert.equal(await pool.call(fn("add"), [5, 6]), 11);
    const data = ramp(1 << 16);
    assert.equal(await pool.call(fn("sum"), [data], [data.buffer]), sumOf(ramp(1 << 16)));
    await assert.rejects(pool.call(fn("spin")), (e) => isScportraitError(e, "PLUGIN_TIMEOUT"));
    assert.equal(await pool.call(fn("add"), [2, 3]), 5);
    const again = ramp(1 << 16);
    assert.equal(await pool.call(fn("count"), [again], [again.buffer]), 1 << 16);
    const s = pool.stats;
    assert.equal(s.timeouts, 1);
    assert.equal(s.traps, 1);
    assert.equal(s.workerStarts, 2);
  } finally {
    pool.close();
  }
});
