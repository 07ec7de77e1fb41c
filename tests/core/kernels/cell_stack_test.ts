/**
 * CellStackKernel against a numpy/scipy/skimage recomputation of scPortrait's per-cell steps, on
 * the cases that take the kernel's different quantile paths: a cell smaller than the window (lower
 * quantile 0, upper from the top values seen in the scan), a cell covering the whole window (lower
 * quantile by selection among the positives), a range whose upper rank needs more than the tracked
 * top values (selection), and no normalisation (/ 65535).
 */
import assert from "node:assert/strict";
import { CellStackKernel } from "../../../core/kernels/cell_stack.ts";
import { runPython } from "../io/h5sc/run_python.ts";

const S = 32;
const CASES: { name: string; normalization: boolean; range: [number, number]; radius: number }[] = [
  { name: "small cell", normalization: true, range: [0.001, 0.999], radius: 9 },
  { name: "cell covers the window", normalization: true, range: [0.001, 0.999], radius: 40 },
  {
    name: "wide range (upper rank by selection)",
    normalization: true,
    range: [0.2, 0.5],
    radius: 12,
  },
  { name: "no normalisation", normalization: false, range: [0.001, 0.999], radius: 11 },
];

Deno.test("CellStackKernel equals numpy/scipy/skimage per cell, every quantile path", async () => {
  const r = await runPython(
    `
import sys, json, numpy as np
from scipy.ndimage import binary_fill_holes
from skimage.filters import gaussian
S = ${S}
cases = json.loads(sys.argv[1])
rng = np.random.default_rng(9)
yy, xx = np.mgrid[:S, :S]
out = []
def norm(im, lo, hi):
    a, b = np.quantile(np.ravel(im), lo), np.quantile(np.ravel(im), hi)
    o = im - a
    if b - a != 0: o = o / (b - a)
    return np.clip(o, 0, 1)
for c in cases:
    lab = np.zeros((S, S), np.uint64)
    lab[(yy - 15) ** 2 + (xx - 16) ** 2 < c["radius"] ** 2] = 7
    lab[3, 3] = 9  # another cell's pixel
    img = rng.integers(1, 60000, size=(2, S, S)).astype(np.uint16)
    m = gaussian(binary_fill_holes(lab == 7), preserve_range=True, sigma=1)
    data = img * m
    chans = [norm(d, *c["range"]) if c["normalization"] else d / 65535 for d in data]
    stack = np.stack([m, m] + chans).astype(np.float16)
    out.append({"labels": lab.astype(np.float64).ravel().tolist(), "image": img.reshape(2, -1).tolist(),
                "bits": stack.view(np.uint16).ravel().tolist()})
print(json.dumps(out))`,
    [JSON.stringify(CASES)],
  ) as { labels: number[]; image: number[][]; bits: number[] }[];
  CASES.forEach((c, i) => {
    const labels = BigUint64Array.from(r[i].labels, (v) => BigInt(v));
    const image = r[i].image.map((p) => Uint16Array.from(p));
    const kernel = new CellStackKernel(S, 2, { normalization: c.normalization, range: c.range });
    const out = new Uint16Array(4 * S * S);
    // twice: buffers reused from the first call must not leak into the second
    for (let rep = 0; rep < 2; rep++) {
      kernel.compute(7n, { labels: [labels, labels], image, tileWidth: S }, 0, 0, out, 0);
      const bad = out.findIndex((b, k) => b !== r[i].bits[k]);
      assert.equal(
        bad,
        -1,
        `${c.name}: value ${bad} is ${out[bad]}, numpy gives ${r[i].bits[bad]}`,
      );
    }
  });
});
