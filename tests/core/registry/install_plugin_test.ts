import assert from "node:assert/strict";
import { join } from "node:path";
import { isScportraitError } from "../../../core/errors.ts";
import { sha256Hex } from "../../../core/registry/digest.ts";
import { type InstallOptions, installPlugin } from "../../../core/registry/install_plugin.ts";
import { openInstalledPlugin } from "../../../core/registry/installed_plugin.ts";
import { readLockfile } from "../../../core/registry/lockfile.ts";
import { openRegistry } from "../../../core/registry/registry_source.ts";
import { fixtureRegistry, snapshot, testKey } from "./registry_fixture.ts";

const PKG = "packages/threshold-segmentation/0.1.0";

async function setup(versions?: string[], signed = true) {
  const dir = await Deno.makeTempDir({ prefix: "registry_test_" });
  const key = await testKey();
  const registry = await fixtureRegistry(dir, signed ? key : undefined, versions);
  const project = join(dir, "project");
  await Deno.mkdir(project);
  const cacheRoot = join(dir, "cache");
  const base: InstallOptions = {
    spec: "threshold-segmentation@^0.1.0",
    registry,
    project,
    cacheRoot,
    trustedKeys: [key.trusted],
    runTests: false,
    progress: false,
  };
  return { dir, key, registry, project, cacheRoot, base };
}

/** Counts every WebAssembly compile/instantiate while `fn` runs. */
async function countCompiles(fn: () => Promise<unknown>): Promise<number> {
  const wa = WebAssembly as unknown as Record<string, unknown>;
  const names = ["compile", "compileStreaming", "instantiate", "instantiateStreaming", "validate"];
  const saved = names.map((n) => wa[n]);
  const OrigModule = WebAssembly.Module;
  let count = 0;
  names.forEach((n, i) => {
    const orig = saved[i] as (...a: unknown[]) => unknown;
    wa[n] = (...a: unknown[]) => {
      count++;
      return orig.apply(WebAssembly, a);
    };
  });
  wa.Module = function (...a: unknown[]) {
    count++;
    return new (OrigModule as unknown as new (...x: unknown[]) => unknown)(...a);
  };
  try {
    await fn();
  } catch {
    /* the caller checks the error separately */
  } finally {
    names.forEach((n, i) => wa[n] = saved[i]);
    wa.Module = OrigModule;
  }
  return count;
}

/** Runs a refused install: asserts the code, no compile, and an unchanged cache and lockfile. */
async function assertRefused(
  ctx: Awaited<ReturnType<typeof setup>>,
  options: Partial<InstallOptions>,
  code: string,
  pattern: RegExp,
): Promise<void> {
  const before = [snapshot(ctx.cacheRoot), snapshot(ctx.project)];
  let caught: unknown;
  const compiles = await countCompiles(async () => {
    try {
      await installPlugin({ ...ctx.base, ...options });
    } catch (error) {
      caught = error;
      throw error;
    }
  });
  assert.ok(isScportraitError(caught), `expected a ScportraitError, got ${caught}`);
  assert.equal(caught.code, code, caught.message);
  assert.match(caught.message, pattern);
  assert.equal(compiles, 0, "nothing may be compiled for a refused package");
  assert.deepEqual([snapshot(ctx.cacheRoot), snapshot(ctx.project)], before);
}

Deno.test("installPlugin resolves the highest matching version, caches by hash, pins it", async () => {
  const ctx = await setup(["0.1.0", "0.1.1", "0.2.0", "1.0.0-rc.1"]);
  const r = await installPlugin(ctx.base);
  assert.equal(r.package.manifest.version, "0.1.1");
  const bytes = await Deno.readFile(join(r.cacheDir, "component.wasm"));
  const sha = await sha256Hex(bytes);
  assert.equal(r.cacheDir, join(ctx.cacheRoot, "sha256", sha));
  const lock = await readLockfile(ctx.project);
  assert.deepEqual(lock.plugins["threshold-segmentation"], {
    version: "0.1.1",
    sha256: sha,
    manifest_sha256: await sha256Hex(await Deno.readFile(join(r.cacheDir, "manifest.yaml"))),
    registry: `file://${ctx.registry}`,
    signed_by: ctx.key.trusted.fingerprint,
  });
  const r2 = await installPlugin({ ...ctx.base, spec: "threshold-segmentation@>=0.2.0" });
  assert.equal(r2.package.manifest.version, "0.2.0");
  assert.equal(
    (await readLockfile(ctx.project)).plugins["threshold-segmentation"].version,
    "0.2.0",
  );
  await assertRefused(ctx, { spec: "threshold-segmentation@^3" }, "REGISTRY_ERROR", /0\.1\.1/);
  await Deno.remove(ctx.dir, { recursive: true });
});

Deno.test("installPlugin over loopback HTTP runs the test vectors and pins the URL", async () => {
  const ctx = await setup();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const path = decodeURIComponent(new URL(req.url).pathname).replace(/^\//, "");
    try {
      return new Response(await Deno.readFile(join(ctx.registry, path)));
    } catch {
      return new Response("not found", { status: 404 });
    }
  });
  try {
    const url = `http://127.0.0.1:${server.addr.port}/`;
    let r!: Awaited<ReturnType<typeof installPlugin>>;
    const compiles = await countCompiles(async () => {
      r = await installPlugin({ ...ctx.base, registry: url, runTests: true });
    });
    assert.ok(compiles > 0, "the spy must see the compile of a verified package");
    assert.equal(r.tests.length, 2);
    assert.ok(r.tests.every((t) => t.passed));
    assert.equal(r.lock.registry, url);
    const again = await openInstalledPlugin("threshold-segmentation", {
      project: ctx.project,
      cacheRoot: ctx.cacheRoot,
      trustedKeys: [ctx.key.trusted],
    });
    assert.equal(again.package.manifest.artifact.sha256, r.lock.sha256);
  } finally {
    await server.shutdown();
  }
  assert.throws(() => openRegistry("http://example.org/reg/"), /only https:\/\//);
  await Deno.remove(ctx.dir, { recursive: true });
});

