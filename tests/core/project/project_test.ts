/** Project.create / Project.open: layout, verbatim config copy, resolved config, refusals, overwrite. */
import assert from "node:assert/strict";
import { loadConfig } from "../../../core/config/load_config.ts";
import { isScportraitError } from "../../../core/errors.ts";
import { Project } from "../../../core/project/project.ts";

/** A config with a BOM, CRLF line ends, comments, odd spacing and non-ASCII text. */
const CONFIG_BYTES = new Uint8Array([
  0xef,
  0xbb,
  0xbf,
  ...new TextEncoder().encode(
    '# Projekt für Zellkerne\r\nname:   "Kern – test"   # comment\r\nextraction:\r\n' +
      "  image_size: 64\r\n",
  ),
]);

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("create copies config.yml byte for byte and records the defaults applied", async () => {
  await withDir(async (dir) => {
    await Deno.writeFile(`${dir}/config.yml`, CONFIG_BYTES);
    const config = await loadConfig(`${dir}/config.yml`);
    const project = await Project.create(`${dir}/proj`, { config });
    assert.deepEqual(await Deno.readFile(`${dir}/proj/config.yml`), CONFIG_BYTES);
    const resolved = JSON.parse(await Deno.readTextFile(project.paths.resolvedConfig));
    assert.equal(resolved.config.extraction.image_size, 64);
    assert.equal(resolved.config.extraction.compression, "lzf");
    assert.ok(resolved.defaults_applied.includes("extraction.compression"));
    assert.ok(!resolved.defaults_applied.includes("extraction.image_size"));
    assert.match(await Deno.readTextFile(project.paths.log), /\] Created project .* \n/);
    // Step folders are created lazily; the store is left to the store module.
    const names = (await Array.fromAsync(Deno.readDir(project.root))).map((e) => e.name).sort();
    assert.deepEqual(names, ["config.resolved.json", "config.yml", "processing.log"]);
    const reopened = await Project.open(`${dir}/proj`);
    assert.equal(reopened.paths.h5sc, `${dir}/proj/extraction/data/single_cells.h5sc`);
    assert.equal(reopened.paths.sdata, `${dir}/proj/scportrait.sdata`);
    assert.equal(reopened.paths.stepLog("segmentation"), `${dir}/proj/segmentation/processing.log`);
    assert.equal(reopened.paths.selectionXml("plate1"), `${dir}/proj/selection/plate1.xml`);
    assert.equal((await reopened.loadConfig()).config.name, "Kern – test");
  });
});

Deno.test("create refuses a foreign non-empty folder and a different config without overwrite", async () => {
  await withDir(async (dir) => {
    const a = { text: "name: a\n", source: "a.yml", config: { name: "a" } };
    const b = { text: "name: b\n", source: "b.yml", config: { name: "b" } };
    await Deno.mkdir(`${dir}/foreign`);
    await Deno.writeTextFile(`${dir}/foreign/notes.txt`, "keep me");
    await assert.rejects(
      () => Project.create(`${dir}/foreign`, { config: a }),
      (e) => isScportraitError(e, "PROJECT_EXISTS") && /--overwrite/.test(e.message),
    );
    // With overwrite the project is added, and the foreign file is kept.
    await Project.create(`${dir}/foreign`, { config: a, overwrite: true });
    assert.equal(await Deno.readTextFile(`${dir}/foreign/notes.txt`), "keep me");
    assert.equal(await Deno.readTextFile(`${dir}/foreign/config.yml`), "name: a\n");
    // Same config again: the project is opened as is.
    await Deno.mkdir(`${dir}/foreign/segmentation`);
    await Project.create(`${dir}/foreign`, { config: a });
    assert.ok((await Deno.stat(`${dir}/foreign/segmentation`)).isDirectory);
    await assert.rejects(
      () => Project.create(`${dir}/foreign`, { config: b }),
      (e) =>
        isScportraitError(e, "PROJECT_EXISTS") && /different config\.yml/.test(e.message) &&
        /--overwrite/.test(e.message),
    );
    // Overwrite deletes the project's results and config, nothing else.
    await Project.create(`${dir}/foreign`, { config: b, overwrite: true });
    assert.equal(await Deno.readTextFile(`${dir}/foreign/config.yml`), "name: b\n");
    await assert.rejects(() => Deno.stat(`${dir}/foreign/segmentation`), Deno.errors.NotFound);
    assert.equal(await Deno.readTextFile(`${dir}/foreign/notes.txt`), "keep me");
  });
});

Deno.test("open names what is missing", async () => {
  await withDir(async (dir) => {
    await assert.rejects(
      () => Project.open(`${dir}/nothing`),
      (e) => isScportraitError(e, "PROJECT_NOT_FOUND") && e.message.includes(`${dir}/nothing`),
    );
    await Deno.mkdir(`${dir}/empty`);
    await assert.rejects(
      () => Project.open(`${dir}/empty`),
      (e) => isScportraitError(e, "PROJECT_INVALID") && e.message.includes("config.yml"),
    );
    await Deno.writeTextFile(`${dir}/file`, "x");
    await assert.rejects(
      () => Project.open(`${dir}/file`),
      (e) => isScportraitError(e, "PROJECT_INVALID"),
    );
    await assert.rejects(
      () => Project.create(`${dir}/file`, { config: { text: "", source: "s", config: {} } }),
      (e) => isScportraitError(e, "PROJECT_INVALID"),
    );
  });
});
