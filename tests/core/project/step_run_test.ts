/**
 * Project.beginStep / StepRun: refusal to clobber, overwrite, run lock, resume after SIGKILL
 * (including a torn last journal line), parameter conflicts, provenance records.
 */
import assert from "node:assert/strict";
import { isScportraitError } from "../../../core/errors.ts";
import { Project } from "../../../core/project/project.ts";
import { readJournal } from "../../../core/project/step_journal.ts";

const CONFIG = { text: "name: t\n", source: "t.yml", config: { name: "t" } };

async function withProject(fn: (project: Project) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await fn(await Project.create(`${dir}/p`, { config: CONFIG }));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Runs step_child.ts until it has committed `n` units, then kills it with SIGKILL. */
async function killedRun(project: Project, n: number): Promise<void> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("./step_child.ts", import.meta.url).pathname, project.root, `${n}`],
    stdout: "piped",
  }).spawn();
  const reader = child.stdout.getReader();
  assert.match(new TextDecoder().decode((await reader.read()).value), /ready/);
  child.kill("SIGKILL");
  reader.releaseLock();
  await child.stdout.cancel();
  assert.equal((await child.status).signal, "SIGKILL");
}

Deno.test("a run killed mid-way resumes: done units are skipped, a torn last line is ignored", async () => {
  await withProject(async (project) => {
    await killedRun(project, 3);
    // The kill left the lock of a dead process and a journal without finish.
    const lock = JSON.parse(await Deno.readTextFile(project.paths.runLock));
    assert.notEqual(lock.pid, Deno.pid);
    const status = await project.status();
    assert.deepEqual(status.incomplete.map((r) => [r.step, r.unitsDone, r.failed]), [
      ["segmentation", 3, false],
    ]);
    // Simulate a kill in the middle of writing a fourth line.
    const journalFile = project.paths.journal("segmentation");
    await Deno.writeTextFile(journalFile, '{"event":"unit","key":"tile/3","at":"20', {
      append: true,
    });
    const torn = await readJournal(journalFile);
    assert.ok(torn !== null);
    assert.ok(torn.tornBytes > 0);
    assert.deepEqual([...torn.done.keys()], ["tile/0", "tile/1", "tile/2"]);

    // The killed run's partly written mask does not block resuming it.
    await Deno.mkdir(`${project.paths.sdata}/labels/.seg_all_nucleus.incomplete`, {
      recursive: true,
    });
    const run = await project.beginStep("segmentation", { params: { threshold: 0.5 } });
    assert.equal(run.resumed, true);
    assert.deepEqual([0, 1, 2, 3].map((i) => run.isDone(`tile/${i}`)), [true, true, true, false]);
    assert.deepEqual(run.doneInfo("tile/2"), { cells: 12 });
    await run.markDone("tile/3", { cells: 13 });
    const record = await run.finish({ counts: { nucleus: 46 }, outputs: ["segmentation"] });
    assert.deepEqual(record.units, { computed: 1, reused: 3 });
    // The torn tail was cut: every line of the journal parses now.
    const lines = (await Deno.readTextFile(journalFile)).trimEnd().split("\n");
    assert.deepEqual(lines.map((l) => JSON.parse(l).event).slice(-3), ["begin", "unit", "finish"]);
    assert.equal((await readJournal(journalFile))?.finished, true);
    await assert.rejects(() => Deno.stat(project.paths.runLock), Deno.errors.NotFound);
    assert.deepEqual((await project.status()).incomplete, []);
  });
});

Deno.test("resuming with other parameters is refused; overwrite starts over", async () => {
  await withProject(async (project) => {
    await killedRun(project, 2);
    await assert.rejects(
      () => project.beginStep("segmentation", { params: { threshold: 0.7 } }),
      (e) => isScportraitError(e, "RESUME_CONFLICT") && /--overwrite/.test(e.message),
    );
    const run = await project.beginStep("segmentation", {
      params: { threshold: 0.7 },
      overwrite: true,
    });
    assert.equal(run.resumed, false);
    assert.equal(run.isDone("tile/0"), false);
    await run.finish();
  });
});

Deno.test("finished results are not clobbered without overwrite; overwrite removes them", async () => {
  await withProject(async (project) => {
    const first = await project.beginStep("extraction", { params: { image_size: 64 } });
    await Deno.mkdir(project.paths.extractionData, { recursive: true });
    await Deno.writeTextFile(project.paths.h5sc, "h5sc");
    await first.finish({ counts: { cells: 5 } });
    await assert.rejects(
      () => project.beginStep("extraction", { params: { image_size: 64 } }),
      (e) =>
        isScportraitError(e, "ELEMENT_EXISTS") && /extraction/.test(e.message) &&
        /--overwrite/.test(e.message) && e.message.includes("single_cells.h5sc"),
    );
    // A refused begin does not leave the lock behind.
    await assert.rejects(() => Deno.stat(project.paths.runLock), Deno.errors.NotFound);
    const second = await project.beginStep("extraction", { overwrite: true });
    await assert.rejects(() => Deno.stat(project.paths.h5sc), Deno.errors.NotFound);
    // While a run is open, the project is locked for other steps.
    await assert.rejects(
      () => project.beginStep("featurization", {}),
      (e) => isScportraitError(e, "PROJECT_LOCKED"),
    );
    await second.fail(new Error("disk full"));
    const history = (await project.provenance()).steps;
    assert.deepEqual(history.map((r) => [r.step, r.status]), [
      ["extraction", "ok"],
      ["extraction", "failed"],
    ]);
    assert.equal(history[1]?.error, "disk full");
    // A failed run is resumable (and reported as such).
    const status = await project.status();
    assert.deepEqual(status.incomplete.map((r) => [r.step, r.failed]), [["extraction", true]]);
    const log = await Deno.readTextFile(project.paths.stepLog("extraction"));
    assert.match(log, /\] Failed extraction: disk full \n$/);
  });
});

Deno.test("named runs coexist; bad run names are refused", async () => {
  await withProject(async (project) => {
    for (const name of ["plate1", "plate2"]) {
      const run = await project.beginStep("selection", { name, params: { n: 1 } });
      assert.equal(run.dir, `${project.root}/selection/${name}`);
      await Deno.writeTextFile(project.paths.selectionXml(name), "<ImageData/>");
      await run.finish();
    }
    await assert.rejects(
      () => project.beginStep("selection", { name: "plate1" }),
      (e) => isScportraitError(e, "ELEMENT_EXISTS") && /plate1/.test(e.message),
    );
    await assert.rejects(
      () => project.beginStep("selection", { name: "../x" }),
      (e) => isScportraitError(e, "USAGE"),
    );
    assert.deepEqual((await project.status()).selections, ["plate1", "plate2"]);
  });
});
