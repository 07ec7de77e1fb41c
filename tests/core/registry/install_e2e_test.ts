/**
 * End to end: build the first-party threshold-segmentation plugin → registry build signed with a
 * throwaway key → serve it over HTTPS on loopback with a certificate from a throwaway CA (made
 * with openssl) → install trusting that CA (`caCerts`, as `--ca-cert`; sha256 + signature + test
 * vectors) → run it on a real image (DSB2018 nuclei) through the worker pool, whole and in four
 * haloed tiles at once, against scikit-image's `label(img > threshold_otsu(img), connectivity=2)`.
 * Without the CA the install is refused with a hint to pass `--ca-cert`, and nothing is cached.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { PluginPool } from "../../../core/host/plugin_pool.ts";
import { segmentTile } from "../../../core/host/segment_call.ts";
import { wholeImageRegion } from "../../../core/host/segmentation_types.ts";
import { REPO_ROOT } from "../../../core/permissions/permission_needs.ts";
import { buildRegistry } from "../../../core/registry/build_registry.ts";
import { installPlugin } from "../../../core/registry/install_plugin.ts";
import { openInstalledPlugin } from "../../../core/registry/installed_plugin.ts";
import { readLockfile } from "../../../core/registry/lockfile.ts";
import { snapshot, testKey } from "./registry_fixture.ts";
import { makeTestTls, serveFolderHttps } from "./tls_fixture.ts";

const IMAGE = join(REPO_ROOT, "examples/data/dsb2018_nuclei/img2d.tif");

async function pythonGolden(dir: string): Promise<{ otsu: number; h: number; w: number }> {
  const code = `
import json, sys, numpy as np, tifffile
from skimage.filters import threshold_otsu
from skimage.measure import label
img = tifffile.imread(sys.argv[1]).astype(np.uint16)
t = threshold_otsu(img)
img.tofile(sys.argv[2] + "/img.u16")
label(img > t, connectivity=2).astype(np.uint32).tofile(sys.argv[2] + "/golden.u32")
print(json.dumps({"otsu": float(t), "h": img.shape[0], "w": img.shape[1]}))`;
  const out = await new Deno.Command("/usr/bin/python3", {
    args: ["-c", code, IMAGE, dir],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

/** True when `a` and `b` label the same objects (a bijection between their labels). */
function sameUpToRelabelling(a: Uint32Array, b: Uint32Array): boolean {
  const ab = new Map<number, number>();
  const ba = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    if ((a[i] === 0) !== (b[i] === 0)) return false;
    if (a[i] === 0) continue;
    if ((ab.get(a[i]) ?? b[i]) !== b[i] || (ba.get(b[i]) ?? a[i]) !== a[i]) return false;
    ab.set(a[i], b[i]);
    ba.set(b[i], a[i]);
  }
  return true;
}

