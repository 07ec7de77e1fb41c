import assert from "node:assert/strict";
import { join } from "node:path";
import { loadConfig } from "../../../core/config/load_config.ts";
import { parseYaml } from "../../../core/config/yaml_document.ts";
import { isScportraitError, type ScportraitError } from "../../../core/errors.ts";

const EXAMPLES = new URL("../../../examples/configs/", import.meta.url);
const example = (name: string) => new URL(name, EXAMPLES).pathname;

async function withTemp(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "config_test_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

async function invalidMessages(yaml: string): Promise<{ message: string; parts: string[] }> {
  let caught: unknown;
  await withTemp(async (dir) => {
    const path = join(dir, "config.yml");
    await Deno.writeTextFile(path, yaml);
    try {
      await loadConfig(path);
    } catch (error) {
      caught = error;
    }
  });
  assert.ok(isScportraitError(caught, "CONFIG_INVALID"), `expected CONFIG_INVALID, got ${caught}`);
  const parts = ((caught as ScportraitError).cause as AggregateError).errors.map((e) => e.message);
  for (const p of parts) assert.match(p, /config\.yml:\d+: /, "each problem names file and line");
  return { message: (caught as Error).message, parts };
}

Deno.test("loadConfig: wga_cells.yml (our shape) keeps values and records defaults", async () => {
  const loaded = await loadConfig(example("wga_cells.yml"));
  assert.equal(loaded.shape, "scportrait-deno");
  assert.equal(loaded.text, await Deno.readTextFile(example("wga_cells.yml")), "raw text verbatim");
  const c = loaded.config;
  assert.equal(c.segmentation?.method, "wga-segmentation@^0.1.0");
  assert.equal(c.segmentation?.tile_size, 2048);
  assert.equal(
    (c.segmentation?.params.nucleus_segmentation as Record<string, number>).median_block,
    41,
  );
  assert.deepEqual(c.input?.channels, ["DAPI", "WGA", "Marker"]);
  assert.deepEqual(c.extraction?.segmentation_mask, ["seg_all_nucleus", "seg_all_cytosol"]);
  // Defaults from the spec: max_batch_size 1000 (§4.4), cell_width 100 (§6.5).
  assert.equal(c.extraction?.max_batch_size, 1000);
  assert.equal(c.selection?.cell_width, 100);
  assert.deepEqual(loaded.defaultsApplied, [
    "extraction.max_batch_size",
    "featurization.params",
    "selection.cell_width",
  ]);
  assert.deepEqual(loaded.warnings, []);
});

Deno.test("loadConfig: dapi_nuclei.yml fills extraction defaults from the spec (§4.4)", async () => {
  const { config, defaultsApplied } = await loadConfig(example("dapi_nuclei.yml"));
  assert.equal(config.segmentation?.method, "dapi-segmentation@^0.1.0");
  assert.equal(config.extraction?.image_size, 64);
  assert.equal(config.extraction?.normalize_output, true);
  assert.deepEqual(config.extraction?.normalization_range, [0.001, 0.999]);
  assert.equal(config.extraction?.compression, "lzf");
  assert.deepEqual(config.extraction?.segmentation_mask, ["seg_all_nucleus"], "string → list");
  assert.equal(config.featurization?.batch_size, 900);
  assert.ok(defaultsApplied.includes("extraction.normalization_range"));
  assert.ok(!defaultsApplied.includes("extraction.image_size"), "written in the file");
});

Deno.test("loadConfig: example configs parse the same as PyYAML (scPortrait's parser)", async () => {
  for (const name of ["scportrait_wga.yml", "dapi_nuclei.yml", "wga_cells.yml"]) {
    const path = example(name);
    const py = new Deno.Command("/usr/bin/python3", {
      args: [
        "-c",
        "import sys,json,yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))",
        path,
      ],
    });
    const out = await py.output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    const expected = JSON.parse(new TextDecoder().decode(out.stdout));
    assert.deepEqual(parseYaml(await Deno.readTextFile(path), path).value, expected, name);
  }
});

Deno.test("loadConfig: collects every problem with key path, expectation and finding", async () => {
  const { message, parts } = await invalidMessages([
    "segmentation:",
    "  method: wga-segmentation@^0.1.0",
    "  tile_sise: 1024",
    "  nucleus_channels: 0",
    "extraction:",
    "  image_size: 0",
    "  normalization_range: [0.001, 1.5]",
    "featurization:",
    "  method: Cell_Featurizer@^0.1.0",
    "selection:",
    "  method: lmd-selection@^0.1.x.1",
    "",
  ].join("\n"));
  assert.equal(parts.length, 6, message);
  assert.match(message, /6 problems/);
  const has = (re: RegExp) => assert.ok(parts.some((p) => re.test(p)), `${re} in\n${message}`);
  has(/:3: segmentation\.tile_sise: .*unknown key; did you mean "tile_size"\?/);
  has(/:4: segmentation\.nucleus_channels: expected a list of an integer .*, found 0/);
  has(/:6: extraction\.image_size: expected an integer >= 2 and <= 4096, found 0/);
  has(/:7: extraction\.normalization_range\[1\]: expected a number >= 0 and <= 1, found 1\.5/);
  has(/:9: featurization\.method: .*id "Cell_Featurizer" matches/);
  has(/:11: selection\.method: .*range "\^0\.1\.x\.1" is a valid SemVer range/);
});

Deno.test("loadConfig: wrong types, odd image_size, reversed quantiles, unknown step", async () => {
  const a = await invalidMessages("segmentation:\n  method: 3\n  params: [1]\nextractoin: {}\n");
  assert.ok(a.parts.some((p) => /segmentation\.method: expected a string, found 3/.test(p)));
  assert.ok(a.parts.some((p) => /segmentation\.params: expected a mapping, found a list/.test(p)));
  assert.ok(a.parts.some((p) => /extractoin: .*did you mean "extraction"\?/.test(p)));
  const b = await invalidMessages("extraction:\n  image_size: 127\n");
  assert.match(b.parts[0], /extraction\.image_size: expected a multiple of 2, found 127/);
  const c = await invalidMessages("extraction:\n  normalization_range: [0.9, 0.1]\n");
  assert.match(c.parts[0], /normalization_range: expected a lower quantile below the upper/);
  const d = await invalidMessages("segmentation:\n  params: {}\n");
  assert.match(
    d.parts[0],
    /segmentation\.method: expected a string .*\(required key\), found nothing/,
  );
});

Deno.test("loadConfig: YAML syntax error names file, line and column", async () => {
  await withTemp(async (dir) => {
    const path = join(dir, "broken.yml");
    await Deno.writeTextFile(path, "name: x\nsegmentation:\n  method: [a\n  params: {}\n");
    await assert.rejects(loadConfig(path), (e) => {
      assert.ok(isScportraitError(e, "CONFIG_PARSE"));
      assert.match(e.message, new RegExp(`${path}:\\d+:\\d+ \\(line \\d+, column \\d+\\)`));
      return true;
    });
    await Deno.writeTextFile(path, "a: 1\na: 2\n");
    await assert.rejects(loadConfig(path), (e) =>
      isScportraitError(e, "CONFIG_PARSE") &&
      /line 2, column 1/.test(e.message) && /unique/i.test(e.message));
    await Deno.writeTextFile(path, "- just\n- a list\n");
    await assert.rejects(loadConfig(path), (e) =>
      isScportraitError(e, "CONFIG_INVALID") &&
      /expected a mapping of sections at the top level, found a list/.test(e.message));
  });
});

Deno.test("loadConfig: a missing file is CONFIG_NOT_FOUND naming the path", async () => {
  await withTemp(async (dir) => {
    const path = join(dir, "nope", "config.yml");
    await assert.rejects(
      loadConfig(path),
      (e) => isScportraitError(e, "CONFIG_NOT_FOUND") && e.message.includes(path),
    );
    await assert.rejects(
      loadConfig(dir),
      (e) => isScportraitError(e, "CONFIG_NOT_FOUND") && /is a directory/.test(e.message),
    );
  });
});

Deno.test("loadConfig: http source — served config, 404 and timeout", async () => {
  const text = await Deno.readTextFile(example("wga_cells.yml"));
  const hang = Promise.withResolvers<void>();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const path = new URL(req.url).pathname;
    if (path === "/config.yml") return new Response(text);
    if (path === "/slow.yml") {
      await hang.promise;
      return new Response(text);
    }
    return new Response("no such file", { status: 404, statusText: "Not Found" });
  });
  const base = `http://127.0.0.1:${server.addr.port}`;
  try {
    const loaded = await loadConfig(`${base}/config.yml`);
    assert.equal(loaded.source, `${base}/config.yml`);
    assert.equal(loaded.text, text);
    assert.equal(loaded.config.segmentation?.method, "wga-segmentation@^0.1.0");
    await assert.rejects(
      loadConfig(`${base}/missing.yml`),
      (e) =>
        isScportraitError(e, "CONFIG_FETCH_FAILED") && e.message.includes(`${base}/missing.yml`) &&
        /HTTP 404 Not Found/.test(e.message),
    );
    const started = performance.now();
    await assert.rejects(
      loadConfig(`${base}/slow.yml`, { timeoutMs: 200 }),
      (e) =>
        isScportraitError(e, "CONFIG_FETCH_FAILED") && /timed out after 0\.2 s/.test(e.message),
    );
    assert.ok(performance.now() - started < 5000, "the timeout fires promptly");
    await assert.rejects(
      loadConfig("http://example.org/config.yml"),
      (e) => isScportraitError(e, "CONFIG_FETCH_FAILED") && /use an https:\/\/ URL/.test(e.message),
    );
  } finally {
    hang.resolve();
    await server.shutdown();
  }
});
