/**
 * `deno run -A examples/plugin_c/componentize.ts <core.wasm> <out.wasm>`: optimises the linked C
 * core module with the features it declares (SIMD, bulk memory), wraps it into a
 * segmentation-world component with the project's WIT and checks it imports nothing.
 * @module
 */

import { join } from "node:path";
import { assertNoImports, sha256Hex } from "../../plugins/toolchain/build_plugin.ts";
import { componentize } from "../../plugins/toolchain/componentize.ts";
import { optimizeCore } from "../../plugins/toolchain/optimize_core.ts";
import { readWitSource, WORLDS } from "../../plugins/toolchain/wit_source.ts";

/** Makes the component from linked core module bytes (optimised here, see optimize_core.ts). */
export async function componentizeC(core: Uint8Array, projectRoot: string): Promise<Uint8Array> {
  const wit = readWitSource(join(projectRoot, "wit"));
  const optimized = optimizeCore(core, { label: "examples/plugin_c core module" });
  const component = await componentize(optimized, wit, WORLDS.segmentation);
  await assertNoImports(component, "examples/plugin_c");
  return component;
}

if (import.meta.main) {
  const [input, output] = Deno.args;
  const root = new URL("../../", import.meta.url).pathname;
  const component = await componentizeC(Deno.readFileSync(input), root);
  Deno.writeFileSync(output, component);
  console.log(`${output}: ${component.length} B, sha256 ${await sha256Hex(component)}`);
}
