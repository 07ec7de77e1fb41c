/**
 * loadInputImage end to end: TIFFs written by Python tifffile → input_image through the Worker
 * pool with the streamed pyramid, checked by Python zarr + numpy against the TIFF pixels; an
 * aborted load resumes and still yields the exact pyramid.
 */
import assert from "node:assert/strict";
import { openTiffSource } from "../../../../core/io/tiff/open_tiff_source.ts";
import { SpatialDataStore } from "../../../../core/io/spatialdata/spatialdata_store.ts";
import { loadInputImage } from "../../../../core/steps/load/load_input.ts";

const VERIFY = new URL("../../io/spatialdata/verify_pyramid.py", import.meta.url).pathname;
const H = 1100;
const W = 1300;

const MAKE = `
import sys, numpy as np, tifffile
rng = np.random.default_rng(3)
d = sys.argv[1]
yy, xx = np.mgrid[0:${H}, 0:${W}]
planes = [((np.sin(xx / (9 + c)) + np.cos(yy / 13)) * 9000 + 20000 + rng.integers(0, 900, (${H}, ${W})))
          .astype(np.uint16) for c in range(3)]
for c, p in enumerate(planes):
    tifffile.imwrite(f"{d}/c{c}.tif", p, rowsperstrip=64)
np.stack(planes).astype("<u2").tofile(f"{d}/image.raw")
`;

async function run(cmd: string, args: string[]): Promise<string> {
  const out = await new Deno.Command(cmd, { args, stderr: "piped" }).output();
  const text = new TextDecoder().decode(out.stdout);
  assert.ok(out.success, `${args[0]}: ${text}${new TextDecoder().decode(out.stderr)}`);
  return text;
}

async function setUp() {
  const dir = await Deno.makeTempDir();
  await run("/usr/bin/python3", ["-c", MAKE, dir]);
  return { dir, tifs: [0, 1, 2].map((c) => `${dir}/c${c}.tif`) };
}

Deno.test("load: Worker pool + streamed pyramid equal tifffile pixels and numpy levels", async () => {
  const { dir, tifs } = await setUp();
  try {
    const source = await openTiffSource(tifs, { channelNames: ["DAPI", "WGA", "Marker"] });
    const store = await SpatialDataStore.create(`${dir}/s.sdata`);
    const result = await loadInputImage(source, store, {
      chunkSize: 256,
      encoderWorkers: 2,
      progress: { quiet: true },
    });
    await source.close();
    assert.deepEqual(result.shape, [3, H, W]);
    assert.equal(result.chunksWritten, 3 * 5 * 6);
    const out = await run("/usr/bin/python3", [
      VERIFY,
      `${dir}/s.sdata/images/input_image`,
      `${dir}/image.raw`,
      "<u2",
      `3,${H},${W}`,
      "2,4,8",
      "mean",
    ]);
    assert.equal(out.trim(), "OK");
    assert.equal(
      ((await store.rootAttrs()).sdata_status as { input_images: boolean }).input_images,
      true,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("load: an aborted load resumes, keeps its chunks and rebuilds the pyramid", async () => {
  const { dir, tifs } = await setUp();
  try {
    const store = await SpatialDataStore.create(`${dir}/s.sdata`);
    const first = await openTiffSource(tifs);
    const abort = new AbortController();
    const chunkFiles = () =>
      Array.from(Deno.readDirSync(`${dir}/s.sdata/images/.input_image.incomplete/0/1`)).length;
    const timer = setInterval(() => {
      try {
        if (chunkFiles() > 0) abort.abort(); // stop once channel 1 has begun
      } catch { /* not created yet */ }
    }, 1);
    await assert.rejects(
      loadInputImage(first, store, {
        chunkSize: 256,
        encoderWorkers: 1,
        concurrency: 1,
        signal: abort.signal,
        progress: { quiet: true },
      }),
    );
    clearInterval(timer);
    await first.close();
    assert.equal((await store.elements())[0].complete, false);
    const second = await openTiffSource(tifs);
    const result = await loadInputImage(second, store, {
      chunkSize: 256,
      encoderWorkers: 2,
      progress: { quiet: true },
    });
    await second.close();
    assert.ok(result.chunksResumed >= 30, `resumed ${result.chunksResumed}`);
    assert.equal(result.chunksResumed + result.chunksWritten, 90);
    const out = await run("/usr/bin/python3", [
      VERIFY,
      `${dir}/s.sdata/images/input_image`,
      `${dir}/image.raw`,
      "<u2",
      `3,${H},${W}`,
      "2,4,8",
      "mean",
    ]);
    assert.equal(out.trim(), "OK");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
