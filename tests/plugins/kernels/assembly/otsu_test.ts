import assert from "node:assert/strict";
import { asType, loadKernels, put, python, rng } from "../_harness.ts";

Deno.test("512-bin Otsu equals scPortrait global_otsu (numpy) on u16 images", async () => {
  const k = await loadKernels();
  const cases: [number, number][] = [[5000, 65535], [20000, 3000], [333, 40], [10, 1]];
  for (const [n, maxV] of cases) {
    const r = rng(n);
    const img = new Uint16Array(n);
    // bimodal
    for (let i = 0; i < n; i++) {
      img[i] = Math.min(maxV, Math.floor((r() < 0.4 ? 0.7 : 0.2) * maxV + r() * 0.2 * maxV));
    }
    const res = await python(
      // scPortrait's global_otsu, verbatim semantics
      `image = inp('img', np.uint16)\n` +
        `counts, bin_edges = np.histogram(np.ravel(image), bins=512)\n` +
        `bin_centers = bin_edges[:-1] + np.diff(bin_edges) / 2\n` +
        `weight1 = np.cumsum(counts)\nweight2 = np.cumsum(counts[::-1])[::-1]\n` +
        `mean1 = np.cumsum(counts * bin_centers) / weight1\n` +
        `mean2 = (np.cumsum((counts * bin_centers)[::-1]) / weight2[::-1])[::-1]\n` +
        `variance12 = weight1[:-1] * weight2[1:] * (mean1[:-1] - mean2[1:]) ** 2\n` +
        `out('t', np.array([bin_centers[np.argmax(variance12)]], dtype=np.float64))`,
      { img },
      ["t"],
    );
    const t = k.otsuU16(put(k, img), n, 512);
    assert.equal(t, asType(Float64Array, res.t)[0], `n=${n} max=${maxV}`);
  }
});

Deno.test("Otsu of an empty image is NaN", async () => {
  const k = await loadKernels();
  assert.ok(Number.isNaN(k.otsuU16(put(k, new Uint16Array(1)), 0, 512)));
});
