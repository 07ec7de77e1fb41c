import assert from "node:assert/strict";
import { join } from "node:path";
import { pluginFolders } from "../../../core/cli/registry_command.ts";
import { isScportraitError } from "../../../core/errors.ts";
import { buildRegistry } from "../../../core/registry/build_registry.ts";
import { findSigner } from "../../../core/registry/ed25519.ts";
import { parseRegistryIndex } from "../../../core/registry/registry_index.ts";
import { loadTrustedKeys } from "../../../core/registry/trusted_keys.ts";
import { REPO_ROOT } from "../../../core/permissions/permission_needs.ts";
import { fixtureRegistry, pluginSource, snapshot, testKey } from "./registry_fixture.ts";

function files(dir: string): Map<string, Uint8Array> {
  return new Map(
    snapshot(dir).map((e) => {
      const rel = e.slice(0, e.lastIndexOf(":"));
      return [rel, Deno.readFileSync(join(dir, rel))];
    }),
  );
}

Deno.test("the repository's registry/ is up to date with plugins/ and signed by keys/", async () => {
  const out = await Deno.makeTempDir({ prefix: "registry_rebuild_" });
  const committed = join(REPO_ROOT, "registry");
  const built = await buildRegistry({
    plugins: pluginFolders(join(REPO_ROOT, "plugins")),
    outDir: out,
    progress: false,
  });
  assert.ok(built.length >= 1);
  const index = parseRegistryIndex(Deno.readTextFileSync(join(committed, "index.json")), "index");
  const fresh = parseRegistryIndex(Deno.readTextFileSync(join(out, "index.json")), "fresh");
  const [firstParty] = await loadTrustedKeys();
  for (const b of built) {
    const ref = `${b.id}@${b.version}`;
    assert.deepEqual(
      index.packages[b.id]?.versions[b.version],
      fresh.packages[b.id].versions[b.version],
      `${ref}: registry/index.json is stale; run scportrait registry build plugins registry --key …`,
    );
    const a = files(join(committed, b.path));
    const f = files(join(out, b.path));
    assert.deepEqual([...a.keys()].filter((k) => k !== "manifest.sig"), [...f.keys()], ref);
    for (const [k, bytes] of f) assert.deepEqual(a.get(k), bytes, `${ref}: ${k} differs`);
    const signer = await findSigner(
      [firstParty],
      a.get("manifest.yaml")!,
      new TextDecoder().decode(a.get("manifest.sig")!),
      ref,
    );
    assert.ok(signer, `${ref}: manifest.sig does not verify with keys/`);
  }
  await Deno.remove(out, { recursive: true });
});

Deno.test("buildRegistry output is byte-identical for the same sources and key", async () => {
  const key = await testKey();
  const a = await Deno.makeTempDir({ prefix: "registry_a_" });
  const b = await Deno.makeTempDir({ prefix: "registry_b_" });
  await fixtureRegistry(a, key, ["0.1.0", "0.2.0"]);
  await fixtureRegistry(b, key, ["0.2.0", "0.1.0"]);
  const fa = files(join(a, "reg"));
  const fb = files(join(b, "reg"));
  assert.deepEqual([...fa.keys()], [...fb.keys()]);
  for (const [k, v] of fa) assert.deepEqual(fb.get(k), v, k);
  const index = JSON.parse(new TextDecoder().decode(fa.get("index.json")));
  assert.deepEqual(Object.keys(index.packages["threshold-segmentation"].versions), [
    "0.1.0",
    "0.2.0",
  ]);
  await Deno.remove(a, { recursive: true });
  await Deno.remove(b, { recursive: true });
});

Deno.test("buildRegistry refuses to change a published version unless replace", async () => {
  const dir = await Deno.makeTempDir({ prefix: "registry_immutable_" });
  const reg = await fixtureRegistry(dir, undefined);
  const src = await pluginSource(join(dir, "changed"));
  const manifest = join(src, "manifest.yaml");
  const text = Deno.readTextFileSync(manifest).replace("halo: 32", "halo: 16");
  Deno.writeTextFileSync(manifest, text);
  await assert.rejects(
    () => buildRegistry({ plugins: [src], outDir: reg, build: false, progress: false }),
    (e) => isScportraitError(e, "REGISTRY_ERROR") && /immutable/.test(e.message),
  );
  await buildRegistry({
    plugins: [src],
    outDir: reg,
    build: false,
    progress: false,
    replace: true,
  });
  const pkg = Deno.readTextFileSync(
    join(reg, "packages/threshold-segmentation/0.1.0/manifest.yaml"),
  );
  assert.match(pkg, /halo: 16/);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("buildRegistry runs the test vectors and refuses to publish a failing plugin", async () => {
  const dir = await Deno.makeTempDir({ prefix: "registry_failing_" });
  const out = join(dir, "reg");
  const good = await pluginSource(join(dir, "good"), "0.1.0");
  const bad = await pluginSource(join(dir, "bad"), "0.2.0");
  // The expected labels of bad's first vector are wrong in one pixel (a 1 becomes a 7).
  const expected = join(bad, "test/expected.json");
  Deno.writeTextFileSync(expected, Deno.readTextFileSync(expected).replace(/\b1,/, "7,"));
  await assert.rejects(
    () => buildRegistry({ plugins: [good, bad], outDir: out, build: false, progress: false }),
    (e) =>
      isScportraitError(e, "PLUGIN_FAILED") &&
      /Refusing to publish threshold-segmentation@0\.2\.0/.test(e.message) &&
      /1 of 2 test vector\(s\) failed \(three-blobs-otsu: /.test(e.message) &&
      /nothing was written/.test(e.message),
  );
  assert.deepEqual(snapshot(out), [], "nothing published, not even the passing plugin");
  const built = await buildRegistry({ plugins: [good], outDir: out, progress: false });
  assert.deepEqual(built.map((b) => [b.version, b.tests]), [["0.1.0", 2]]);
  await Deno.remove(dir, { recursive: true });
});
