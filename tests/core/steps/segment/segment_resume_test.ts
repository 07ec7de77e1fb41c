/**
 * Resume: `scportrait segment` killed with SIGKILL mid-run, then run again, computes only the
 * unfinished tiles and gives the same masks as an uninterrupted run; a finished run refuses to be
 * replaced without --overwrite and recomputes everything with it.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { isScportraitError } from "../../../../core/errors.ts";
import { segmentProject } from "../../../../core/steps/segment/segment_project.ts";
import {
  blobImage,
  makeProject,
  readMask,
  ROOT,
  THRESHOLD_DIR,
  thresholdComponentPath,
  thresholdConfig,
  thresholdPlugin,
} from "./segment_fixture.ts";

const H = 2600, W = 2300;

async function journalUnits(file: string): Promise<{ tiles: number; cores: number }> {
  const text = await Deno.readTextFile(file).catch(() => "");
  return {
    tiles: (text.match(/"key":"tile\//g) ?? []).length,
    cores: (text.match(/"key":"core\//g) ?? []).length,
  };
}

Deno.test({
  name:
    "a SIGKILLed segment run resumes with only unfinished tiles and equals an uninterrupted run",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "seg_resume_" });
    try {
      const img = blobImage(H, W, 5);
      const quiet = { quiet: true, warn: () => {} };
      const refProject = await makeProject(join(dir, "ref"), thresholdConfig(), [img], H, W);
      await segmentProject(refProject, {
        plugin: await thresholdPlugin(refProject.root),
        tileSize: 1024,
        ...quiet,
      });
      const reference = await readMask(refProject, "seg_all_nucleus");

      const project = await makeProject(join(dir, "killed"), thresholdConfig(), [img], H, W);
      const child = new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          "-A",
          join(ROOT, "cli.ts"),
          "segment",
          project.root,
          "--plugin",
          await thresholdComponentPath(),
          "--manifest",
          join(THRESHOLD_DIR, "manifest.yaml"),
          "--tile-size",
          "512",
          "--workers",
          "1",
          "--quiet",
        ],
        stdout: "null",
        stderr: "piped",
      }).spawn();
      const journal = join(project.root, "segmentation/progress.jsonl");
      let units = { tiles: 0, cores: 0 };
      const deadline = Date.now() + 120_000;
      while (units.cores < 4 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
        units = await journalUnits(journal);
      }
      child.kill("SIGKILL");
      const status = await child.status;
      assert.equal(status.signal, "SIGKILL", "the run finished before it could be killed");
      units = await journalUnits(journal);
      assert.ok(units.cores >= 4 && units.tiles < 30, JSON.stringify(units));

      const resumed = await segmentProject(project, {
        plugin: await thresholdPlugin(project.root),
        tileSize: 512,
        workers: 2,
        ...quiet,
      });
      assert.equal(resumed.tiles, 30);
      assert.ok(resumed.computedTiles <= 30 - units.tiles, `${resumed.computedTiles} recomputed`);
      const mask = await readMask(project, "seg_all_nucleus");
      assert.ok(mask.every((v, i) => v === reference[i]), "resumed masks differ");
      const prov = await project.provenance();
      const last = prov.steps.at(-1)!;
      assert.equal(last.status, "ok");
      assert.ok(last.units!.reused > 0);

      // a finished run is a result: no silent rerun, --overwrite starts over
      await assert.rejects(
        segmentProject(project, { plugin: await thresholdPlugin(project.root), ...quiet }),
        (e) => isScportraitError(e, "ELEMENT_EXISTS") && /--overwrite/.test(e.message),
      );
      const again = await segmentProject(project, {
        plugin: await thresholdPlugin(project.root),
        tileSize: 512,
        overwrite: true,
        ...quiet,
      });
      assert.equal(again.computedTiles, 30);
      const after = await readMask(project, "seg_all_nucleus");
      assert.ok(after.every((v, i) => v === reference[i]));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
