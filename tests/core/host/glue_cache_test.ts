import assert from "node:assert/strict";
import { join } from "node:path";
import {
  bindgenVersion,
  decodeGlue,
  encodeGlue,
  glueCachePath,
} from "../../../core/host/glue_cache.ts";
import { loadComponent, sha256Hex } from "../../../core/host/load_component.ts";
import { buildProbeComponent, PROBE_WORLD } from "./probe_components.ts";

const probe = await buildProbeComponent();
const sha = await sha256Hex(probe);

Deno.test("glue cache: encode/decode round-trips; any corruption or mismatch is refused", async () => {
  const loaded = await loadComponent(probe, { world: PROBE_WORLD });
  const entry = {
    glueSource: loaded.glueSource,
    coreModules: new Map(loaded.coreModules),
    imports: [...loaded.imports],
    exports: loaded.exports.map(([n, k]) => [n, k] as [string, "function" | "instance"]),
  };
  assert.ok(entry.coreModules.size > 0 && entry.glueSource.length > 1000);
  const bytes = await encodeGlue(entry, sha);
  assert.deepEqual(await decodeGlue(bytes, sha), entry);

  assert.match(bindgenVersion(), /^jco-transpile-\d+\.\d+\.\d+.*-g\d+$/);
  assert.equal(await decodeGlue(bytes, "0".repeat(64)), undefined, "other component");
  assert.equal(await decodeGlue(bytes, sha, "jco-transpile-9.9.9-g1"), undefined, "other jco");
  assert.equal(await decodeGlue(bytes.subarray(0, bytes.length - 1), sha), undefined, "truncated");
  assert.equal(await decodeGlue(new Uint8Array(10), sha), undefined, "too short");
  for (const at of [0, 31, 40, bytes.length >> 1, bytes.length - 1]) {
    const bad = bytes.slice();
    bad[at] ^= 1;
    assert.equal(await decodeGlue(bad, sha), undefined, `bit flipped at byte ${at}`);
  }
});

async function child(componentPath: string, cacheDir: string) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      new URL("./fixtures/glue_cache_child.ts", import.meta.url).pathname,
      componentPath,
      cacheDir,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr);
  return JSON.parse(new TextDecoder().decode(out.stdout)) as {
    bindgen: boolean;
    describe: string;
    add: number;
  };
}

Deno.test("glue cache: a fresh process with valid cached glue skips jco's bindgen; bad glue is regenerated", async () => {
  const dir = await Deno.makeTempDir({ prefix: "glue_cache_" });
  try {
    const componentPath = join(dir, "probe.wasm");
    await Deno.writeFile(componentPath, probe);
    const cacheDir = join(dir, "entry");
    await Deno.mkdir(cacheDir);
    const file = glueCachePath(cacheDir, sha);

    const first = await child(componentPath, cacheDir);
    assert.deepEqual(first, { ...first, bindgen: true, describe: "probe", add: 42 });
    const written = await Deno.readFile(file);
    assert.ok(await decodeGlue(written, sha), "the first process stored valid glue");

    const second = await child(componentPath, cacheDir);
    assert.deepEqual(second, { ...second, bindgen: false, describe: "probe", add: 42 });

    // Tamper with the glue source (a byte inside the header JSON): the digest no longer matches.
    const bad = written.slice();
    bad[200] ^= 0x20;
    await Deno.writeFile(file, bad);
    const third = await child(componentPath, cacheDir);
    assert.deepEqual(third, { ...third, bindgen: true, describe: "probe", add: 42 });
    assert.deepEqual(await Deno.readFile(file), written, "regenerated and rewritten");
    const leftovers = [...Deno.readDirSync(join(cacheDir, "glue"))].map((e) => e.name);
    assert.deepEqual(leftovers, [file.split("/").pop()], "no temp files left");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
