/**
 * Component-host numbers: cold load, per-call overhead, and MB/s moving a 32 MiB tile into a
 * permission-less worker and labels back. Components are built from WAT at start (see
 * tests/core/host/*_components.ts). Run: `deno run -A bench/host_bench.ts [--rounds 7]`.
 * Goals (issue 3): cold load ≤ 150 ms, per call ≤ 50 µs, ≥ 2 GB/s in.
 * @module
 */

import { parseArgs } from "node:util";
import { getBindgen } from "../core/host/jco_bindgen.ts";
import { findExport } from "../core/host/instantiate_glue.ts";
import { loadComponent } from "../core/host/load_component.ts";
import { PluginPool } from "../core/host/plugin_pool.ts";
import {
  buildProbeComponent,
  PROBE_IFACE,
  PROBE_WORLD,
} from "../tests/core/host/probe_components.ts";
import { buildSegmentationComponent } from "../tests/core/host/segmentation_components.ts";

const { values } = parseArgs({ options: { rounds: { type: "string", default: "7" } } });
const rounds = Number(values.rounds);

function stats(samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b);
  return `median ${s[Math.floor(s.length / 2)].toFixed(2)} (min ${s[0].toFixed(2)})`;
}

const rows: [string, string][] = [];
const report = (name: string, value: string) => {
  rows.push([name, value]);
  console.log(`${name.padEnd(52)} ${value}`);
};

// Cold load: the bindgen itself (once per process), then per component generate+compile+inst.
let t = performance.now();
await getBindgen();
report("bindgen first load (once per process), ms", (performance.now() - t).toFixed(1));

const seg = await buildSegmentationComponent("normal");
const probe = await buildProbeComponent();
const cold: number[] = [];
for (let i = 0; i < rounds; i++) {
  const bytes = seg.slice();
  t = performance.now();
  // A fresh component each round: append a custom section so the sha256 (glue cache key) differs.
  const unique = withCustomSection(bytes, `round-${i}-${Math.random()}`);
  const c = await loadComponent(unique, { world: "segmentation" });
  await c.instantiate({ memoryMib: 256 });
  cold.push(performance.now() - t);
}
report(`cold load ${seg.length} B component (glue+compile+inst), ms`, stats(cold));

// The first-party AssemblyScript plugin, when it has been built (`deno task build:plugins`).
const firstParty = new URL(
  "../plugins/threshold_segmentation/build/component.wasm",
  import.meta.url,
);
const fpBytes = await Deno.readFile(firstParty).catch(() => undefined);
if (fpBytes) {
  const fp: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const unique = withCustomSection(fpBytes, `round-${i}-${Math.random()}`);
    t = performance.now();
    const c = await loadComponent(unique, { world: "segmentation" });
    await c.instantiate({ memoryMib: 512 });
    fp.push(performance.now() - t);
  }
  report(`cold load threshold-segmentation (${fpBytes.length} B), ms`, stats(fp));
}

t = performance.now();
const pool = await PluginPool.create({
  component: probe,
  world: PROBE_WORLD,
  workers: 1,
  limits: { memoryMib: 512, timeoutS: 30 },
});
report("PluginPool.create, 1 worker (warm bindgen), ms", (performance.now() - t).toFixed(1));

// Per-call overhead: trivial function, in-process and through the worker.
const live = await (await loadComponent(probe, { world: PROBE_WORLD })).instantiate();
const add = findExport(live.exports, `${PROBE_IFACE}#add`)!;
const n = 20000;
const direct: number[] = [];
for (let r = 0; r < rounds; r++) {
  t = performance.now();
  for (let i = 0; i < n; i++) add(i, 1);
  direct.push(((performance.now() - t) * 1000) / n);
}
report("per call in-process (add), µs", stats(direct));
const viaWorker: number[] = [];
const piped: number[] = [];
const m = 2000;
for (let r = 0; r < rounds; r++) {
  t = performance.now();
  for (let i = 0; i < m; i++) await pool.call(`${PROBE_IFACE}#add`, [i, 1]);
  viaWorker.push(((performance.now() - t) * 1000) / m);
  t = performance.now();
  await Promise.all(Array.from({ length: m }, (_, i) => pool.call(`${PROBE_IFACE}#add`, [i, 1])));
  piped.push(((performance.now() - t) * 1000) / m);
}
report("per call via worker, sequential round trip, µs", stats(viaWorker));
report("per call via worker, queued (throughput), µs", stats(piped));

