import assert from "node:assert/strict";
import { asType, countDiff, loadKernels, put, python, rng, take, zeros } from "../_harness.ts";

Deno.test("watershed equals skimage.segmentation.watershed (ties, mask, connectivity)", async () => {
  const k = await loadKernels();
  const cases: [number, number, number, number][] = [[60, 80, 1, 6], [45, 45, 2, 4], [
    30,
    70,
    1,
    8,
  ]];
  for (const [h, w, conn, levels] of cases) {
    const r = rng(h * w * conn);
    // few levels -> many ties, so the heap order decides
    const img = new Float64Array(h * w);
    for (let i = 0; i < img.length; i++) img[i] = Math.floor(r() * levels);
    const markers = new Uint32Array(h * w);
    for (let i = 1; i <= 15; i++) markers[Math.floor(r() * h * w)] = i;
    const mask = new Uint8Array(h * w);
    for (let i = 0; i < mask.length; i++) mask[i] = r() < 0.85 ? 1 : 0;
    const res = await python(
      `from skimage.segmentation import watershed\n` +
        `im = inp('img', np.float64, (${h}, ${w})); mk = inp('mk', np.uint32, (${h}, ${w})).astype(np.int64)\n` +
        `ms = inp('ms', np.uint8, (${h}, ${w})).astype(bool)\n` +
        `out('l', watershed(im, mk, mask=ms, connectivity=${conn}).astype(np.uint32))`,
      { img, mk: markers, ms: mask },
      ["l"],
    );
    const dst = zeros(k, h * w * 4);
    k.flood(put(k, img), put(k, markers), put(k, mask), dst, h, w, conn);
    const diff = countDiff(take(k, Uint32Array, dst, h * w), asType(Uint32Array, res.l));
    assert.equal(diff, 0, `case ${h}x${w} conn=${conn}`);
  }
});

/** Runs skimage's watershed and ours on the same inputs; returns the number of differing labels. */
async function compareWithSkimage(
  h: number,
  w: number,
  img: Float64Array,
  markers: Uint32Array,
  mask: Uint8Array,
  conn: number,
): Promise<number> {
  const k = await loadKernels();
  const res = await python(
    `from skimage.segmentation import watershed\n` +
      `im = inp('img', np.float64, (${h}, ${w})); mk = inp('mk', np.uint32, (${h}, ${w})).astype(np.int64)\n` +
      `ms = inp('ms', np.uint8, (${h}, ${w})).astype(bool)\n` +
      `out('l', watershed(im, mk, mask=ms, connectivity=${conn}).astype(np.uint32))`,
    { img, mk: markers, ms: mask },
    ["l"],
  );
  const a = put(k, img), b = put(k, markers), m = put(k, mask), dst = zeros(k, h * w * 4);
  k.flood(a, b, m, dst, h, w, conn);
  const diff = countDiff(take(k, Uint32Array, dst, h * w), asType(Uint32Array, res.l));
  for (const p of [a, b, m, dst]) k.free(p);
  return diff;
}

Deno.test("watershed equals skimage on continuous values (bucket queue path)", async () => {
  for (const conn of [1, 2]) {
    const [h, w] = [150, 170];
    const r = rng(77 + conn);
    const img = new Float64Array(h * w);
    for (let i = 0; i < img.length; i++) img[i] = r() * 1000 - 300;
    const markers = new Uint32Array(h * w);
    for (let i = 1; i <= 60; i++) markers[Math.floor(r() * h * w)] = i;
    const mask = new Uint8Array(h * w);
    for (let i = 0; i < mask.length; i++) mask[i] = r() < 0.9 ? 1 : 0;
    assert.equal(await compareWithSkimage(h, w, img, markers, mask, conn), 0, `conn=${conn}`);
  }
});

Deno.test("watershed equals skimage on clustered values (large sub-buckets are sorted)", async () => {
  // a few levels, each spread over 1e-9: thousands of distinct values share one queue bucket,
  // pushed out of value order, so the queue must sort them (not only walk them in push order)
  const [h, w] = [200, 210];
  const r = rng(31337);
  const img = new Float64Array(h * w);
  for (let i = 0; i < img.length; i++) {
    img[i] = Math.floor(r() * 12) + (r() < 0.3 ? 0 : r() * 1e-9);
  }
  const markers = new Uint32Array(h * w);
  for (let i = 1; i <= 80; i++) markers[Math.floor(r() * h * w)] = i;
  const mask = new Uint8Array(h * w).fill(1);
  for (const conn of [1, 2]) {
    assert.equal(await compareWithSkimage(h, w, img, markers, mask, conn), 0, `conn=${conn}`);
  }
});

