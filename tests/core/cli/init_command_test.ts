/** `scportrait init` through the real CLI entry: create, idempotent re-init, refusal, --overwrite. */
import assert from "node:assert/strict";

const CLI = new URL("../../../cli.ts", import.meta.url).pathname;

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = await new Deno.Command(Deno.execPath(), { args: ["run", "-A", CLI, ...args] })
    .output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, out: text(out.stdout), err: text(out.stderr) };
}

Deno.test("scportrait init creates a project and refuses a different config without --overwrite", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const configA = "name: a   # first\nextraction:\n  image_size: 64\n";
    await Deno.writeTextFile(`${dir}/a.yml`, configA);
    await Deno.writeTextFile(`${dir}/b.yml`, "name: b\n");
    const first = await cli("init", `${dir}/p`, "--config", `${dir}/a.yml`);
    assert.equal(first.code, 0, first.err);
    assert.match(first.out, /defaults applied/);
    assert.equal(await Deno.readTextFile(`${dir}/p/config.yml`), configA);
    assert.equal((await cli("init", `${dir}/p`, "--config", `${dir}/a.yml`)).code, 0);
    const refused = await cli("init", `${dir}/p`, "--config", `${dir}/b.yml`);
    assert.equal(refused.code, 1);
    assert.match(refused.err, /error \[PROJECT_EXISTS\].*--overwrite/);
    const over = await cli("init", `${dir}/p`, "--config", `${dir}/b.yml`, "--overwrite");
    assert.equal(over.code, 0, over.err);
    assert.equal(await Deno.readTextFile(`${dir}/p/config.yml`), "name: b\n");
    const usage = await cli("init", `${dir}/q`);
    assert.equal(usage.code, 2);
    assert.match(usage.err, /--config/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
