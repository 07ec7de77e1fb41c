/**
 * Child process for provenance_test.ts: appends large records to `<file>` forever (each with
 * `inputs` of 2000 entries, so a rewrite takes a while), printing "ready" after the first one.
 * The parent kills it with SIGKILL at a random moment.
 * @module
 */
import { appendProvenance } from "../../../core/project/provenance.ts";

const [file] = Deno.args;
const inputs = Object.fromEntries(
  Array.from({ length: 2000 }, (_, i) => [`tile_${i}`, `sha256:${"ab".repeat(32)}`]),
);
for (let i = 0;; i++) {
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
  if (i === 0) console.log("ready");
}