// 32 MiB in: transfer to the worker + lowering (copy) into wasm linear memory.
const pixels = 4096 * 4096;
const mib32 = (pixels * 2) / 1048576;
const inRates: number[] = [];
for (let r = 0; r < rounds; r++) {
  const data = new Uint16Array(pixels).fill(3);
  t = performance.now();
  await pool.call(`${PROBE_IFACE}#count`, [data], [data.buffer]);
  inRates.push(mib32 / 1024 / ((performance.now() - t) / 1000));
}
report("32 MiB tile in via worker (transfer+lower), GiB/s", stats(inRates));
pool.close();

// segment(): 32 MiB tile in, 64 MiB u32 labels out, through a worker.
const segPool = await PluginPool.create({
  component: seg,
  world: "segmentation",
  workers: 1,
  limits: { memoryMib: 512, timeoutS: 30 },
});
const segMs: number[] = [];
for (let r = 0; r < rounds; r++) {
  const data = new Uint16Array(pixels);
  for (let i = 0; i < pixels; i += 7) data[i] = 5000;
  t = performance.now();
  const res = await segPool.segment(
    { channels: 1, height: 4096, width: 4096, data },
    {
      originY: 0,
      originX: 0,
      imageHeight: 4096,
      imageWidth: 4096,
      coreY: 0,
      coreX: 0,
      coreHeight: 4096,
      coreWidth: 4096,
    },
    [{ channel: 0, min: 0, max: 5000, mean: 714, otsuThreshold: 2500, quantiles: [] }],
    "{}",
  );
  segMs.push(performance.now() - t);
  if (res.masks[0].labels.length !== pixels) throw new Error("bench: wrong label count");
}
report("segment 4096² (32 MiB in, 64 MiB labels out), ms", stats(segMs));
report(
  "  = tile MiB/s through the worker (in+compute+out)",
  stats(segMs.map((ms) => mib32 / (ms / 1000))),
);
segPool.close();

// The same segment() in-process, to separate worker cost from lowering/compute/lifting.
const segLive = await (await loadComponent(seg, { world: "segmentation" })).instantiate();
const segFn = findExport(segLive.exports, "scportrait:plugin/segmentation@0.1.0#segment")!;
const inProc: number[] = [];
for (let r = 0; r < rounds; r++) {
  const data = new Uint16Array(pixels);
  for (let i = 0; i < pixels; i += 7) data[i] = 5000;
  t = performance.now();
  segFn(
    { channels: 1, height: 4096, width: 4096, data },
    {
      originY: 0,
      originX: 0,
      imageHeight: 4096,
      imageWidth: 4096,
      coreY: 0,
      coreX: 0,
      coreHeight: 4096,
      coreWidth: 4096,
    },
    [{ channel: 0, min: 0, max: 5000, mean: 714, otsuThreshold: 2500, quantiles: [] }],
    "{}",
  );
  inProc.push(performance.now() - t);
}
report("segment 4096² in-process (no worker), ms", stats(inProc));

/** Appends a custom section (name `bench`) to a component, changing its sha256 only. */
function withCustomSection(bytes: Uint8Array, text: string): Uint8Array {
  const name = new TextEncoder().encode("bench");
  const payload = new TextEncoder().encode(text);
  const body = [name.length, ...name, ...payload];
  const out = new Uint8Array(bytes.length + 2 + body.length);
  out.set(bytes);
  out.set([0, body.length, ...body], bytes.length);
  return out;
}
