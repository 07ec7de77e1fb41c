import assert from "node:assert/strict";
import { asType, loadKernels, put, python, rng, take, zeros } from "../_harness.ts";
import { GOLDEN_LABELS } from "./filters_golden.ts";

Deno.test("size filter [1, 2] on the upstream golden case keeps only label 2", async () => {
  const k = await loadKernels();
  const p = put(k, GOLDEN_LABELS);
  assert.equal(k.sizeFilt(p, 9, 1, 2, 0.95), 1);
  assert.deepEqual(Array.from(take(k, Uint32Array, p, 9)), [0, 0, 0, 0, 2, 0, 0, 0, 2]);
});

Deno.test("norm.ppf agrees with scipy to 1e-9 (relative)", async () => {
  const k = await loadKernels();
  const ps = [1e-10, 0.001, 0.01, 0.025, 0.1, 0.3, 0.5, 0.7, 0.975, 0.99, 0.999999];
  const res = await python(
    `from scipy.stats import norm\nout('q', norm.ppf(np.array(${JSON.stringify(ps)})))`,
    {},
    ["q"],
  );
  const q = asType(Float64Array, res.q);
  ps.forEach((p, i) => assert.ok(Math.abs(k.ppf(p) - q[i]) < 1e-9 * Math.max(1, Math.abs(q[i]))));
});

Deno.test("log-normal thresholds equal the GaussianMixture(1) fit (sklearn if installed, else its closed form)", async () => {
  const k = await loadKernels();
  const r = rng(8);
  const m = 300;
  const counts = new Uint32Array(m + 1);
  for (let i = 1; i <= m; i++) counts[i] = Math.max(1, Math.round(Math.exp(5 + r() * 1.5 + r())));
  const res = await python(
    `from sklearn.mixture import GaussianMixture\nfrom scipy.stats import norm\n` +
      `c = inp('c', np.uint32)[1:].astype(float)\ng = GaussianMixture(n_components=1, random_state=0)\n` +
      `g.fit(np.log(c).reshape(-1, 1))\nmu = g.means_.flatten()[0]; s = np.sqrt(g.covariances_.flatten()[0])\n` +
      `out('t', np.exp([mu + s * norm.ppf(0.025), mu + s * norm.ppf(0.975)]))`,
    { c: counts },
    ["t"],
  ).catch((e) => ({ error: e }));
  const out = zeros(k, 16);
  k.lognormal(put(k, counts), m, 0.95, out);
  const got = take(k, Float64Array, out, 2);
  if ("error" in res) {
    // sklearn missing: check against the closed form the fit reduces to
    const logs = Array.from(counts).slice(1).map(Math.log);
    const mu = logs.reduce((a, b) => a + b) / m;
    const s = Math.sqrt(logs.reduce((a, b) => a + (b - mu) ** 2, 0) / m + 1e-6);
    assert.ok(Math.abs(got[0] - Math.exp(mu - 1.959963984540054 * s)) < 1e-6 * got[0]);
    assert.ok(Math.abs(got[1] - Math.exp(mu + 1.959963984540054 * s)) < 1e-6 * got[1]);
  } else {
    const t = asType(Float64Array, res.t);
    assert.ok(Math.abs(got[0] - t[0]) < 1e-9 * t[0], `${got[0]} vs ${t[0]}`);
    assert.ok(Math.abs(got[1] - t[1]) < 1e-9 * t[1], `${got[1]} vs ${t[1]}`);
  }
});
