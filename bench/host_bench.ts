/**
 * Plugin-runtime numbers (issue 3), each printed with its goal:
 * - cold load: verify (sha256 + signature, from the registry cache) + compile + instantiate of
 *   the first-party `threshold-segmentation`, in a fresh process per round, with the glue cache
 *   next to each component in the plugin cache (no jco bindgen at all), and without it (jco's
 *   bindgen warmed by another first-party plugin first; that start-up is printed on its own);
 * - per-call overhead of a trivial export through a pool worker (goal ≤ 50 µs; small calls go
 *   through the shared mailbox), the same forced through postMessage, and the bare transport
 *   floors (postMessage echo, SharedArrayBuffer + Atomics echo) for comparison;
 * - a 32 MiB tile into a worker (transfer + lowering, goal ≥ 2 GB/s) and a tile in + labels out.
 * Components other than the first-party ones are built from WAT at start (tests/core/host/).
 * Run: `deno task bench plugins [--quick]` or `deno run -A bench/host_bench.ts [--rounds 7]`.
 * @module
 */

import { join } from "node:path";
import { parseArgs } from "node:util";
import { findExport } from "../core/host/instantiate_glue.ts";
import { bindgenStarted } from "../core/host/jco_bindgen.ts";
import { loadComponent } from "../core/host/load_component.ts";
import { PluginPool } from "../core/host/plugin_pool.ts";
import { DEFAULT_REGISTRY, installPlugin } from "../core/registry/install_plugin.ts";
import { openInstalledPlugin } from "../core/registry/installed_plugin.ts";
import { loadTrustedKeys } from "../core/registry/trusted_keys.ts";
import {
  buildProbeComponent,
  PROBE_IFACE,
  PROBE_WORLD,
} from "../tests/core/host/probe_components.ts";
import { buildSegmentationComponent } from "../tests/core/host/segmentation_components.ts";

const { values } = parseArgs({
  options: {
    rounds: { type: "string" },
    quick: { type: "boolean", default: false },
    "child-cold": { type: "string" }, // internal: <project>,<cacheRoot>,<glue|noglue>
  },
});
const rounds = Number(values.rounds ?? (values.quick ? 3 : 7));
const FIRST_PARTY = "threshold-segmentation";
const WARM_UP = "mean-intensity-featurizer";
const LATER = ["bbox-selection", "phase-correlation-stitching"]; // 3rd and 4th of the process

const median = (s: number[]) => [...s].sort((a, b) => a - b)[Math.floor(s.length / 2)];
const minOf = (s: number[]) => Math.min(...s);
const fmt = (s: number[], digits = 1) =>
  `${median(s).toFixed(digits)} (min ${minOf(s).toFixed(digits)})`;
const report = (name: string, value: string, goal = "") =>
  console.log(`${name.padEnd(60)} ${value.padEnd(22)} ${goal}`);

/** Child process: one cold load, timed in phases; prints JSON. */
async function coldChild(project: string, cacheRoot: string, glue: boolean): Promise<void> {
  const trustedKeys = await loadTrustedKeys();
  const open = async (id: string) => {
    const t0 = performance.now();
    const p = await openInstalledPlugin(id, { project, cacheRoot, trustedKeys });
    const t1 = performance.now();
    const m = p.package.manifest;
    const c = await loadComponent(p.package.component, {
      world: m.world,
      name: id,
      glueCacheDir: glue ? p.cacheDir : undefined,
    });
    await c.compile({ memoryMib: m.limits.memory_mib });
    const t2 = performance.now();
    await c.instantiate({ memoryMib: m.limits.memory_mib });
    const t3 = performance.now();
    return { verify: t1 - t0, compile: t2 - t1, instantiate: t3 - t2, total: t3 - t0 };
  };
  const first = await open(WARM_UP);
  const cold = await open(FIRST_PARTY);
  await open(LATER[0]);
  const later = await open(LATER[1]);
  const bindgen = bindgenStarted() ? 1 : 0;
  console.log(JSON.stringify({ first: first.total, ...cold, later: later.total, bindgen }));
}

if (values["child-cold"]) {
  const [project, cacheRoot, glue] = values["child-cold"].split(",");
  await coldChild(project, cacheRoot, glue === "glue");
  Deno.exit(0);
}

const started = performance.now();
console.log(`rounds ${rounds}${values.quick ? " (--quick)" : ""}; median (min)\n`);

