/**
 * examples/plugin_c: builds the C plugin with build.sh where clang exists (skipped otherwise),
 * loads it with jco and checks it against scikit-image on the dsb2018 image and its vectors.
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { wholeImageRegion } from "../../../core/host/segmentation_types.ts";
import { parseManifest } from "../../../core/registry/manifest.ts";
import { loadComponent } from "../../plugins/_component_loader.ts";
import { assertClose, readVector } from "../../plugins/_vectors.ts";

const ROOT = new URL("../../../", import.meta.url).pathname;
const DIR = join(ROOT, "examples/plugin_c");

function hasClang(): boolean {
  try {
    return new Deno.Command("clang", { args: ["--version"] }).outputSync().success;
  } catch {
    return false;
  }
}

const clang = hasClang();
if (!clang) console.log("examples/plugin_c: clang not found, C plugin test skipped");

Deno.test({
  name: `C plugin builds, imports nothing and matches skimage${clang ? "" : " (no clang)"}`,
  ignore: !clang,
  fn: async () => {
    const t0 = performance.now();
    const build = await new Deno.Command("sh", { args: [join(DIR, "build.sh")] }).output();
    assert.equal(build.code, 0, new TextDecoder().decode(build.stderr));
    const buildMs = performance.now() - t0;
    const bytes = Deno.readFileSync(join(DIR, "build/component.wasm"));
    const c = await loadComponent(bytes);
    const tmp = await Deno.makeTempDir();
    try {
      const describe = JSON.parse((c.exports.describe as () => string)());
      assert.equal(describe.id, "c-threshold-segmentation");
      const seg = c.exports.segmentation as {
        segment: (...a: unknown[]) => {
          masks: { name: string; labels: Uint32Array; objects: { area: number }[] }[];
        };
      };
      const script = `
import sys, numpy as np, tifffile
from skimage.filters import threshold_otsu
from skimage.measure import label
img = tifffile.imread(sys.argv[1]).astype(np.uint16)
t = threshold_otsu(img)
img.tofile(sys.argv[2] + "/img.u16")
label(img > t, connectivity=2).astype(np.uint32).tofile(sys.argv[2] + "/lab.u32")
print(float(t), img.shape[0], img.shape[1])
`;
      const py = await new Deno.Command("/usr/bin/python3", {
        args: ["-c", script, join(ROOT, "examples/data/dsb2018_nuclei/img2d.tif"), tmp],
      }).output();
      assert.equal(py.code, 0, new TextDecoder().decode(py.stderr));
      const [t, h, w] = new TextDecoder().decode(py.stdout).trim().split(" ").map(Number);
      const img = new Uint16Array(Deno.readFileSync(join(tmp, "img.u16")).buffer);
      const lab = new Uint32Array(Deno.readFileSync(join(tmp, "lab.u32")).buffer);
      const region = wholeImageRegion(h, w);
      const stats = [{ channel: 0, min: 0, max: 0, mean: 0, otsuThreshold: t, quantiles: [] }];
      const t1 = performance.now();
      const r = seg.segment({ channels: 1, height: h, width: w, data: img }, region, stats, "{}");
      const callMs = performance.now() - t1;
      assert.deepEqual(r.masks[0].labels, lab);
      assert.equal(r.masks[0].objects.length, lab.reduce((m, v) => Math.max(m, v), 0));
      const tile = { channels: 1, height: 1, width: 2, data: Uint16Array.from([1, 2]) };
      assert.throws(
        () => seg.segment(tile, region, [], '{"method": "fixed", "threshold": "x"}'),
        (e: { payload?: { tag: string } }) => e.payload?.tag === "invalid-params",
      );
      assert.throws(
        () => seg.segment({ ...tile, width: 3 }, region, [], '{"method": "fixed"}'),
        (e: { payload?: { tag: string } }) => e.payload?.tag === "invalid-input",
      );
      const manifestPath = join(DIR, "manifest.yaml");
      const manifest = parseManifest(Deno.readTextFileSync(manifestPath), manifestPath, {
        requireSha256: false,
      });
      for (const v of manifest.test) {
        const { args } = readVector(join(DIR, v.input)) as { args: unknown[] };
        assertClose(seg.segment(...args, "{}"), readVector(join(DIR, v.expected!)), v.tolerance);
      }
      console.log(
        `C component ${bytes.length} B, build ${buildMs.toFixed(0)} ms, ` +
          `segment 512x512 ${callMs.toFixed(1)} ms`,
      );
    } finally {
      await c.close();
      await Deno.remove(tmp, { recursive: true });
    }
  },
});
