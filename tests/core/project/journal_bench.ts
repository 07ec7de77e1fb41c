/**
 * Measures the cost of the crash-safety machinery: `StepRun.markDone` (one fsynced journal line),
 * the same with 1000 concurrent calls, a refused `beginStep`, and `writeJsonAtomic` of ~1 KB.
 * Run: `deno run -A tests/core/project/journal_bench.ts`.
 * @module
 */
import { Project } from "../../../core/project/project.ts";
import { writeJsonAtomic } from "../../../core/io/atomic_file.ts";
const dir = await Deno.makeTempDir();
const p = await Project.create(`${dir}/p`, {
  config: { text: "name: b\n", source: "b.yml", config: { name: "b" } },
});
const run = await p.beginStep("segmentation", { params: {} });
const n = 1000;
let t = performance.now();
for (let i = 0; i < n; i++) await run.markDone(`tile/${i}`, { cells: i });
const seq = (performance.now() - t) / n;
t = performance.now();
await Promise.all(Array.from({ length: n }, (_, i) => run.markDone(`b/${i}`)));
const par = (performance.now() - t) / n;
await run.finish();
t = performance.now();
const re = await p.beginStep("segmentation", { params: {}, overwrite: false }).catch((e) => e.code);
const t2 = performance.now() - t;
t = performance.now();
for (let i = 0; i < 200; i++) await writeJsonAtomic(`${dir}/x.json`, { i, a: "x".repeat(1000) });
const aw = (performance.now() - t) / 200;
console.log(
  JSON.stringify({
    markDone_ms: seq.toFixed(3),
    markDone_concurrent_ms: par.toFixed(3),
    refuse_ms: t2.toFixed(1),
    re,
    writeJsonAtomic_1KB_ms: aw.toFixed(3),
  }),
);
await Deno.remove(dir, { recursive: true });
