/**
 * openOmeZarrSource reads OME-Zarr written by stock Python zarr 2.13 (blosc, zstd; nested and flat
 * chunk keys; tczyx and yx axes), from disk and through an HTTP server (chunk requests only).
 */
import assert from "node:assert/strict";
import { isScportraitError } from "../../../../core/errors.ts";
import { openOmeZarrSource } from "../../../../core/io/ome_zarr/open_ome_zarr_source.ts";

const HERE = new URL(".", import.meta.url).pathname;
const H = 509;
const W = 487;

async function makeInputs(dir: string): Promise<void> {
  const out = await new Deno.Command("/usr/bin/python3", {
    args: [`${HERE}make_ome_zarr.py`, dir],
  }).output();
  if (!out.success) assert.fail(new TextDecoder().decode(out.stderr));
}

function crop(plane: Uint16Array, width: number, y: number, x: number, h: number, w: number) {
  const out = new Uint16Array(h * w);
  for (let r = 0; r < h; r++) {
    out.set(plane.subarray((y + r) * width + x, (y + r) * width + x + w), r * w);
  }
  return out;
}

async function checkTczyx(location: string, dir: string): Promise<void> {
  const bytes = await Deno.readFile(`${dir}/tczyx.bin`);
  const all = new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
  const source = await openOmeZarrSource(location);
  assert.equal(source.channels, 3);
  assert.equal(source.height, H);
  assert.equal(source.width, W);
  assert.deepEqual(source.channelNames, ["DNA", "PH3", "cell"]);
  assert.equal(source.sourceDtype, "uint16");
  assert.deepEqual(source.blockShape, [100, 100]);
  assert.equal(source.levels.length, 2);
  for (let c = 0; c < 3; c++) {
    const plane = all.subarray(c * H * W, (c + 1) * H * W);
    const full = await source.readWindow(c, { y: 0, x: 0, height: H, width: W });
    assert.deepEqual(full, plane);
    const part = await source.readWindow(c, { y: 95, x: 401, height: 17, width: 86 });
    assert.deepEqual(part, crop(plane, W, 95, 401, 17, 86));
    // straight into a caller's buffer, chunk by chunk (windows across chunk borders)
    for (const [y, x, h, w] of [[95, 401, 17, 86], [0, 0, H, W], [99, 99, 2, 2]]) {
      const into = new Uint16Array(h * w).fill(7);
      const got = await source.readWindow(c, { y, x, height: h, width: w }, { into });
      assert.equal(got, into);
      assert.deepEqual(got, crop(plane, W, y, x, h, w));
    }
  }
  await assert.rejects(
    source.readWindow(0, { y: 0, x: 0, height: 2, width: 2 }, { into: new Uint16Array(3) }),
    (e) => isScportraitError(e, "INPUT_INVALID") && /holds 3 samples, not 4/.test(e.message),
  );
  const level1 = await source.readLevelWindow(1, 1, { y: 3, x: 4, height: 1, width: 1 });
  assert.equal(level1[0], all[H * W + 6 * W + 8]);
  await assert.rejects(
    source.readWindow(3, { y: 0, x: 0, height: 1, width: 1 }),
    (e) => isScportraitError(e, "INPUT_INVALID"),
  );
  await source.close();
}

Deno.test("reads Python-written OME-Zarr from disk: tczyx uint16 and yx uint8 (×255)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await makeInputs(dir);
    await checkTczyx(`${dir}/tczyx.zarr`, dir);
    const u8 = await Deno.readFile(`${dir}/yx_u8.bin`);
    const source = await openOmeZarrSource(`file://${dir}/yx_u8.zarr`);
    assert.equal(source.channels, 1);
    assert.deepEqual(source.channelNames, ["channel_0"]);
    assert.equal(source.sourceDtype, "uint8");
    const full = await source.readWindow(0, { y: 0, x: 0, height: 300, width: 257 });
    assert.deepEqual(full, Uint16Array.from(u8, (v) => v * 255));
    await assert.rejects(
      openOmeZarrSource(`${dir}/missing.zarr`),
      (e) => isScportraitError(e, "INPUT_NOT_FOUND"),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("reads OME-Zarr over http with chunk requests only (FetchStore)", async () => {
  const dir = await Deno.makeTempDir();
  const requested: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    const path = decodeURIComponent(new URL(req.url).pathname);
    requested.push(path);
    if (path.includes("..")) return new Response("bad", { status: 400 });
    try {
      return new Response(await Deno.readFile(`${dir}${path}`));
    } catch {
      return new Response("not found", { status: 404 });
    }
  });
  try {
    await makeInputs(dir);
    const url = `http://127.0.0.1:${server.addr.port}/tczyx.zarr`;
    const source = await openOmeZarrSource(url);
    requested.length = 0;
    const bytes = await Deno.readFile(`${dir}/tczyx.bin`);
    const all = new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
    const part = await source.readWindow(2, { y: 120, x: 130, height: 60, width: 50 });
    assert.deepEqual(part, crop(all.subarray(2 * H * W), W, 120, 130, 60, 50));
    // The window lies in chunks (1..1, 1..1) of channel 2 only: one request, not the whole image.
    assert.deepEqual(requested, ["/tczyx.zarr/0/0/2/0/1/1"]);
    await checkTczyx(url, dir);
  } finally {
    await server.shutdown();
    await Deno.remove(dir, { recursive: true });
  }
});
