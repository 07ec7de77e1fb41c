import assert from "node:assert/strict";
import { asType, countDiff, loadKernels, put, python, rng, take, zeros } from "../_harness.ts";

function blobs(seed: number, h: number, w: number, density: number): Uint8Array {
  const r = rng(seed);
  const m = new Uint8Array(h * w);
  // random discs plus salt noise
  for (let c = 0; c < (h * w) / 150; c++) {
    const cy = r() * h, cx = r() * w, rad = 2 + r() * 8;
    for (let y = Math.max(0, Math.floor(cy - rad)); y < Math.min(h, cy + rad); y++) {
      for (let x = Math.max(0, Math.floor(cx - rad)); x < Math.min(w, cx + rad); x++) {
        if ((y - cy) ** 2 + (x - cx) ** 2 <= rad * rad) m[y * w + x] = 1;
      }
    }
  }
  for (let i = 0; i < m.length; i++) if (r() < density) m[i] = 1 - m[i];
  return m;
}

Deno.test("binary erosion / dilation with disks equal skimage (borders included)", async () => {
  const k = await loadKernels();
  const cases: [number, number, number][] = [[50, 70, 1], [64, 33, 4], [20, 20, 6], [3, 9, 2]];
  for (const [h, w, r] of cases) {
    const m = blobs(h * w + r, h, w, 0.05);
    const res = await python(
      `from skimage.morphology import binary_erosion, dilation, disk\n` +
        `a = inp('m', np.uint8, (${h}, ${w})).astype(bool)\n` +
        `out('e', binary_erosion(a, disk(${r})).astype(np.uint8))\n` +
        `out('d', dilation(a.astype(float), disk(${r})).astype(np.uint8))`,
      { m },
      ["e", "d"],
    );
    const src = put(k, m);
    const dst = zeros(k, m.length);
    k.erode(src, dst, h, w, r);
    assert.equal(countDiff(take(k, Uint8Array, dst, h * w), asType(Uint8Array, res.e)), 0);
    k.dilate(src, dst, h, w, r);
    assert.equal(countDiff(take(k, Uint8Array, dst, h * w), asType(Uint8Array, res.d)), 0);
  }
});

Deno.test("erosion of all-on stays all-on (outside counts as set); dilation of empty is empty", async () => {
  const k = await loadKernels();
  const on = put(k, new Uint8Array(100).fill(1));
  const dst = zeros(k, 100);
  k.erode(on, dst, 10, 10, 3);
  assert.ok(take(k, Uint8Array, dst, 100).every((v) => v === 1));
  const off = zeros(k, 100);
  k.dilate(off, dst, 10, 10, 3);
  assert.ok(take(k, Uint8Array, dst, 100).every((v) => v === 0));
});

/** Erodes and dilates each case's mask and compares with skimage, all cases in one Python run. */
async function compareCases(cases: [number, number, number, number][]): Promise<void> {
  const k = await loadKernels();
  const inputs: Record<string, Uint8Array> = {};
  let script = `from skimage.morphology import binary_erosion, dilation, disk\n`;
  const outputs: string[] = [];
  cases.forEach(([h, w, r, density], i) => {
    inputs[`m${i}`] = blobs(7 * i + h * w + r, h, w, density);
    script += `a = inp('m${i}', np.uint8, (${h}, ${w})).astype(bool)\n` +
      `out('e${i}', binary_erosion(a, disk(${r})).astype(np.uint8))\n` +
      `out('d${i}', dilation(a.astype(np.uint8), disk(${r})))\n`;
    outputs.push(`e${i}`, `d${i}`);
  });
  const res = await python(script, inputs, outputs);
  cases.forEach(([h, w, r], i) => {
    const src = put(k, inputs[`m${i}`]);
    const dst = zeros(k, h * w);
    k.erode(src, dst, h, w, r);
    const e = countDiff(take(k, Uint8Array, dst, h * w), asType(Uint8Array, res[`e${i}`]));
    assert.equal(e, 0, `erosion ${h}x${w} disk(${r})`);
    k.dilate(src, dst, h, w, r);
    const d = countDiff(take(k, Uint8Array, dst, h * w), asType(Uint8Array, res[`d${i}`]));
    assert.equal(d, 0, `dilation ${h}x${w} disk(${r})`);
    k.free(src);
    k.free(dst);
  });
}

Deno.test("morphology: widths around the 16-pixel blocks, 1-row / 1-column, every radius 1..8", async () => {
  const cases: [number, number, number, number][] = [];
  for (const w of [1, 2, 15, 16, 17, 31, 32, 33, 47]) cases.push([19, w, 3, 0.1]);
  cases.push([1, 40, 2, 0.2], [37, 1, 2, 0.2], [1, 1, 1, 0.5], [2, 17, 5, 0.3]);
  for (let r = 1; r <= 8; r++) cases.push([30, 45, r, 0.02]);
  // sparse (dilation grows specks) and dense (erosion finds holes) masks
  cases.push([40, 50, 4, 0.002], [40, 50, 4, 0.45]);
  await compareCases(cases);
});

Deno.test("morphology: half-widths up to 254 (u8 path) and from 255 (u16 fallback) equal scipy", async () => {
  // disk(255)'s middle row has half-width 255 (u8 distances would saturate there). On a 3-row
  // image only the footprint rows |dy| <= 2 can reach a pixel, so the golden uses those rows of
  // skimage's disk with ndimage directly (skimage's own call takes minutes at this size).
  const k = await loadKernels();
  const [h, w] = [3, 600];
  // specks (dilation leaves a gap between 306 and 324) and a full mask with two holes
  const sparse = new Uint8Array(h * w);
  sparse[w + 50] = sparse[580] = 1;
  const dense = new Uint8Array(h * w).fill(1);
  dense[w + 300] = dense[2 * w + 10] = 0;
  const radii = [254, 255, 256]; // 254: the u8 path at its limit (saturated distances)
  for (const [r, m] of radii.flatMap((r) => [[r, sparse], [r, dense]] as const)) {
    const res = await python(
      `from scipy import ndimage as ndi\nfrom skimage.morphology import disk\n` +
        `a = inp('m', np.uint8, (${h}, ${w})).astype(bool)\nfp = disk(${r})[${r - 2}:${r + 3}]\n` +
        `out('e', ndi.binary_erosion(a, structure=fp, border_value=1).astype(np.uint8))\n` +
        `out('d', ndi.binary_dilation(a, structure=fp).astype(np.uint8))`,
      { m },
      ["e", "d"],
    );
    const src = put(k, m);
    const dst = zeros(k, h * w);
    k.erode(src, dst, h, w, r);
    const e = take(k, Uint8Array, dst, h * w);
    assert.equal(countDiff(e, asType(Uint8Array, res.e)), 0, `erosion disk(${r})`);
    k.dilate(src, dst, h, w, r);
    const d = take(k, Uint8Array, dst, h * w);
    assert.equal(countDiff(d, asType(Uint8Array, res.d)), 0, `dilation disk(${r})`);
    const mixed = (a: Uint8Array) => a.includes(0) && a.includes(1);
    assert.ok(mixed(m === sparse ? d : e), "the case exercises both outcomes");
    k.free(src);
    k.free(dst);
  }
});