Deno.test("e2e: build → signed registry → install over loopback HTTPS → segment a real image", async () => {
  const dir = await Deno.makeTempDir({ prefix: "registry_e2e_" });
  const key = await testKey();
  const reg = join(dir, "reg");
  await buildRegistry({
    plugins: [join(REPO_ROOT, "plugins/threshold_segmentation")],
    outDir: reg,
    privateKey: key.privateKey,
    progress: false,
  });
  const tlsDir = join(dir, "tls");
  await Deno.mkdir(tlsDir);
  const tls = await makeTestTls(tlsDir);
  const server = serveFolderHttps(reg, tls);
  const registry = `https://127.0.0.1:${server.addr.port}/`;
  const project = join(dir, "project");
  await Deno.mkdir(project);
  const common = { project, cacheRoot: join(dir, "cache"), trustedKeys: [key.trusted] };
  let pool: PluginPool | undefined;
  try {
    // A CA the client does not know: refused at the TLS handshake, with the flag to add.
    await assert.rejects(
      installPlugin({
        ...common,
        spec: "threshold-segmentation@^0.1.0",
        registry,
        progress: false,
      }),
      (e: Error & { code?: string }) =>
        e.code === "REGISTRY_ERROR" && /UnknownIssuer/.test(e.message) &&
        /--ca-cert/.test(e.message),
    );
    assert.deepEqual(snapshot(common.cacheRoot), [], "nothing cached from the refused install");
    assert.deepEqual((await readLockfile(project)).plugins, {});
    const installed = await installPlugin({
      ...common,
      spec: "threshold-segmentation@^0.1.0",
      registry,
      caCerts: [tls.caPem],
      progress: false,
    });
    assert.ok(installed.tests.length > 0 && installed.tests.every((t) => t.passed));
    assert.equal(installed.lock.registry, registry);
    const plugin = await openInstalledPlugin("threshold-segmentation", common);
    const m = plugin.package.manifest;
    pool = await PluginPool.create({
      component: plugin.package.component,
      world: m.world,
      name: `${m.id}@${m.version}`,
      limits: { memoryMib: m.limits.memory_mib, timeoutS: m.limits.timeout_s },
      workers: 2,
    });
    const { otsu, h, w } = await pythonGolden(dir);
    const img = new Uint16Array((await Deno.readFile(join(dir, "img.u16"))).buffer);
    const golden = new Uint32Array((await Deno.readFile(join(dir, "golden.u32"))).buffer);
    const stats = [{ channel: 0, min: 0, max: 0, mean: 0, otsuThreshold: otsu, quantiles: [] }];
    const whole = await segmentTile(
      pool,
      { channels: 1, height: h, width: w, data: img.slice() },
      wholeImageRegion(h, w),
      stats,
      { method: "otsu", threshold: 0, channel: 0 },
    );
    const labels = whole.masks[0].labels as Uint32Array;
    assert.equal(whole.masks[0].name, "nucleus");
    assert.ok(sameUpToRelabelling(labels, golden), "labels differ from scikit-image");
    assert.equal(whole.masks[0].objects.length, golden.reduce((a, b) => Math.max(a, b), 0));
    // Four quadrant tiles with the manifest's halo, in flight together on two workers.
    const halo = m.halo;
    const tiles = [[0, 0], [0, w / 2], [h / 2, 0], [h / 2, w / 2]].map(([cy, cx]) => {
      const y0 = Math.max(0, cy - halo);
      const x0 = Math.max(0, cx - halo);
      const y1 = Math.min(h, cy + h / 2 + halo);
      const x1 = Math.min(w, cx + w / 2 + halo);
      const data = new Uint16Array((y1 - y0) * (x1 - x0));
      for (let y = y0; y < y1; y++) {
        data.set(img.subarray(y * w + x0, y * w + x1), (y - y0) * (x1 - x0));
      }
      const region = {
        originY: y0,
        originX: x0,
        imageHeight: h,
        imageWidth: w,
        coreY: cy - y0,
        coreX: cx - x0,
        coreHeight: h / 2,
        coreWidth: w / 2,
      };
      const tile = { channels: 1, height: y1 - y0, width: x1 - x0, data };
      return { region, tile, run: segmentTile(pool!, tile, region, stats, {}) };
    });
    for (const t of tiles) {
      const res = await t.run;
      const tl = res.masks[0].labels as Uint32Array;
      for (let y = 0; y < t.region.coreHeight; y++) {
        for (let x = 0; x < t.region.coreWidth; x++) {
          const local = (t.region.coreY + y) * t.tile.width + t.region.coreX + x;
          const global = (t.region.originY + t.region.coreY + y) * w + t.region.originX +
            t.region.coreX + x;
          if ((tl[local] > 0) !== (golden[global] > 0)) {
            assert.fail(`tile foreground differs at global (${global / w | 0}, ${global % w})`);
          }
        }
      }
    }
    assert.ok(pool.stats.calls >= 5);
  } finally {
    pool?.close();
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
