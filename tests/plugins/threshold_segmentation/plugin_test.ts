/**
 * threshold-segmentation component: built with the project's toolchain, run through jco, checked
 * against scikit-image on a real image (dsb2018 nuclei) and against its own test vectors.
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { wholeImageRegion } from "../../../core/host/segmentation_types.ts";
import { buildPlugin } from "../../../plugins/toolchain/build_plugin.ts";
import { loadComponent } from "../_component_loader.ts";
import { plain, readVector } from "../_vectors.ts";

const ROOT = new URL("../../../", import.meta.url).pathname;
const PLUGIN = join(ROOT, "plugins/threshold_segmentation");
const IMAGE = join(ROOT, "examples/data/dsb2018_nuclei/img2d.tif");

interface Segmentation {
  segment(tile: unknown, region: unknown, stats: unknown, params: string): {
    masks: { name: string; labels: Uint32Array; objects: ObjInfo[] }[];
  };
}
interface ObjInfo {
  label: number;
  anchorY: number;
  anchorX: number;
  area: number;
}

const built = await buildPlugin(PLUGIN, ROOT);
const component = await loadComponent(built.component);
const seg = component.exports.segmentation as Segmentation;

/** Runs Python (tifffile + skimage) once: the image, its Otsu threshold and golden labels. */
async function golden(dir: string) {
  const script = `
import sys, json, numpy as np, tifffile
from skimage.filters import threshold_otsu
from skimage.measure import label
img = tifffile.imread(sys.argv[1]).astype(np.uint16)
t = float(threshold_otsu(img))
lab = label(img > t, connectivity=2).astype(np.uint32)
img.tofile(sys.argv[2] + "/img.u16"); lab.tofile(sys.argv[2] + "/lab.u32")
print(json.dumps({"h": img.shape[0], "w": img.shape[1], "t": t, "n": int(lab.max())}))
`;
  const out = await new Deno.Command("/usr/bin/python3", {
    args: ["-c", script, IMAGE, dir],
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const meta = JSON.parse(new TextDecoder().decode(out.stdout));
  const img = new Uint16Array(Deno.readFileSync(join(dir, "img.u16")).buffer);
  const lab = new Uint32Array(Deno.readFileSync(join(dir, "lab.u32")).buffer);
  return { ...meta, img, lab } as {
    h: number;
    w: number;
    t: number;
    n: number;
    img: Uint16Array;
    lab: Uint32Array;
  };
}

/** Asserts `a` and `b` are the same partition (equal up to a bijective relabelling). */
function assertSameLabelling(a: Uint32Array, b: Uint32Array): void {
  assert.equal(a.length, b.length);
  const ab = new Map<number, number>();
  const ba = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    if ((a[i] === 0) !== (b[i] === 0)) assert.fail(`foreground differs at pixel ${i}`);
    if (a[i] === 0) continue;
    if ((ab.get(a[i]) ?? b[i]) !== b[i] || (ba.get(b[i]) ?? a[i]) !== a[i]) {
      assert.fail(`labels ${a[i]} / ${b[i]} are not a bijection at pixel ${i}`);
    }
    ab.set(a[i], b[i]);
    ba.set(b[i], a[i]);
  }
}

Deno.test("describe names the plugin, its version and world", () => {
  const info = JSON.parse((component.exports.describe as () => string)());
  assert.deepEqual(info, {
    id: "threshold-segmentation",
    version: "0.1.1",
    world: "segmentation",
    wit: "scportrait:plugin@0.1.0",
  });
});

Deno.test("dsb2018 nuclei: labels equal skimage label(img > threshold_otsu(img), 2)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const g = await golden(dir);
    const stats = [{ channel: 0, min: 0, max: 0, mean: 0, otsuThreshold: g.t, quantiles: [] }];
    const t0 = performance.now();
    const r = seg.segment(
      { channels: 1, height: g.h, width: g.w, data: g.img },
      wholeImageRegion(g.h, g.w),
      stats,
      "{}",
    );
    const ms = performance.now() - t0;
    assert.equal(r.masks.length, 1);
    assert.equal(r.masks[0].name, "nucleus");
    const labels = r.masks[0].labels;
    assertSameLabelling(labels, g.lab);
    // Raster-order numbering makes it identical, not only equivalent.
    assert.deepEqual(labels, g.lab);
    const objects = r.masks[0].objects;
    assert.equal(objects.length, g.n);
    assert.ok(g.n > 50, `expected many nuclei, golden has ${g.n}`);
    for (const o of objects) {
      const first = g.lab.indexOf(o.label);
      assert.equal(o.anchorY * g.w + o.anchorX, first, `anchor of object ${o.label}`);
      assert.equal(o.area, g.lab.reduce((n, v) => n + (v === o.label ? 1 : 0), 0));
    }
    console.log(`segment 512x512: ${ms.toFixed(1)} ms, ${g.n} objects, otsu ${g.t}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("tiles with a halo give the objects of the whole image (anchor in core)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const g = await golden(dir);
    const stats = [{ channel: 0, min: 0, max: 0, mean: 0, otsuThreshold: g.t, quantiles: [] }];
    const whole = seg.segment(
      { channels: 1, height: g.h, width: g.w, data: g.img },
      wholeImageRegion(g.h, g.w),
      stats,
      "{}",
    ).masks[0].objects.map((o) => `${o.anchorY},${o.anchorX},${o.area}`).sort();
    // A halo as large as the largest object guarantees each object is whole in its owner tile.
    const lo = new Map<number, number[]>();
    g.lab.forEach((v, i) => {
      if (v === 0) return;
      const y = Math.floor(i / g.w), x = i % g.w;
      const b = lo.get(v) ?? [y, x, y, x];
      lo.set(v, [Math.min(b[0], y), Math.min(b[1], x), Math.max(b[2], y), Math.max(b[3], x)]);
    });
    const halo = Math.max(...[...lo.values()].map((b) => Math.max(b[2] - b[0], b[3] - b[1]))) + 1;
    const core = 128;
    assert.ok(halo < 200, `largest object extent ${halo}`);
    const tiled: string[] = [];
    for (let cy = 0; cy < g.h; cy += core) {
      for (let cx = 0; cx < g.w; cx += core) {
        const y0 = Math.max(0, cy - halo), x0 = Math.max(0, cx - halo);
        const y1 = Math.min(g.h, cy + core + halo), x1 = Math.min(g.w, cx + core + halo);
        const th = y1 - y0, tw = x1 - x0;
        const data = new Uint16Array(th * tw);
        for (let y = 0; y < th; y++) {
          data.set(g.img.subarray((y0 + y) * g.w + x0, (y0 + y) * g.w + x1), y * tw);
        }
        const region = {
          originY: y0,
          originX: x0,
          imageHeight: g.h,
          imageWidth: g.w,
          coreY: cy - y0,
          coreX: cx - x0,
          coreHeight: core,
          coreWidth: core,
        };
        const r = seg.segment({ channels: 1, height: th, width: tw, data }, region, stats, "{}");
        for (const o of r.masks[0].objects) {
          const inCore = o.anchorY >= cy && o.anchorY < cy + core && o.anchorX >= cx &&
            o.anchorX < cx + core;
          if (inCore) tiled.push(`${o.anchorY},${o.anchorX},${o.area}`);
        }
      }
    }
    assert.deepEqual(tiled.sort(), whole);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("test vectors of the manifest pass", () => {
  const input = readVector(join(PLUGIN, "test/input.json")) as { args: unknown[] };
  const expected = readVector(join(PLUGIN, "test/expected.json"));
  const [tile, region, stats] = input.args;
  assert.deepEqual(plain(seg.segment(tile, region, stats, "{}")), plain(expected));
  const noStats = readVector(join(PLUGIN, "test/input_no_stats.json")) as { args: unknown[] };
  assert.throws(
    () => seg.segment(noStats.args[0], noStats.args[1], noStats.args[2], "{}"),
    (e: { payload?: { tag: string } }) => e.payload?.tag === "invalid-input",
  );
});

Deno.test("fixed threshold from params; bad params and bad input give typed errors", () => {
  const data = Uint16Array.from([0, 5, 5, 0, 0, 0, 9, 0, 0]);
  const tile = { channels: 1, height: 3, width: 3, data };
  const region = wholeImageRegion(3, 3);
  const r = seg.segment(tile, region, [], '{"method": "fixed", "threshold": 5}');
  assert.deepEqual(Array.from(r.masks[0].labels), [0, 0, 0, 0, 0, 0, 1, 0, 0]);
  const tagOf = (params: string, t: unknown = tile) => {
    try {
      seg.segment(t, region, [], params);
    } catch (e) {
      return (e as { payload: { tag: string; val: string } }).payload;
    }
    assert.fail(`no error for ${params}`);
  };
  assert.equal(tagOf('{"method": "fixed", "threshold": "high"}').tag, "invalid-params");
  assert.match(tagOf('{"method": "fixed", "threshold": "high"}').val, /params\.threshold/);
  assert.equal(tagOf('{"method": "mean"}').tag, "invalid-params");
  assert.equal(tagOf('{"method": "fixed",').tag, "invalid-params");
  assert.equal(tagOf("[1, 2]").tag, "invalid-params");
  assert.equal(tagOf('{"method": "fixed", "channel": 3}').tag, "invalid-input");
  const short = { channels: 1, height: 3, width: 4, data };
  assert.equal(tagOf('{"method": "fixed"}', short).tag, "invalid-input");
  // The instance stays usable after errors.
  assert.equal(seg.segment(tile, region, [], '{"method":"fixed","threshold":0}').masks.length, 1);
});

Deno.test({
  name: "close component",
  fn: () => component.close(),
  sanitizeResources: false,
});
