/** `scportrait status` through the real CLI entry: table, JSON, and a clear error for no project. */
import assert from "node:assert/strict";
import { Project } from "../../../core/project/project.ts";

const CLI = new URL("../../../cli.ts", import.meta.url).pathname;

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = await new Deno.Command(Deno.execPath(), { args: ["run", "-A", CLI, ...args] })
    .output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, out: text(out.stdout), err: text(out.stderr) };
}

Deno.test("scportrait status prints a table or JSON, and names a missing project", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const project = await Project.create(`${dir}/p`, {
      config: { text: "name: s\n", source: "s.yml", config: { name: "s" } },
    });
    const run = await project.beginStep("segmentation", { params: {} });
    await run.markDone("tile/0");
    await run.finish({ counts: { nucleus: 7 } });
    const table = await cli("status", project.root);
    assert.equal(table.code, 0, table.err);
    assert.match(table.out, /nucleus segmentation\s+no\s+\(nucleus 7\)/);
    assert.match(table.out, /step runs recorded: 1/);
    const json = await cli("status", project.root, "--json");
    assert.equal(json.code, 0, json.err);
    const parsed = JSON.parse(json.out);
    assert.deepEqual(parsed.cellCounts, { "segmentation.nucleus": 7 });
    assert.equal(parsed.root, project.root);
    const missing = await cli("status", `${dir}/nope`);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /error \[PROJECT_NOT_FOUND\].*nope/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
