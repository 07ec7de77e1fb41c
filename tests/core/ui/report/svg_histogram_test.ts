/**
 * Histogram bins equal numpy.histogram's counts and edges (last bin closed, NaN left out);
 * the SVG has one bar per bin.
 * @module
 */
import assert from "node:assert/strict";
import { histogramBins, histogramSvg } from "../../../../core/ui/report/svg_histogram.ts";
import { runPython } from "../../io/h5sc/run_python.ts";

Deno.test("histogramBins matches numpy.histogram", async () => {
  const values = Array.from({ length: 997 }, (_, i) => ((i * 7919) % 1000) / 7 - 20);
  values.push(Math.max(...values)); // the maximum lands in the last (closed) bin
  const got = histogramBins([...values, NaN], 13);
  const np = await runPython(
    `
import sys, json, numpy as np
v = np.array(json.loads(sys.argv[1]))
c, e = np.histogram(v, bins=13)
print(json.dumps({"counts": c.tolist(), "min": e[0], "max": e[-1]}))
`,
    [JSON.stringify(values)],
  ) as { counts: number[]; min: number; max: number };
  assert.deepEqual(got.counts, np.counts);
  assert.equal(got.min, np.min);
  assert.equal(got.max, np.max);
  assert.equal(got.skipped, 1);
});

Deno.test("histogramSvg draws one bar per bin and escapes the title", () => {
  const svg = histogramSvg([1, 2, 2, 3], { title: "a<b", xLabel: "x", bins: 4 });
  assert.equal(svg.match(/<rect /g)?.length, 4);
  assert.match(svg, /a&lt;b/);
  assert.match(svg, /n = 4/);
});