// --- Cold load from the registry cache, one fresh process per round -------------------------
const dir = await Deno.makeTempDir({ prefix: "host_bench_" });
const project = join(dir, "project");
const cacheRoot = join(dir, "cache");
await Deno.mkdir(project);
const trustedKeys = await loadTrustedKeys();
for (const id of [WARM_UP, FIRST_PARTY, ...LATER]) {
  await installPlugin({
    spec: id,
    registry: DEFAULT_REGISTRY,
    project,
    cacheRoot,
    trustedKeys,
    runTests: false,
    progress: false,
  });
}
const coldRun = async (glue: boolean) => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL(import.meta.url).pathname,
      `--child-cold=${project},${cacheRoot},${glue ? "glue" : "noglue"}`,
    ],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  if (out.code !== 0) throw new Error(`bench: cold-load child failed (exit ${out.code})`);
  return JSON.parse(new TextDecoder().decode(out.stdout)) as Record<string, number>;
};
const firstEver = await coldRun(true); // fills the glue cache
const cold: Record<string, number>[] = [];
for (let r = 0; r < rounds; r++) cold.push(await coldRun(true));
const noGlue: Record<string, number>[] = [];
for (let r = 0; r < Math.min(3, rounds); r++) noGlue.push(await coldRun(false));
await Deno.remove(dir, { recursive: true });
const col = (k: string) => cold.map((c) => c[k]);
const colNo = (k: string) => noGlue.map((c) => c[k]);
report(
  `cold load ${FIRST_PARTY}, glue cached (verify+compile+inst.), ms`,
  fmt(col("total")),
  "≤ 150",
);
report("  verify: sha256 + Ed25519 from the cache, ms", fmt(col("verify")));
report("  compile: glue from cache + WebAssembly.compile, ms", fmt(col("compile")));
report("  instantiate, ms", fmt(col("instantiate")));
report(
  "  processes that started jco's bindgen (of " + cold.length + ")",
  String(col("bindgen").reduce((a, b) => a + b, 0)),
);
report("  first component of such a process, ms", fmt(col("first")));
report(
  "first process after install (generates + stores glue), ms",
  (firstEver.first + firstEver.total).toFixed(0),
);
report(
  `without glue cache (${noGlue.length} rounds): 1st component (bindgen start), ms`,
  fmt(colNo("first")),
);
report(`  cold load ${FIRST_PARTY} (bindgen warm), ms`, fmt(colNo("total")));
report(`  4th component of a process (${LATER[1]}), ms`, fmt(colNo("later")));

// --- Per-call overhead ------------------------------------------------------------------------
const probe = await buildProbeComponent();
let t = performance.now();
const pool = await PluginPool.create({
  component: probe,
  world: PROBE_WORLD,
  workers: 1,
  limits: { memoryMib: 512, timeoutS: 30 },
});
report("PluginPool.create, 1 worker (bindgen warm), ms", (performance.now() - t).toFixed(1));
const live = await (await loadComponent(probe, { world: PROBE_WORLD })).instantiate();
const add = findExport(live.exports, `${PROBE_IFACE}#add`)!;
const n = values.quick ? 5000 : 20000;
const m = values.quick ? 1000 : 3000;
const direct: number[] = [];
const viaWorker: number[] = [];
const queued: number[] = [];
const byMessage: number[] = [];
const describeCalls: number[] = [];
for (let r = 0; r < rounds; r++) {
  t = performance.now();
  for (let i = 0; i < n; i++) add(i, 1);
  direct.push(((performance.now() - t) * 1000) / n);
  t = performance.now();
  for (let i = 0; i < m; i++) await pool.call(`${PROBE_IFACE}#add`, [i, 1]);
  viaWorker.push(((performance.now() - t) * 1000) / m);
  t = performance.now();
  await Promise.all(Array.from({ length: m }, (_, i) => pool.call(`${PROBE_IFACE}#add`, [i, 1])));
  queued.push(((performance.now() - t) * 1000) / m);
  t = performance.now();
  for (let i = 0; i < m; i++) {
    await pool.call(`${PROBE_IFACE}#add`, [i, 1], [new ArrayBuffer(0)]); // forces postMessage
  }
  byMessage.push(((performance.now() - t) * 1000) / m);
  t = performance.now();
  for (let i = 0; i < m; i++) await pool.describe();
  describeCalls.push(((performance.now() - t) * 1000) / m);
}
report("per call in-process (add), µs", fmt(direct, 2));
report("per call through a pool worker (add, round trip), µs", fmt(viaWorker), "≤ 50");
report("  same, calls queued (throughput), µs", fmt(queued));
report("  describe() through a pool worker, µs", fmt(describeCalls));
report("  add forced through postMessage (a transfer list), µs", fmt(byMessage));
const floors = await transportFloors(m);
report("  floor: bare worker, postMessage echo, µs", fmt(floors.post));
report("  floor: bare worker, SharedArrayBuffer + Atomics echo, µs", fmt(floors.sab));

