/**
 * `scportrait report` through the real CLI entry: prints the path of the report it wrote (with
 * --out and by default), shows the gallery size asked for, and refuses a bad --cells.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { makeReportProject } from "../ui/report/report_fixture.ts";

const CLI = new URL("../../../cli.ts", import.meta.url).pathname;

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = await new Deno.Command(Deno.execPath(), { args: ["run", "-A", CLI, ...args] })
    .output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, out: text(out.stdout), err: text(out.stderr) };
}

Deno.test("scportrait report writes the HTML and prints its path", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const root = await makeReportProject(dir, 20);
    const out = join(dir, "r", "report.html");
    const run = await cli("report", root, "--out", out, "--cells", "7", "--quiet");
    assert.equal(run.code, 0, run.err);
    assert.equal(run.out.trim(), out);
    const html = await Deno.readTextFile(out);
    assert.equal(html.match(/<figure class="cell"/g)?.length, 7);
    assert.match(html, /First 7 of 20 cells/);
    const byDefault = await cli("report", root, "--quiet");
    assert.equal(byDefault.out.trim(), join(root, "report.html"));
    const bad = await cli("report", root, "--cells", "many");
    assert.notEqual(bad.code, 0);
    assert.match(bad.err, /--cells many is not a whole number/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
