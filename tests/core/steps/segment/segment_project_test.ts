/**
 * The segmentation driver end to end with threshold-segmentation: masks and ids bit-identical for
 * tile sizes 512/1024/2048 and 1 vs 2 workers; equal to scikit-image's
 * `label(img > threshold_otsu(img), connectivity=2)` with each component's id = its first pixel
 * in raster order + 1; centres equal numpy means; classes.csv; provenance counts.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { segmentProject } from "../../../../core/steps/segment/segment_project.ts";
import {
  blobImage,
  makeProject,
  readMask,
  thresholdConfig,
  thresholdPlugin,
} from "./segment_fixture.ts";

const H = 2600, W = 2300;

async function pythonIds(img: Uint16Array): Promise<Float64Array> {
  const code = `
import sys, numpy as np
from skimage.filters import threshold_otsu
from skimage.measure import label
img = np.frombuffer(sys.stdin.buffer.read(), dtype="<u2").reshape(${H}, ${W})
lab = label(img > threshold_otsu(img), connectivity=2)
flat = lab.ravel()
first = np.full(lab.max() + 1, -1, dtype=np.int64)
idx = np.arange(flat.size)[::-1]
first[flat[::-1]] = idx          # last write wins: the smallest flat index of each label
ids = np.where(flat > 0, first[flat] + 1, 0).astype("<f8")
sys.stdout.buffer.write(ids.tobytes())
`;
  const child = new Deno.Command("/usr/bin/python3", {
    args: ["-c", code],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new Uint8Array(img.buffer));
  await writer.close();
  const out = await child.output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  return new Float64Array(out.stdout.buffer);
}

Deno.test({
  name: "masks and ids are identical for tile sizes 512/1024/2048 and 1 vs 2 workers, as skimage",
  sanitizeResources: false,
  sanitizeOps: false,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "seg_invariance_" });
    try {
      const img = blobImage(H, W, 11);
      const expected = await pythonIds(img);
      const runs: [number, number][] = [[512, 1], [1024, 2], [2048, 1], [512, 2]];
      let reference: BigUint64Array | undefined;
      for (const [tileSize, workers] of runs) {
        const where = join(dir, `p_${tileSize}_${workers}`);
        const project = await makeProject(where, thresholdConfig(), [img], H, W);
        const result = await segmentProject(project, {
          plugin: await thresholdPlugin(where),
          tileSize,
          workers,
          quiet: true,
          warn: (m) => assert.fail(`unexpected warning: ${m}`),
        });
        assert.equal(result.truncated, 0);
        const mask = await readMask(project, "seg_all_nucleus");
        if (reference === undefined) {
          reference = mask;
          let mismatches = 0;
          for (let i = 0; i < mask.length; i++) {
            if (Number(mask[i]) !== expected[i]) mismatches++;
          }
          assert.equal(mismatches, 0, "ids differ from skimage label + first-pixel anchors");
          const ids = new Set(expected.filter((v) => v > 0));
          assert.ok(ids.size > 3000, `only ${ids.size} cells`);
          assert.equal(result.counts.nucleus, ids.size);
          // classes.csv: every id once, ascending
          const classes = (await Deno.readTextFile(join(where, "segmentation/classes.csv")))
            .trim().split("\n").map(Number);
          assert.deepEqual(classes, [...ids].sort((a, b) => a - b));
          // centres: the mean pixel position of each id
          const sums = new Map<number, [number, number, number]>();
          expected.forEach((id, i) => {
            if (id === 0) return;
            const s = sums.get(id) ?? [0, 0, 0];
            s[0] += i % W;
            s[1] += Math.floor(i / W);
            s[2]++;
            sums.set(id, s);
          });
          const csv = (await Deno.readTextFile(
            join(where, "segmentation/centers_seg_all_nucleus.csv"),
          )).trim().split("\n");
          assert.equal(csv[0], "id,x,y");
          assert.equal(csv.length - 1, ids.size);
          for (const line of csv.slice(1)) {
            const [id, x, y] = line.split(",").map(Number);
            const [sx, sy, n] = sums.get(id)!;
            assert.ok(Math.abs(x - sx / n) < 1e-9 && Math.abs(y - sy / n) < 1e-9, line);
          }
          const prov = await project.provenance();
          const last = prov.steps.at(-1)!;
          assert.equal(last.step, "segmentation");
          assert.deepEqual(last.counts, { nucleus: ids.size });
        } else {
          assert.ok(
            mask.every((v, i) => v === reference![i]),
            `tile ${tileSize} × ${workers} workers differs from the first run`,
          );
        }
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