Deno.test("installPlugin refuses a tampered component before compiling it", async () => {
  const ctx = await setup();
  // A poisoned component: not even wasm, so compiling it would fail with another error.
  await Deno.writeTextFile(join(ctx.registry, PKG, "component.wasm"), "poisoned, not wasm");
  await assertRefused(ctx, {}, "INTEGRITY_ERROR", /component\.wasm has sha256 .* before being/);
  await Deno.remove(ctx.dir, { recursive: true });
});

Deno.test("installPlugin refuses a bad signature, an untrusted key and unsigned packages", async () => {
  const ctx = await setup();
  const sig = join(ctx.registry, PKG, "manifest.sig");
  const good = await Deno.readTextFile(sig);
  const flipped = (good[0] === "A" ? "B" : "A") + good.slice(1);
  await Deno.writeTextFile(sig, flipped);
  await assertRefused(ctx, {}, "SIGNATURE_ERROR", /does not verify with any trusted key/);
  await Deno.writeTextFile(sig, good);
  const stranger = await testKey("stranger");
  await assertRefused(ctx, { trustedKeys: [stranger.trusted] }, "SIGNATURE_ERROR", /--trust/);
  await Deno.remove(sig);
  await assertRefused(ctx, {}, "SIGNATURE_ERROR", /unsigned.*--allow-unsigned/);
  const r = await installPlugin({ ...ctx.base, allowUnsigned: true });
  assert.equal(r.lock.signed_by, null);
  await Deno.remove(ctx.dir, { recursive: true });
});

Deno.test("installPlugin refuses an index that lies about versions or hashes", async () => {
  const ctx = await setup();
  const indexPath = join(ctx.registry, "index.json");
  const original = await Deno.readTextFile(indexPath);
  const index = JSON.parse(original);
  const entry = index.packages["threshold-segmentation"].versions["0.1.0"];
  index.packages["threshold-segmentation"].versions["9.9.9"] = entry;
  await Deno.writeTextFile(indexPath, JSON.stringify(index));
  await assertRefused(
    ctx,
    { spec: "threshold-segmentation@9.9.9" },
    "REGISTRY_ERROR",
    /lists .* as version 9\.9\.9, but its signed manifest says threshold-segmentation@0\.1\.0/,
  );
  const lying = JSON.parse(original);
  lying.packages["threshold-segmentation"].versions["0.1.0"].sha256 = "0".repeat(64);
  await Deno.writeTextFile(indexPath, JSON.stringify(lying));
  await assertRefused(ctx, {}, "INTEGRITY_ERROR", /index gives component sha256 0000/);
  const other = JSON.parse(original);
  other.packages["threshold-segmentation"].versions["0.1.0"].manifest_sha256 = "1".repeat(64);
  await Deno.writeTextFile(indexPath, JSON.stringify(other));
  await assertRefused(ctx, {}, "INTEGRITY_ERROR", /manifest\.yaml has sha256/);
  const traversal = JSON.parse(original);
  traversal.packages["threshold-segmentation"].versions["0.1.0"].path = "../../etc";
  await Deno.writeTextFile(indexPath, JSON.stringify(traversal));
  await assertRefused(ctx, {}, "REGISTRY_ERROR", /leaves the package folder/);
  await Deno.remove(ctx.dir, { recursive: true });
});

Deno.test("installPlugin refuses a signed manifest whose artifact path leaves the package", async () => {
  const ctx = await setup();
  const folder = join(ctx.dir, "evil");
  await Deno.mkdir(folder);
  const text = await Deno.readTextFile(join(ctx.registry, PKG, "manifest.yaml"));
  await Deno.writeTextFile(
    join(folder, "manifest.yaml"),
    text.replace("path: component.wasm", "path: ../../../etc/passwd"),
  );
  await assertRefused(
    ctx,
    { spec: folder, allowUnsigned: true },
    "MANIFEST_INVALID",
    /artifact\.path: expected a relative path inside the package/,
  );
  await Deno.remove(ctx.dir, { recursive: true });
});

Deno.test("openInstalledPlugin refuses a cache entry changed after install", async () => {
  const ctx = await setup();
  const r = await installPlugin(ctx.base);
  const wasm = join(r.cacheDir, "component.wasm");
  const bytes = await Deno.readFile(wasm);
  bytes[bytes.length - 1] ^= 0xff;
  await Deno.writeFile(wasm, bytes);
  const opts = { project: ctx.project, cacheRoot: ctx.cacheRoot, trustedKeys: [ctx.key.trusted] };
  await assert.rejects(
    () => openInstalledPlugin("threshold-segmentation", opts),
    (e) => isScportraitError(e, "INTEGRITY_ERROR"),
  );
  await assert.rejects(
    () => openInstalledPlugin("threshold-segmentation", { ...opts, trustedKeys: [] }),
    /not trusted now/,
  );
  await assert.rejects(() => openInstalledPlugin("other", opts), /not installed/);
  await Deno.remove(ctx.dir, { recursive: true });
});
