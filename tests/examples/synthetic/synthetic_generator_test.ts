/** The synthetic generator: window-independence, determinism, masks consistent with images. */
import assert from "node:assert/strict";
import { generateSynthetic } from "../../../examples/synthetic/synthetic_generator.ts";
import { isScportraitError } from "../../../core/errors.ts";

type Arr = Uint16Array | Uint32Array;

function stitch<T extends Arr>(
  pieces: { y: number; x: number; h: number; w: number; data: T }[],
  h: number,
  w: number,
  make: (n: number) => T,
): T {
  const out = make(h * w);
  for (const p of pieces) {
    for (let r = 0; r < p.h; r++) {
      out.set(p.data.subarray(r * p.w, (r + 1) * p.w), (p.y + r) * w + p.x);
    }
  }
  return out;
}

function same(a: Arr, b: Arr): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

const image = generateSynthetic({ height: 5000, width: 7000, seed: 11, cellDiameter: 40 });

Deno.test("a 600×600 region renders identically whole and as 4 uneven pieces", () => {
  const [Y, X] = [1234, 777];
  const whole = image.renderAll(Y, X, 600, 600);
  const cuts = [
    { y: 0, x: 0, h: 250, w: 311 },
    { y: 0, x: 311, h: 250, w: 289 },
    { y: 250, x: 0, h: 350, w: 311 },
    { y: 250, x: 311, h: 350, w: 289 },
  ];
  const parts = cuts.map((c) => ({ ...c, r: image.renderAll(Y + c.y, X + c.x, c.h, c.w) }));
  for (let ch = 0; ch < image.channels; ch++) {
    const joined = stitch(
      parts.map((p) => ({ ...p, data: p.r.channels[ch] })),
      600,
      600,
      (n) => new Uint16Array(n),
    );
    assert.ok(same(joined, whole.channels[ch]), `channel ${ch} differs`);
  }
  for (const key of ["nucleus", "cell"] as const) {
    const joined = stitch(
      parts.map((p) => ({ ...p, data: p.r[key] })),
      600,
      600,
      (n) => new Uint32Array(n),
    );
    assert.ok(same(joined, whole[key]), `${key} mask differs`);
  }
  const masksOnly = image.renderMasks(Y, X, 600, 600);
  assert.ok(same(masksOnly.cell, whole.cell) && same(masksOnly.nucleus, whole.nucleus));
  const channelsOnly = image.renderChannels(Y, X, 600, 600);
  assert.ok(channelsOnly.every((c, i) => same(c, whole.channels[i])));
});

Deno.test("corner windows at the image edge match the same pixels of a larger window", () => {
  const big = image.renderAll(4700, 6600, 300, 400);
  const corner = image.renderAll(4990, 6990, 10, 10);
  for (let r = 0; r < 10; r++) {
    for (let c = 0; c < 10; c++) {
      assert.equal(corner.channels[1][r * 10 + c], big.channels[1][(290 + r) * 400 + 390 + c]);
      assert.equal(corner.cell[r * 10 + c], big.cell[(290 + r) * 400 + 390 + c]);
    }
  }
});

Deno.test("same seed → same bytes; another seed → other bytes", () => {
  const a = generateSynthetic({ height: 5000, width: 7000, seed: 11, cellDiameter: 40 });
  const b = generateSynthetic({ height: 5000, width: 7000, seed: 12, cellDiameter: 40 });
  const w = a.renderAll(100, 200, 128, 160);
  const again = image.renderAll(100, 200, 128, 160);
  assert.ok(w.channels.every((c, i) => same(c, again.channels[i])));
  assert.ok(same(w.cell, again.cell));
  assert.ok(!same(w.channels[0], b.renderChannels(100, 200, 128, 160)[0]));
});

Deno.test("masks: nuclei inside their cell, ids from the grid, stains where the masks say", () => {
  const [h, w] = [800, 800];
  const r = image.renderAll(1000, 2000, h, w);
  const sums = { nuc: 0, nucN: 0, cyto: 0, cytoN: 0, bg: 0, bgN: 0, memCell: 0, memBg: 0 };
  const centroids = new Map<number, [number, number, number]>();
  for (let i = 0; i < h * w; i++) {
    const n = r.nucleus[i];
    const c = r.cell[i];
    if (n !== 0) assert.equal(n, c, `nucleus id ${n} outside its cell at pixel ${i}`);
    const dna = r.channels[0][i];
    if (n !== 0) [sums.nuc, sums.nucN] = [sums.nuc + dna, sums.nucN + 1];
    else if (c !== 0) [sums.cyto, sums.cytoN] = [sums.cyto + dna, sums.cytoN + 1];
    else [sums.bg, sums.bgN] = [sums.bg + dna, sums.bgN + 1];
    if (c !== 0) sums.memCell += r.channels[1][i];
    else sums.memBg += r.channels[1][i];
    if (c !== 0) {
      const e = centroids.get(c) ?? [0, 0, 0];
      centroids.set(c, [e[0] + 1000 + Math.floor(i / w), e[1] + 2000 + (i % w), e[2] + 1]);
    }
  }
  const cellCount = centroids.size;
  assert.ok(cellCount > 200 && cellCount < 500, `cells: ${cellCount}`);
  assert.ok(sums.bgN > 0.03 * h * w, "there is background");
  assert.ok(
    sums.nuc / sums.nucN > 5 * (sums.bg / sums.bgN),
    "nuclei much brighter than background",
  );
  assert.ok(sums.nuc / sums.nucN > 3 * (sums.cyto / sums.cytoN), "nuclei brighter than cytosol");
  assert.ok(
    sums.memCell / (h * w - sums.bgN) > 3 * (sums.memBg / sums.bgN),
    "membrane stain in cells",
  );
  const cols = Math.ceil(7000 / 40);
  for (const [id, [sy, sx, n]] of centroids) {
    if (n < 400) continue; // cut by the window edge or by neighbours
    const row = Math.floor((id - 1) / cols);
    const col = (id - 1) % cols;
    assert.ok(Math.abs(sy / n - (row + 0.5) * 40) < 20, `cell ${id} row centroid ${sy / n}`);
    assert.ok(Math.abs(sx / n - (col + 0.5) * 40) < 20, `cell ${id} col centroid ${sx / n}`);
  }
});

Deno.test("invalid sizes and windows are USAGE errors", () => {
  assert.throws(
    () => generateSynthetic({ height: 0, width: 10 }),
    (e) => isScportraitError(e, "USAGE"),
  );
  assert.throws(
    () => generateSynthetic({ height: 10, width: 10, channels: 5 }),
    (e) => isScportraitError(e, "USAGE"),
  );
  assert.throws(() => image.renderChannels(4990, 0, 11, 5), (e) => isScportraitError(e, "USAGE"));
});
