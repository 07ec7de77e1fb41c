import assert from "node:assert/strict";
import { isScportraitError } from "../../../core/errors.ts";
import { hostReadPaths } from "../../../core/host/host_read_paths.ts";
import { PluginPool } from "../../../core/host/plugin_pool.ts";
import { PluginResultError } from "../../../core/host/plugin_call_error.ts";
import { buildProbeComponent, PROBE_IFACE, PROBE_WORLD } from "./probe_components.ts";
import { buildSegmentationComponent } from "./segmentation_components.ts";

const probe = await buildProbeComponent();
const fn = (name: string) => `${PROBE_IFACE}#${name}`;

Deno.test("pool: success path, describe, transfer in and out", async () => {
  const pool = await PluginPool.create({
    component: probe,
    world: PROBE_WORLD,
    name: "probe",
    limits: { memoryMib: 64, timeoutS: 5 },
    workers: 2,
  });
  try {
    assert.equal(await pool.describe(), "probe");
    assert.equal(await pool.call(fn("add"), [40, 2]), 42);
    const data = new Uint16Array(1 << 20);
    for (let i = 0; i < data.length; i++) data[i] = i & 0xffff;
    const expected = data.reduce((s, v) => s + BigInt(v), 0n);
    const copy = data.slice();
    assert.equal(await pool.call(fn("sum"), [data], [data.buffer]), expected);
    assert.equal(data.byteLength, 0, "input buffer was transferred (detached)");
    const widened = await pool.call(fn("widen"), [copy], [copy.buffer]) as Uint32Array;
    assert.ok(widened instanceof Uint32Array);
    assert.equal(widened.length, 1 << 20);
    assert.equal(widened[0], 1);
    assert.equal(widened[65535], 65536);
    assert.equal(widened[65536], 1);
  } finally {
    pool.close();
  }
});

Deno.test("pool: err result becomes a typed error with its variant", async () => {
  const pool = await PluginPool.create({
    component: probe,
    world: PROBE_WORLD,
    name: "probe",
    workers: 1,
  });
  try {
    await assert.rejects(pool.call(fn("check"), [500]), (e: unknown) => {
      assert.ok(e instanceof PluginResultError);
      assert.equal(e.code, "PLUGIN_ERROR");
      assert.equal(e.variant, "invalid-params");
      assert.equal(e.detail, "bad");
      return true;
    });
    assert.equal(await pool.call(fn("check"), [7]), 7);
    assert.equal(pool.stats.traps, 0);
  } finally {
    pool.close();
  }
});

Deno.test("pool: a spinning plugin is killed after its timeout and the pool recovers", async () => {
  const pool = await PluginPool.create({
    component: probe,
    world: PROBE_WORLD,
    name: "spinner",
    limits: { timeoutS: 0.5 },
    workers: 1,
  });
  try {
    const t0 = performance.now();
    await assert.rejects(pool.call(fn("spin")), (e: unknown) => {
      assert.ok(isScportraitError(e, "PLUGIN_TIMEOUT"), String(e));
      assert.match((e as Error).message, /spinner.*0\.5 s/);
      return true;
    });
    // "spin" never returns, so the rejection itself shows the timeout fired. The bounds only catch
    // a timeout applied early or in the wrong unit; they are wide because a loaded machine delays
    // timers and worker termination (about timeout + 100 ms when idle, docs/decisions.md D16).
    const elapsed = performance.now() - t0;
    assert.ok(elapsed >= 490 && elapsed < 10_000, `rejected after ${elapsed.toFixed(0)} ms`);
    assert.equal(await pool.call(fn("add"), [1, 2]), 3);
    assert.equal(pool.stats.timeouts, 1);
    assert.equal(pool.stats.workerStarts, 2);
  } finally {
    pool.close();
  }
});

Deno.test("pool: unbounded memory growth stops at the ceiling with PLUGIN_MEMORY", async () => {
  const pool = await PluginPool.create({
    component: probe,
    world: PROBE_WORLD,
    name: "grower",
    limits: { memoryMib: 32, timeoutS: 10 },
    workers: 1,
  });
  try {
    await assert.rejects(pool.call(fn("grow"), [16]), (e: unknown) => {
      assert.ok(isScportraitError(e, "PLUGIN_MEMORY"), String(e));
      assert.match((e as Error).message, /grower.*ceiling of 32 MiB/);
      return true;
    });
    assert.ok(pool.stats.peakMemoryBytes <= 32 * 1048576, `peak ${pool.stats.peakMemoryBytes}`);
    assert.ok(pool.stats.peakMemoryBytes > 16 * 1048576, `peak ${pool.stats.peakMemoryBytes}`);
    assert.equal(await pool.call(fn("add"), [2, 2]), 4);
  } finally {
    pool.close();
  }
});

Deno.test("pool: a trap recreates the instance and the next call works", async () => {
  const pool = await PluginPool.create({
    component: probe,
    world: PROBE_WORLD,
    name: "trapper",
    limits: { memoryMib: 16, timeoutS: 5 },
    workers: 1,
  });
  try {
    await assert.rejects(pool.call(fn("trap")), (e: unknown) => {
      assert.ok(isScportraitError(e, "PLUGIN_FAILED"), String(e));
      assert.match((e as Error).message, /trapper trapped in .*#trap: .*unreachable/);
      return true;
    });
    assert.equal(await pool.call(fn("add"), [5, 6]), 11);
    assert.equal(pool.stats.traps, 1);
    assert.equal(pool.stats.workerStarts, 1, "a trap recreates the instance, not the worker");
  } finally {
    pool.close();
  }
});

Deno.test("pool: calls queue, one in flight per worker, all complete", async () => {
  const pool = await PluginPool.create({
    component: probe,
    world: PROBE_WORLD,
    workers: 2,
  });
  try {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => pool.call(fn("add"), [i, 1000])),
    );
    assert.deepEqual(results, Array.from({ length: 20 }, (_, i) => i + 1000));
    assert.equal(pool.stats.calls, 20);
  } finally {
    pool.close();
  }
  await assert.rejects(pool.call(fn("add"), [1, 1]), (e: unknown) => isScportraitError(e, "USAGE"));
});

Deno.test("pool: runs with --allow-read of hostReadPaths() + the component, all else denied", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/component.wasm`;
    await Deno.writeFile(file, await buildSegmentationComponent("normal"));
    const root = new URL("../../../", import.meta.url).pathname;
    const script = new URL("./fixtures/least_privilege_host.ts", import.meta.url).pathname;
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--no-prompt",
        "--config",
        `${root}deno.json`,
        `--allow-read=${[...hostReadPaths(), file].join(",")}`,
        "--deny-write",
        "--deny-net",
        "--deny-env",
        "--deny-run",
        "--deny-ffi",
        "--deny-sys",
        script,
        file,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, stderr);
    const result = JSON.parse(new TextDecoder().decode(out.stdout));
    assert.deepEqual(result.labels, [0, 1, 0, 1]);
    assert.deepEqual(result.objects, [{ label: 1, anchorY: 0, anchorX: 1, area: 2 }]);
    assert.match(result.describe, /wat-threshold/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
