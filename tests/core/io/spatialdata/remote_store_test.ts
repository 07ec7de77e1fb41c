/** A SpatialData store served over http opens read-only and reads elements chunk by chunk. */
import assert from "node:assert/strict";
import { isScportraitError } from "../../../../core/errors.ts";
import { SpatialDataStore } from "../../../../core/io/spatialdata/spatialdata_store.ts";

Deno.test("http SpatialData store: read-only, openImage/openLabels read exact pixels", async () => {
  const dir = await Deno.makeTempDir();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const path = decodeURIComponent(new URL(req.url).pathname);
    if (path.includes("..")) return new Response("bad path", { status: 400 });
    try {
      return new Response(await Deno.readFile(`${dir}${path}`));
    } catch {
      return new Response("not found", { status: 404 });
    }
  });
  try {
    const local = await SpatialDataStore.create(`${dir}/s.sdata`);
    const img = await local.createImage("input_image", {
      channels: 2,
      height: 70,
      width: 33,
      channelNames: ["a", "b"],
      chunk: [1, 32, 32],
      scaleFactors: [2],
    });
    const plane = (c: number) => Uint16Array.from({ length: 70 * 33 }, (_, i) => i * 7 + c);
    for (let c = 0; c < 2; c++) {
      for (let y = 0; y < 70; y += 32) {
        for (let x = 0; x < 33; x += 32) {
          const h = Math.min(32, 70 - y);
          const w = Math.min(32, 33 - x);
          const data = new Uint16Array(h * w);
          for (let r = 0; r < h; r++) {
            data.set(plane(c).subarray((y + r) * 33 + x, (y + r) * 33 + x + w), r * w);
          }
          await img.writeChunk(c, y, x, data, h, w);
        }
      }
    }
    await img.finalize({ progress: false });

    const remote = await SpatialDataStore.open(`http://127.0.0.1:${server.addr.port}/s.sdata`);
    assert.equal(remote.readOnly, true);
    const status = (await remote.rootAttrs()).sdata_status as Record<string, boolean>;
    assert.equal(status.input_images, true);
    const source = await remote.openImage("input_image");
    assert.deepEqual(source.levels.map((l) => [l.height, l.width]), [[70, 33], [35, 16]]);
    assert.deepEqual(await source.readWindow(1, { y: 0, x: 0, height: 70, width: 33 }), plane(1));
    await assert.rejects(
      remote.createImage("other", { channels: 1, height: 1, width: 1, channelNames: ["a"] }),
      (e) => isScportraitError(e, "USAGE"),
    );
    await assert.rejects(
      remote.openLabels("nope"),
      (e) => isScportraitError(e, "ELEMENT_NOT_FOUND"),
    );
  } finally {
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
