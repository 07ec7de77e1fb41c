/**
 * Previews from pyramid levels: the level chosen is the coarsest one at least as large as the
 * preview, and the sampled pixels equal that level read by Python zarr at the pixel centres
 * (`level[1::2, 1::2]` for a 2× reduction); labels keep their uint64 ids above 2^32.
 * @module
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { SpatialDataStore } from "../../../../core/io/spatialdata/spatialdata_store.ts";
import {
  levelForPreview,
  previewGeometry,
  samplePreview,
} from "../../../../core/ui/report/preview_sampler.ts";
import { imageChannelReader, labelsReader } from "../../../../core/ui/report/raster_readers.ts";
import { runPython } from "../../io/h5sc/run_python.ts";

Deno.test("samplePreview reads the right level at pixel centres, chunk by chunk", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const H = 300, W = 400, C = 64;
    const store = await SpatialDataStore.create(path.join(dir, "s.sdata"));
    const image = await store.createImage("input_image", {
      channels: 1,
      height: H,
      width: W,
      channelNames: ["a"],
      chunk: [1, C, C],
    });
    const labels = await store.createLabels("seg_all_nucleus", {
      height: H,
      width: W,
      chunk: [C, C],
    });
    for (let y0 = 0; y0 < H; y0 += C) {
      for (let x0 = 0; x0 < W; x0 += C) {
        const h = Math.min(C, H - y0), w = Math.min(C, W - x0);
        const px = new Uint16Array(h * w);
        const ids = new BigUint64Array(h * w);
        for (let y = 0; y < h; y++) {
          for (let x = 0; x < w; x++) {
            px[y * w + x] = ((y0 + y) * 131 + (x0 + x) * 17) % 65536;
            ids[y * w + x] = BigInt(Math.floor((y0 + y) / 10)) * 5_000_000_000n +
              BigInt(Math.floor((x0 + x) / 10));
          }
        }
        await image.writeChunk(0, y0, x0, px, h, w);
        await labels.writeChunk(y0, x0, ids, h, w);
      }
    }
    await image.finalize();
    await labels.finalize();
    const opened = await store.openImage("input_image");
    const g = previewGeometry(H, W, 100);
    assert.deepEqual([g.height, g.width], [75, 100]);
    assert.equal(levelForPreview(opened.levels, g), 1);
    const got = new Uint16Array(g.height * g.width);
    let chunks = 0;
    await samplePreview(imageChannelReader(opened, 0), g, got, () => chunks++);
    assert.equal(chunks, Math.ceil(150 / C) * Math.ceil(200 / C));
    const ids = new Float64Array(g.height * g.width);
    await samplePreview(labelsReader(await store.openLabels("seg_all_nucleus")), g, ids);
    const expected = await runPython(
      `
import sys, json, zarr
img = zarr.open(sys.argv[1] + "/images/input_image/1", mode="r")[0]
lab = zarr.open(sys.argv[1] + "/labels/seg_all_nucleus/1", mode="r")[:]
print(json.dumps({"img": img[1::2, 1::2].ravel().tolist(), "lab": [int(v) for v in lab[1::2, 1::2].ravel()]}))
`,
      [path.join(dir, "s.sdata")],
    ) as { img: number[]; lab: number[] };
    assert.deepEqual(Array.from(got), expected.img);
    assert.deepEqual(Array.from(ids), expected.lab);
    assert.ok(expected.lab.some((v) => v > 2 ** 32));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
