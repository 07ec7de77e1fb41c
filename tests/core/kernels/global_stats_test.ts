/**
 * Histogram statistics against numpy (`np.quantile`, min/max/mean) and scikit-image
 * (`threshold_otsu`), computed by /usr/bin/python3 on the same pixels in the test.
 */
import assert from "node:assert/strict";
import { accumulateU16, newHistogramU16 } from "../../../core/kernels/histogram_u16.ts";
import {
  histogramSummary,
  otsuFromHistogram,
  quantileFromHistogram,
} from "../../../core/kernels/global_stats.ts";

const QS = [0, 0.001, 0.01, 0.02, 0.25, 0.5, 0.75, 0.98, 0.99, 0.999, 1];

async function python(code: string, input: Uint8Array): Promise<Record<string, number[]>> {
  const child = new Deno.Command("/usr/bin/python3", {
    args: ["-c", code],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(input);
  await writer.close();
  const r = await child.output();
  assert.ok(r.success, new TextDecoder().decode(r.stderr));
  return JSON.parse(new TextDecoder().decode(r.stdout));
}

const PY = `
import sys, json, numpy as np
from skimage.filters import threshold_otsu
img = np.frombuffer(sys.stdin.buffer.read(), dtype="<u2")
qs = ${JSON.stringify(QS)}
print(json.dumps({
  "q": [float(np.quantile(img, q)) for q in qs],
  "otsu": [float(threshold_otsu(img)), float(threshold_otsu(img, nbins=512))],
  "summary": [int(img.min()), int(img.max()), float(img.mean())],
}))
`;

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

async function check(name: string, pixels: Uint16Array) {
  const hist = newHistogramU16();
  // in two chunks, as the streaming pre-pass does
  const half = pixels.length >> 1;
  accumulateU16(hist, pixels.subarray(0, half));
  accumulateU16(hist, pixels.subarray(half));
  const ref = await python(PY, new Uint8Array(pixels.buffer));
  QS.forEach((q, i) => assert.equal(quantileFromHistogram(hist, q), ref.q[i], `${name} q=${q}`));
  assert.equal(otsuFromHistogram(hist), ref.otsu[0], `${name} otsu`);
  assert.equal(otsuFromHistogram(hist), ref.otsu[1], `${name} otsu nbins=512 (ignored)`);
  const s = histogramSummary(hist);
  assert.deepEqual([s.min, s.max], ref.summary.slice(0, 2), `${name} min/max`);
  assert.ok(Math.abs(s.mean - ref.summary[2]) <= 1e-9 * ref.summary[2], `${name} mean`);
}

Deno.test("quantiles, Otsu, min/max/mean equal numpy and skimage on a bimodal image", async () => {
  const rnd = lcg(7);
  const px = new Uint16Array(250_001);
  for (let i = 0; i < px.length; i++) {
    const fg = rnd() < 0.3;
    px[i] = Math.min(65535, Math.round((fg ? 9000 : 1200) + (rnd() + rnd() - 1) * 2500));
  }
  await check("bimodal", px);
});

Deno.test("statistics on a sparse image with few distinct values and a 16-bit range", async () => {
  const rnd = lcg(3);
  const px = new Uint16Array(10_007);
  for (let i = 0; i < px.length; i++) px[i] = rnd() < 0.95 ? 0 : rnd() < 0.5 ? 65535 : 300;
  await check("sparse", px);
});

Deno.test("an image of one value has that value as Otsu threshold and every quantile", () => {
  const hist = newHistogramU16();
  accumulateU16(hist, new Uint16Array(100).fill(42));
  assert.equal(otsuFromHistogram(hist), 42); // skimage returns the single value
  assert.equal(quantileFromHistogram(hist, 0.37), 42);
});

Deno.test("an empty histogram or a probability outside [0, 1] is refused", () => {
  assert.throws(() => quantileFromHistogram(newHistogramU16(), 0.5), /empty image/);
  const hist = newHistogramU16();
  accumulateU16(hist, new Uint16Array([1, 2]));
  assert.throws(() => quantileFromHistogram(hist, 1.5), /not in \[0, 1\]/);
});
