/**
 * Child process for provenance_test.ts: `<file> <appends>` appends `appends` large records to
 * `<file>` (each with `inputs` of 2000 entries; `duration_s` counts 0, 1, 2…), then prints
 * "done". The parent arms a kill point (tests/core/io/atomic_kill_point.ts) so that one append
 * stops inside its rewrite, and kills the child with SIGKILL.
 * @module
 */
import { appendProvenance } from "../../../core/project/provenance.ts";
import { installAtomicPause } from "../io/atomic_kill_point.ts";

installAtomicPause();
const [file, appendsText] = Deno.args;
const inputs = Object.fromEntries(
  Array.from({ length: 2000 }, (_, i) => [`tile_${i}`, `sha256:${"ab".repeat(32)}`]),
);
for (let i = 0; i < Number(appendsText); i++) {
  await appendProvenance(file!, {
    step: "segmentation",
    status: "ok",
    started: new Date().toISOString(),
    finished: new Date().toISOString(),
    duration_s: i,
    params_hash: "sha256:00",
    inputs,
    counts: { nucleus: i },
    deno: Deno.version.deno,
    tool: "child",
  });
}
console.log("done");