Deno.test("watershed equals skimage on WGA-like input: all markers at 0, ties, +Inf", async () => {
  // a quantised distance map (many equal values), markers on its zeros, some zeros without a
  // marker (filtered nuclei), a band of +Inf (masked-fill), and markers sharing one id
  const [h, w] = [140, 160];
  const r = rng(4242);
  const seeds: [number, number][] = [];
  for (let i = 0; i < 40; i++) seeds.push([Math.floor(r() * h), Math.floor(r() * w)]);
  const img = new Float64Array(h * w);
  const markers = new Uint32Array(h * w);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let d = Infinity;
      for (const [sy, sx] of seeds) d = Math.min(d, Math.hypot(y - sy, x - sx));
      img[y * w + x] = x > 150 ? Infinity : Math.round(d * 2) / 2;
    }
  }
  seeds.forEach(([sy, sx], i) => {
    if (i % 7 !== 3) markers[sy * w + sx] = 1 + (i % 35);
  });
  const mask = new Uint8Array(h * w);
  for (let i = 0; i < mask.length; i++) mask[i] = r() < 0.97 ? 1 : 0;
  for (const conn of [1, 2]) {
    assert.equal(await compareWithSkimage(h, w, img, markers, mask, conn), 0, `conn=${conn}`);
  }
});

Deno.test("watershed equals skimage with extreme value ranges (overflow list)", async () => {
  const [h, w] = [90, 110];
  const r = rng(9001);
  const img = new Float64Array(h * w);
  for (let i = 0; i < img.length; i++) {
    const u = r();
    img[i] = u < 0.05 ? Infinity : u < 0.1 ? -1e300 : u < 0.15 ? 1e300 : Math.floor(u * 50);
  }
  const markers = new Uint32Array(h * w);
  for (let i = 1; i <= 25; i++) markers[Math.floor(r() * h * w)] = i;
  const mask = new Uint8Array(h * w).fill(1);
  assert.equal(await compareWithSkimage(h, w, img, markers, mask, 1), 0);
});

Deno.test("watershed: no markers gives all zero", async () => {
  const k = await loadKernels();
  const dst = zeros(k, 400);
  k.flood(put(k, new Float64Array(100)), zeros(k, 400), 0, dst, 10, 10, 1);
  assert.ok(take(k, Uint32Array, dst, 100).every((v) => v === 0));
});

Deno.test("watershed rasterTies: tied markers pop in raster order (skimage with the ties broken)", async () => {
  // Golden: skimage on the same image with each marker lowered by (count - rank) · 1e-6 (rank in
  // raster order). Non-marker values are integers, so the offsets change only the order among
  // markers of one value, which is what rasterTies defines.
  const k = await loadKernels();
  for (const [h, w, conn, levels] of [[70, 90, 1, 3], [64, 64, 2, 1]]) {
    const r = rng(h * w + conn + 9);
    const img = new Float64Array(h * w);
    for (let i = 0; i < img.length; i++) img[i] = Math.floor(r() * 6);
    const markers = new Uint32Array(h * w);
    for (let i = 1; i <= 80; i++) markers[Math.floor(r() * h * w)] = i;
    const mask = new Uint8Array(h * w);
    for (let i = 0; i < mask.length; i++) mask[i] = r() < 0.9 ? 1 : 0;
    const shifted = img.slice();
    const count = markers.filter((m) => m !== 0).length;
    let rank = 0, shared = 0;
    const seen = new Set<number>();
    for (let i = 0; i < img.length; i++) {
      if (markers[i] === 0) continue;
      img[i] = Math.floor(r() * levels); // markers share `levels` values
      if (seen.has(img[i])) shared++;
      seen.add(img[i]);
      shifted[i] = img[i] - (count - rank++) * 1e-6;
    }
    assert.ok(shared > 50, "markers must share values for the test to mean anything");
    const res = await python(
      `from skimage.segmentation import watershed\n` +
        `im = inp('img', np.float64, (${h}, ${w})); mk = inp('mk', np.uint32, (${h}, ${w})).astype(np.int64)\n` +
        `ms = inp('ms', np.uint8, (${h}, ${w})).astype(bool)\n` +
        `out('l', watershed(im, mk, mask=ms, connectivity=${conn}).astype(np.uint32))`,
      { img: shifted, mk: markers, ms: mask },
      ["l"],
    );
    const a = put(k, img), b = put(k, markers), m = put(k, mask), dst = zeros(k, h * w * 4);
    k.floodRaster(a, b, m, dst, h, w, conn);
    const diff = countDiff(take(k, Uint32Array, dst, h * w), asType(Uint32Array, res.l));
    for (const p of [a, b, m, dst]) k.free(p);
    assert.equal(diff, 0, `case ${h}x${w} conn=${conn} levels=${levels}`);
  }
});
