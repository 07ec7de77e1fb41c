/**
 * SpatialDataStore: TS writes images + labels from real images; stock Python zarr 2.13 reads every
 * level and checks pixels against numpy pyramids and the NGFF / SpatialData metadata.
 */
import assert from "node:assert/strict";
import { isScportraitError } from "../../../../core/errors.ts";
import { SpatialDataStore } from "../../../../core/io/spatialdata/spatialdata_store.ts";

const HERE = new URL(".", import.meta.url).pathname;
const H = 509; // not a multiple of the 128 chunk
const W = 487;
const CHUNK = 128;

async function python(args: string[]): Promise<string> {
  const out = await new Deno.Command("/usr/bin/python3", { args, stderr: "piped" }).output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    assert.fail(`python ${args[0]} failed:\n${text}\n${new TextDecoder().decode(out.stderr)}`);
  }
  return text;
}

async function readInputs(dir: string) {
  await python([`${HERE}make_inputs.py`, dir, String(H), String(W)]);
  await Deno.writeTextFile(`${dir}/shape.json`, JSON.stringify([H, W]));
  const img = await Deno.readFile(`${dir}/image.bin`);
  const lab = await Deno.readFile(`${dir}/labels.bin`);
  return {
    image: new Uint16Array(img.buffer, img.byteOffset, img.byteLength / 2),
    labels: new Uint32Array(lab.buffer, lab.byteOffset, lab.byteLength / 4),
  };
}

function window<T extends Uint16Array | Uint32Array>(
  plane: T,
  y0: number,
  x0: number,
  h: number,
  w: number,
): T {
  const Ctor = plane.constructor as new (n: number) => T;
  const out = new Ctor(h * w);
  for (let r = 0; r < h; r++) {
    out.set(plane.subarray((y0 + r) * W + x0, (y0 + r) * W + x0 + w), r * w);
  }
  return out;
}

async function writeAll(
  write: (y0: number, x0: number, h: number, w: number) => Promise<void>,
): Promise<void> {
  const jobs: Promise<void>[] = [];
  for (let y0 = 0; y0 < H; y0 += CHUNK) {
    for (let x0 = 0; x0 < W; x0 += CHUNK) {
      jobs.push(write(y0, x0, Math.min(CHUNK, H - y0), Math.min(CHUNK, W - x0)));
    }
  }
  await Promise.all(jobs); // concurrent chunk writes
}

