import assert from "node:assert/strict";
import { componentEmbed, componentNew } from "@bytecodealliance/jco-transpile/wasm-tools";
import { isScportraitError } from "../../../core/errors.ts";
import { listExportedFunctions } from "../../../core/host/instantiate_glue.ts";
import { loadComponent } from "../../../core/host/load_component.ts";
import { resolveWorld, WORLD_NAMES } from "../../../core/host/plugin_worlds.ts";
import { readMemoryLimits } from "../../../core/host/wasm_memory_limit.ts";
import { buildFsImportingComponent, buildProbeComponent, PROBE_WORLD } from "./probe_components.ts";
import { buildSegmentationComponent, WIT_DIR } from "./segmentation_components.ts";

/** Counts WebAssembly compile/instantiate calls made while `fn` runs. */
async function countWasmWork(fn: () => Promise<unknown>): Promise<number> {
  const wasm = WebAssembly as unknown as Record<string, unknown>;
  const saved = { compile: wasm.compile, instantiate: wasm.instantiate, Module: wasm.Module };
  let count = 0;
  const wrap = (f: unknown) => (...a: unknown[]) => {
    count++;
    return (f as (...a: unknown[]) => unknown)(...a);
  };
  wasm.compile = wrap(saved.compile);
  wasm.instantiate = wrap(saved.instantiate);
  try {
    await fn();
  } catch {
    // the caller asserts on the error separately
  } finally {
    Object.assign(wasm, saved);
  }
  return count;
}

Deno.test("loadComponent: a wasi:filesystem importer is refused before anything is compiled", async () => {
  const bytes = await buildFsImportingComponent();
  const accepted = await loadComponent(await buildProbeComponent(), { world: PROBE_WORLD });
  assert.ok(await countWasmWork(() => accepted.instantiate()) > 0, "the counter sees real work");
  const work = await countWasmWork(() => loadComponent(bytes, { world: PROBE_WORLD, name: "fs" }));
  assert.equal(work, 0, "no WebAssembly.compile/instantiate for a refused component");
  await assert.rejects(loadComponent(bytes, { world: PROBE_WORLD, name: "fs" }), (e: unknown) => {
    assert.ok(isScportraitError(e, "PLUGIN_REFUSED"), String(e));
    assert.match(String(e), /Plugin fs imports wasi:filesystem\/types/);
    assert.match(String(e), /must be pure compute/);
    return true;
  });
  const allowed = await loadComponent(bytes, {
    world: { name: "fs-world", functions: ["describe"] },
    allowImports: ["wasi:filesystem/types"],
  });
  assert.deepEqual(allowed.imports, ["wasi:filesystem/types"]);
});

Deno.test("loadComponent: exports are checked against the manifest's world", async () => {
  const probe = await buildProbeComponent();
  await assert.rejects(loadComponent(probe, { world: "segmentation", name: "p" }), (e: unknown) => {
    assert.ok(isScportraitError(e, "PLUGIN_INVALID"), String(e));
    assert.match(
      String(e),
      /world "segmentation-plugin": missing export\(s\) scportrait:plugin\/segmentation@0\.1\.0/,
    );
    return true;
  });
  const seg = await buildSegmentationComponent("normal");
  await assert.rejects(
    loadComponent(seg, { world: "stitching" }),
    (e: unknown) => isScportraitError(e, "PLUGIN_INVALID") && /stitching@0\.1\.0/.test(String(e)),
  );
  await assert.rejects(
    loadComponent(seg, { world: "segmenter" as "segmentation" }),
    (e: unknown) =>
      isScportraitError(e, "PLUGIN_INVALID") && /Unknown world "segmenter"/.test(String(e)),
  );
  await assert.rejects(
    loadComponent(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]), { world: "segmentation" }),
    (e: unknown) =>
      isScportraitError(e, "PLUGIN_INVALID") && /not a valid WebAssembly component/.test(String(e)),
  );
});

Deno.test("loadComponent: glue is cached per sha256 and has no JCO_DEBUG read", async () => {
  const seg = await buildSegmentationComponent("normal");
  const a = await loadComponent(seg, { world: "segmentation" });
  const b = await loadComponent(seg.slice(), { world: "segmentation-plugin", name: "again" });
  assert.equal(a.sha256, b.sha256);
  const expectedSha = Array.from(
    new Uint8Array(await crypto.subtle.digest("SHA-256", seg as Uint8Array<ArrayBuffer>)),
    (x) => x.toString(16).padStart(2, "0"),
  ).join("");
  assert.equal(a.sha256, expectedSha);
  assert.equal(a.glueSource, b.glueSource);
  // A cache hit shares the generated glue entry itself (no second bindgen run), not only equal
  // text; checked by identity rather than by timing, which is not deterministic under load.
  assert.equal(a.coreModules, b.coreModules, "the second load reuses the cached glue");
  const other = await buildSegmentationComponent("trap");
  const c = await loadComponent(other, { world: "segmentation" });
  assert.notEqual(c.coreModules, a.coreModules, "another component gets its own glue");
  assert.ok(!a.glueSource.includes("JCO_DEBUG"));
  assert.ok(a.glueSource.includes("export function instantiate"));
});

Deno.test("loadComponent: memory ceiling is written into the compiled core module", async () => {
  const seg = await buildSegmentationComponent("normal");
  const c = await loadComponent(seg, { world: "segmentation" });
  const [[, core]] = [...c.coreModules].filter(([n]) => n.endsWith("core.wasm"));
  assert.deepEqual(readMemoryLimits(core), [{ minPages: 1, maxPages: undefined, shared: false }]);
  const live = await c.instantiate({ memoryMib: 2 });
  const memory = live.memories[0];
  memory.grow(31); // up to 32 pages = 2 MiB is allowed
  assert.throws(() => memory.grow(1), RangeError);
  await assert.rejects(
    c.compile({ memoryMib: 0.01 }),
    (e: unknown) => isScportraitError(e, "PLUGIN_INVALID"),
  );
});

Deno.test("world table matches the project's wit/ (dummy components of every world)", async () => {
  for (const world of WORLD_NAMES) {
    const embedded = await componentEmbed({
      dummy: true,
      witPath: WIT_DIR,
      world: `${world}-plugin`,
    });
    const component = await componentNew(embedded);
    const loaded = await loadComponent(component, { world });
    assert.deepEqual(loaded.imports, [], `${world} imports nothing`);
    const live = await loaded.instantiate();
    const spec = resolveWorld(world);
    const jsNames = spec.functions.map((f) => f.replace(/-([a-z])/g, (_m, c) => c.toUpperCase()));
    const exported = listExportedFunctions(live.exports).filter((f) =>
      f.includes("#") || f === "describe"
    );
    assert.deepEqual(exported, [...jsNames].sort(), `functions of ${world}`);
  }
});
