/**
 * The statistics pre-pass: streamed window by window over a max-projected role plane, the Otsu
 * threshold and quantiles equal skimage/numpy on `np.maximum(ch0, ch2)` of the whole image; the
 * manifest's requests merge per tile channel.
 */
import assert from "node:assert/strict";
import type { ImageSource, PixelWindow } from "../../../../core/io/image_source.ts";
import {
  computeGlobalStats,
  planStatistics,
} from "../../../../core/steps/segment/global_stats_pass.ts";
import { blobImage } from "./segment_fixture.ts";

const H = 333, W = 517;

function memorySource(planes: Uint16Array[]): ImageSource {
  return {
    description: "memory",
    channels: planes.length,
    height: H,
    width: W,
    channelNames: planes.map((_, i) => `c${i}`),
    sourceDtype: "uint16",
    blockShape: [128, 128],
    readWindow(c: number, w: PixelWindow) {
      const out = new Uint16Array(w.height * w.width);
      for (let r = 0; r < w.height; r++) {
        const at = (w.y + r) * W + w.x;
        out.set(planes[c].subarray(at, at + w.width), r * w.width);
      }
      return Promise.resolve(out);
    },
    close: () => Promise.resolve(),
  };
}

Deno.test("stats of a max-projected plane equal skimage/numpy on the whole image", async () => {
  const planes = [blobImage(H, W, 1), blobImage(H, W, 2), blobImage(H, W, 3)];
  const roles = [{ role: "nucleus", channels: [0, 2] }, { role: "cytosol", channels: [1] }];
  const plans = planStatistics([
    { channel: "nucleus", otsu: true, quantiles: [0.01, 0.99] },
    { channel: 0, otsu: false, quantiles: [0.99, 0.5] },
  ], roles);
  assert.deepEqual(plans, [{ channel: 0, otsu: true, quantiles: [0.01, 0.99, 0.5] }]);
  const [stats] = await computeGlobalStats(memorySource(planes), roles, plans, {
    window: 100,
    progress: false,
  });
  const code = `
import sys, json, numpy as np
from skimage.filters import threshold_otsu
a = np.frombuffer(sys.stdin.buffer.read(), dtype="<u2").reshape(2, ${H}, ${W})
m = np.maximum(a[0], a[1])
print(json.dumps([float(threshold_otsu(m)), [float(np.quantile(m, q)) for q in (0.01, 0.99, 0.5)],
  int(m.min()), int(m.max()), float(m.mean())]))`;
  const child = new Deno.Command("/usr/bin/python3", {
    args: ["-c", code],
    stdin: "piped",
    stdout: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  const both = new Uint16Array(2 * H * W);
  both.set(planes[0]);
  both.set(planes[2], H * W);
  await writer.write(new Uint8Array(both.buffer));
  await writer.close();
  const [otsu, qs, min, max, mean] = JSON.parse(
    new TextDecoder().decode((await child.output()).stdout),
  );
  assert.equal(stats.channel, 0);
  assert.equal(stats.otsuThreshold, otsu);
  assert.deepEqual(stats.quantiles.map((q) => q.value), qs);
  assert.deepEqual([stats.min, stats.max], [min, max]);
  assert.ok(Math.abs(stats.mean - mean) < 1e-9 * mean);
});

Deno.test("a statistics request for a role the plugin does not read is refused", () => {
  assert.throws(
    () =>
      planStatistics([{ channel: "cytosol", otsu: true, quantiles: [] }], [
        { role: "nucleus", channels: [0] },
      ]),
    /"cytosol".*nucleus/,
  );
});
