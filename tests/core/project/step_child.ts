/**
 * Child process for step_run_test.ts: opens the project `<dir>`, begins a `segmentation` run with
 * params `{threshold: 0.5}`, commits units `tile/0` … `tile/<n-1>` (skipping done ones), prints
 * "ready" and waits to be killed with SIGKILL.
 * @module
 */
import { Project } from "../../../core/project/project.ts";

const [dir, nText] = Deno.args;
const project = await Project.open(dir!);
const run = await project.beginStep("segmentation", { params: { threshold: 0.5 } });
for (let i = 0; i < Number(nText); i++) {
  if (!run.isDone(`tile/${i}`)) await run.markDone(`tile/${i}`, { cells: 10 + i });
}
console.log("ready");
setInterval(() => {}, 1000);