// --- 32 MiB tile in, labels out ----------------------------------------------------------------
const pixels = 4096 * 4096;
const tileBytes = pixels * 2;
const inRates: number[] = [];
const inOut: number[] = [];
for (let r = 0; r < rounds; r++) {
  let data = new Uint16Array(pixels).fill(3);
  t = performance.now();
  await pool.call(`${PROBE_IFACE}#count`, [data], [data.buffer]);
  inRates.push(tileBytes / 1e9 / ((performance.now() - t) / 1000));
  data = new Uint16Array(pixels).fill(3);
  t = performance.now();
  const out = await pool.call(`${PROBE_IFACE}#widen`, [data], [data.buffer]) as Uint32Array;
  inOut.push(tileBytes / 1e6 / ((performance.now() - t) / 1000));
  if (out.length !== pixels || out[0] !== 4) throw new Error("bench: widen returned wrong data");
}
pool.close();
report("32 MiB tile into a worker (transfer + lowering), GB/s", fmt(inRates, 2), "≥ 2");
report("32 MiB tile in + 64 MiB u32 labels out (widen), MB/s of tile", fmt(inOut, 0));

const seg = await buildSegmentationComponent("normal");
const segPool = await PluginPool.create({
  component: seg,
  world: "segmentation",
  workers: 1,
  limits: { memoryMib: 512, timeoutS: 60 },
});
const segMs: number[] = [];
for (let r = 0; r < rounds; r++) {
  const data = new Uint16Array(pixels);
  for (let i = 0; i < pixels; i += 7) data[i] = 5000;
  const full = { originY: 0, originX: 0, imageHeight: 4096, imageWidth: 4096, coreY: 0, coreX: 0 };
  t = performance.now();
  const res = await segPool.segment(
    { channels: 1, height: 4096, width: 4096, data },
    { ...full, coreHeight: 4096, coreWidth: 4096 },
    [{ channel: 0, min: 0, max: 5000, mean: 714, otsuThreshold: 2500, quantiles: [] }],
    "{}",
  );
  segMs.push(performance.now() - t);
  if (res.masks[0].labels.length !== pixels) throw new Error("bench: wrong label count");
}
segPool.close();
report(
  "segment() 4096² through a worker (WAT kernel), MB/s of tile",
  fmt(segMs.map((ms) => tileBytes / 1e6 / (ms / 1000)), 0),
);

// --- Summary -----------------------------------------------------------------------------------
const verdict = (ok: boolean) => ok ? "met" : "NOT met";
console.log(
  `\ngoals (issue 3), medians: cold load ${median(col("total")).toFixed(0)} ms ≤ 150 ms ` +
    `${verdict(median(col("total")) <= 150)}; per call ${
      median(viaWorker).toFixed(0)
    } µs ≤ 50 µs ` +
    `${verdict(median(viaWorker) <= 50)}; tile in ${median(inRates).toFixed(2)} GB/s ≥ 2 GB/s ` +
    `${verdict(median(inRates) >= 2)}   (bench took ${
      ((performance.now() - started) / 1000).toFixed(0)
    } s, load average ${Deno.loadavg()[0].toFixed(1)})`,
);

/** Round trips to a bare permission-less echo worker: postMessage, and SAB + Atomics. */
async function transportFloors(calls: number): Promise<{ post: number[]; sab: number[] }> {
  const source = `self.onmessage = (e) => {
    const m = e.data;
    if (!m.sab) { self.postMessage(m.a + m.b); return; }
    const c = new Int32Array(m.sab);
    for (let seen = 0;;) {
      Atomics.wait(c, 0, seen);
      seen = Atomics.load(c, 0);
      if (seen < 0) return;
      c[3] = c[1] + c[2];
      Atomics.store(c, 4, seen);
      Atomics.notify(c, 4);
    }
  };`;
  const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  const options = { type: "module" as const, deno: { permissions: "none" as const } };
  const post = new Worker(url, options);
  const sabWorker = new Worker(url, options);
  let resolve: (v: number) => void = () => {};
  post.onmessage = (e) => resolve(e.data);
  const viaPost = (a: number) =>
    new Promise<number>((r) => {
      resolve = r;
      post.postMessage({ a, b: 1 });
    });
  const c = new Int32Array(new SharedArrayBuffer(32));
  sabWorker.postMessage({ sab: c.buffer });
  let seq = 0;
  const viaSab = async (a: number) => {
    c[1] = a;
    c[2] = 1;
    const s = ++seq;
    Atomics.store(c, 0, s);
    Atomics.notify(c, 0);
    while (Atomics.load(c, 4) !== s) {
      const w = Atomics.waitAsync(c, 4, s - 1);
      if (w.async) await w.value;
    }
    return c[3];
  };
  await viaPost(0);
  await viaSab(0);
  const out = { post: [] as number[], sab: [] as number[] };
  for (let r = 0; r < rounds; r++) {
    for (const [key, fn] of [["post", viaPost], ["sab", viaSab]] as const) {
      const t0 = performance.now();
      for (let i = 0; i < calls; i++) if (await fn(i) !== i + 1) throw new Error("bench: echo");
      out[key].push(((performance.now() - t0) * 1000) / calls);
    }
  }
  Atomics.store(c, 0, -1);
  Atomics.notify(c, 0);
  post.terminate();
  sabWorker.terminate();
  URL.revokeObjectURL(url);
  return out;
}