for (const labelsDtype of ["uint64", "uint32"] as const) {
  Deno.test(`store written in TS reads identically in Python zarr 2.13 (labels ${labelsDtype})`, async () => {
    const dir = await Deno.makeTempDir();
    try {
      const { image, labels } = await readInputs(dir);
      const store = await SpatialDataStore.create(`${dir}/scportrait.sdata`);
      const img = await store.createImage("input_image", {
        channels: 3,
        height: H,
        width: W,
        channelNames: ["DNA", "PH3", "cell"],
        chunk: [1, CHUNK, CHUNK],
      });
      assert.deepEqual(img.levelShapes, [[509, 487], [254, 243], [63, 60], [7, 7]]);
      await writeAll(async (y0, x0, h, w) => {
        for (let c = 0; c < 3; c++) {
          const plane = image.subarray(c * H * W, (c + 1) * H * W);
          await img.writeChunk(c, y0, x0, window(plane, y0, x0, h, w), h, w);
        }
      });
      await img.finalize({ progress: false });
      const lab = await store.createLabels("seg_all_nucleus", {
        height: H,
        width: W,
        chunk: [CHUNK, CHUNK],
        dtype: labelsDtype,
      });
      await writeAll((y0, x0, h, w) => lab.writeChunk(y0, x0, window(labels, y0, x0, h, w), h, w));
      await lab.finalize({ progress: false });

      const out = await python([
        `${HERE}verify_store.py`,
        `${dir}/scportrait.sdata`,
        dir,
        "2,4,8",
        labelsDtype,
      ]);
      assert.equal(out.trim(), "OK");

      // Read back through our own reader too (level 0 exact, level 1 window vs level 0 mean).
      const reopened = await SpatialDataStore.open(`${dir}/scportrait.sdata`);
      const source = await reopened.openImage("input_image");
      assert.deepEqual(source.channelNames, ["DNA", "PH3", "cell"]);
      assert.equal(source.height, H);
      const win = await source.readWindow(2, { y: 100, x: 200, height: 50, width: 70 });
      assert.deepEqual(win, window(image.subarray(2 * H * W), 100, 200, 50, 70));
      const l1 = await source.readLevelWindow(1, 0, { y: 10, x: 20, height: 1, width: 1 });
      const p = (y: number, x: number) => image[y * W + x];
      assert.equal(l1[0], Math.floor((p(20, 40) + p(20, 41) + p(21, 40) + p(21, 41)) / 4));
      const labelsSource = await reopened.openLabels("seg_all_nucleus");
      assert.equal(labelsSource.dtype, labelsDtype);
      const lw = await labelsSource.readWindow({ y: 300, x: 0, height: 9, width: W });
      assert.deepEqual(Array.from(lw, Number), Array.from(window(labels, 300, 0, 9, W)));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("existing and unfinished elements: ELEMENT_EXISTS, ELEMENT_INCOMPLETE, overwrite", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const store = await SpatialDataStore.create(`${dir}/s.sdata`);
    await assert.rejects(
      SpatialDataStore.create(`${dir}/s.sdata`),
      (e) => isScportraitError(e, "STORE_EXISTS"),
    );
    const options = { channels: 1, height: 10, width: 12, channelNames: ["a"], scaleFactors: [] };
    const first = await store.createImage("input_image", options);
    // Not finalized: listed as incomplete, refused by openImage, refused by createImage.
    assert.deepEqual(await store.elements(), [{
      type: "images",
      name: "input_image",
      complete: false,
    }]);
    await assert.rejects(
      store.openImage("input_image"),
      (e) => isScportraitError(e, "ELEMENT_INCOMPLETE"),
    );
    await assert.rejects(
      store.createImage("input_image", options),
      (e) => isScportraitError(e, "ELEMENT_EXISTS"),
    );
    await assert.rejects(
      first.finalize({ progress: false }),
      (e) => isScportraitError(e, "STORE_INVALID"),
    );
    assert.equal(
      ((await store.rootAttrs()).sdata_status as Record<string, boolean>).input_images,
      false,
    );

    const second = await store.createImage("input_image", { ...options, overwrite: true });
    await second.writeChunk(0, 0, 0, new Uint16Array(120).fill(7), 10, 12);
    await assert.rejects(
      second.writeChunk(0, 0, 1, new Uint16Array(120), 10, 12),
      (e) => isScportraitError(e, "STORE_INVALID"),
    );
    await second.finalize({ progress: false });
    assert.deepEqual(await store.elements(), [{
      type: "images",
      name: "input_image",
      complete: true,
    }]);
    assert.equal(
      ((await store.rootAttrs()).sdata_status as Record<string, boolean>).input_images,
      true,
    );
    await assert.rejects(
      store.createImage("input_image", options),
      (e) => isScportraitError(e, "ELEMENT_EXISTS"),
    );
    await assert.rejects(store.openImage("nope"), (e) => isScportraitError(e, "ELEMENT_NOT_FOUND"));
    const px = await (await store.openImage("input_image")).readWindow(0, {
      y: 9,
      x: 11,
      height: 1,
      width: 1,
    });
    assert.equal(px[0], 7);
    await store.deleteElement("images", "input_image");
    assert.deepEqual(await store.elements(), []);
    assert.equal(
      ((await store.rootAttrs()).sdata_status as Record<string, boolean>).input_images,
      false,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
