/**
 * Issue 5 "a killed run never corrupts what was written before it, and a rerun resumes": a real
 * `scportrait extract` child is SIGKILLed right after a tile's chunks were appended but before the
 * journal recorded them; the rerun keeps the journalled tiles, cuts the unjournalled bytes and
 * produces a file that h5py reads bit-identical to an uninterrupted run's.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { parseConfig } from "../../../../core/config/load_config.ts";
import { Project } from "../../../../core/project/project.ts";
import { runPython } from "../../io/h5sc/run_python.ts";

const CLI = new URL("../../../../cli.ts", import.meta.url).pathname;
const CHILD = new URL("./extract_kill_child.ts", import.meta.url).pathname;
const H = 300, W = 400, S = 40, GRID = 50;

async function makeProject(dir: string): Promise<Project> {
  const project = await Project.create(dir, {
    config: parseConfig(
      `name: resume-test\nextraction:\n  image_size: ${S}\n  compression: lzf\n`,
      join(dir, "config.yml"),
    ),
  });
  const store = await project.openStore();
  const image = await store.createImage("input_image", {
    channels: 2,
    height: H,
    width: W,
    channelNames: ["DAPI", "WGA"],
    chunk: [1, H, W],
  });
  for (let c = 0; c < 2; c++) {
    const plane = Uint16Array.from(
      { length: H * W },
      (_, i) => 300 + ((i * (c + 5) * 40503) % 997),
    );
    await image.writeChunk(c, 0, 0, plane, H, W);
  }
  await image.finalize({ progress: false });
  const nuc = new Uint32Array(H * W), cyt = new Uint32Array(H * W);
  let id = 0;
  for (let cy = 25; cy < H; cy += GRID) {
    for (let cx = 25; cx < W; cx += GRID) {
      id++;
      for (let y = cy - 20; y <= cy + 20; y++) {
        for (let x = cx - 20; x <= cx + 20; x++) {
          const d = (y - cy) ** 2 + (x - cx) ** 2 + ((id * 7) % 5);
          if (d < 17 * 17) cyt[y * W + x] = id;
          if (d < 6 * 6) nuc[y * W + x] = id;
        }
      }
    }
  }
  for (const [name, mask] of [["seg_all_nucleus", nuc], ["seg_all_cytosol", cyt]] as const) {
    const labels = await store.createLabels(name, { height: H, width: W, chunk: [H, W] });
    await labels.writeChunk(0, 0, mask, H, W);
    await labels.finalize({ progress: false });
  }
  return project;
}

async function run(script: string, args: string[], env: Record<string, string> = {}) {
  const out = await new Deno.Command(Deno.execPath(), { args: ["run", "-A", script, ...args], env })
    .output();
  return { code: out.code, err: new TextDecoder().decode(out.stderr) };
}

/** Starts the child, waits for PAUSED on stderr, SIGKILLs it. */
async function killAtPause(project: Project, pauseAt: number): Promise<void> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", CHILD, "extract", project.root, "--tile-size", "50", "--threads", "2"],
    env: { SCP_EXTRACT_PAUSE_AT: String(pauseAt) },
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("PAUSED")) {
    const { value, done } = await reader.read();
    if (done) break;
    text += value;
  }
  child.kill("SIGKILL");
  const status = await child.status;
  await reader.cancel().catch(() => {});
  assert.ok(text.includes("PAUSED"), `the child ended before the pause point:\n${text}`);
  assert.equal(status.signal, "SIGKILL");
}

Deno.test("a SIGKILLed extract resumes and ends bit-identical to an uninterrupted run", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const killed = await makeProject(join(dir, "killed"));
    const clean = await makeProject(join(dir, "clean"));
    await killAtPause(killed, 5);
    // nothing reads as complete; the partial file holds one tile more than the journal
    assert.equal(await Deno.stat(killed.paths.h5sc).catch(() => null), null);
    const partial = await Deno.stat(`${killed.paths.h5sc}.partial`);
    const lines = (await Deno.readTextFile(killed.paths.journal("extraction"))).trim().split("\n")
      .map((l) => JSON.parse(l));
    const tiles = lines.filter((l) => l.event === "unit" && String(l.key).startsWith("tile/"));
    // tiles 1-4 were flushed; their journal lines are written asynchronously, so 1 to 4 are in
    assert.ok(tiles.length >= 1 && tiles.length <= 4, `journalled tiles: ${tiles.length}`);
    const lastEnd = Math.max(...tiles.map((t) => t.info.end));
    assert.ok(partial.size > lastEnd, `unjournalled bytes after ${lastEnd} (size ${partial.size})`);

    const resumed = await run(CLI, ["extract", killed.root, "--tile-size", "50", "--quiet"]);
    assert.equal(resumed.code, 0, resumed.err);
    const fresh = await run(CLI, ["extract", clean.root, "--tile-size", "50", "--quiet"]);
    assert.equal(fresh.code, 0, fresh.err);
    assert.equal(await Deno.stat(`${killed.paths.h5sc}.partial`).catch(() => null), null);
    const prov = JSON.parse(await Deno.readTextFile(killed.paths.provenance));
    const records = (Array.isArray(prov) ? prov : prov.records ?? prov.steps ?? []) as {
      step: string;
      status: string;
      units?: { reused: number };
    }[];
    const ok = records.filter((r) => r.step === "extraction" && r.status === "ok");
    assert.equal(ok.length, 1);
    assert.equal(ok[0].units?.reused, 1 + tiles.length, "the partial file and its tiles reused");

    const r = await runPython(
      `import sys, json, h5py, numpy as np
def load(p):
    with h5py.File(p, "r") as f:
        return f["obsm/single_cell_images"][:], f["obs/scportrait_cell_id"][:]
a, ia = load(sys.argv[1]); b, ib = load(sys.argv[2])
print(json.dumps({"shape": list(a.shape), "dtype": str(a.dtype), "ids": bool((ia == ib).all()),
  "same": bool(a.shape == b.shape and (a.view(np.uint16) == b.view(np.uint16)).all()),
  "nonzero": int((a != 0).sum())}))`,
      [killed.paths.h5sc, clean.paths.h5sc],
    ) as { shape: number[]; dtype: string; ids: boolean; same: boolean; nonzero: number };
    assert.equal(r.dtype, "float16");
    assert.ok(r.shape[0] >= 20, `cells: ${r.shape}`);
    assert.ok(r.ids, "same cell ids");
    assert.ok(r.same, "resumed file reads bit-identical to the uninterrupted run");
    assert.ok(r.nonzero > 0);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
