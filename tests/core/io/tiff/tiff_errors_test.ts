/** Every error of openTiffSource / readWindow: the code and that the message names the culprit. */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { openTiffSource } from "../../../../core/io/tiff/open_tiff_source.ts";
import { isScportraitError } from "../../../../core/errors.ts";

const dir = await Deno.makeTempDir({ prefix: "tiff_errors_" });
const made = await new Deno.Command("/usr/bin/python3", {
  args: [fileURLToPath(new URL("./make_tiff_fixtures.py", import.meta.url)), dir],
}).output();
if (!made.success) throw new Error(new TextDecoder().decode(made.stderr));

async function rejects(
  run: () => Promise<unknown>,
  code: string,
  ...mentions: string[]
): Promise<void> {
  await assert.rejects(run, (error: unknown) => {
    assert.ok(isScportraitError(error), `not a ScportraitError: ${error}`);
    assert.equal(error.code, code, error.message);
    for (const m of mentions) assert.ok(error.message.includes(m), `${m} not in: ${error.message}`);
    return true;
  });
}

Deno.test("missing file → INPUT_NOT_FOUND naming it", async () => {
  await rejects(
    () => openTiffSource([`${dir}/multipage.tif`, `${dir}/nope.tif`]),
    "INPUT_NOT_FOUND",
    "nope.tif",
  );
});

Deno.test("not a TIFF → INPUT_INVALID naming the file and geotiff's message", async () => {
  await rejects(
    () => openTiffSource([`${dir}/not_a_tiff.tif`]),
    "INPUT_INVALID",
    "not_a_tiff",
    "geotiff:",
  );
});

Deno.test("truncated TIFF → INPUT_INVALID on open or read, naming the file", async () => {
  await rejects(
    async () => {
      const source = await openTiffSource([`${dir}/truncated.tif`]);
      try {
        for (let c = 0; c < source.channels; c++) {
          await source.readWindow(c, { y: 0, x: 0, height: source.height, width: source.width });
        }
      } finally {
        await source.close();
      }
    },
    "INPUT_INVALID",
    "truncated.tif",
  );
});

Deno.test("files of different sizes → INPUT_INVALID naming both files and sizes", async () => {
  await rejects(
    () => openTiffSource([`${dir}/bigtiff.tif`, `${dir}/small.tif`]),
    "INPUT_INVALID",
    "bigtiff.tif",
    "300×257",
    "small.tif",
    "40×30",
  );
});

Deno.test("OME-TIFF with Z > 1 and ImageJ stack with slices > 1 → unsupported", async () => {
  await rejects(() => openTiffSource([`${dir}/ome_z2.tif`]), "INPUT_INVALID", "ome_z2", "Z=2");
  await rejects(() => openTiffSource([`${dir}/imagej_z3.tif`]), "INPUT_INVALID", "Z=3");
});

Deno.test("channel name count mismatch → INPUT_INVALID with both counts", async () => {
  await rejects(
    () => openTiffSource([`${dir}/ome.tif`], { channelNames: ["a", "b"] }),
    "INPUT_INVALID",
    "2 channel names",
    "3 channels",
  );
});

Deno.test("no paths, bad uint8Scale, window outside, read after close", async () => {
  await rejects(() => openTiffSource([]), "INPUT_INVALID", "No input");
  await rejects(
    () => openTiffSource([`${dir}/uint8.tif`], { uint8Scale: 256 as unknown as 255 }),
    "INPUT_INVALID",
    "256",
  );
  const source = await openTiffSource([`${dir}/multipage.tif`]);
  await rejects(
    () => source.readWindow(0, { y: 290, x: 0, height: 11, width: 10 }),
    "INPUT_INVALID",
    "outside",
  );
  await rejects(() => source.readWindow(3, { y: 0, x: 0, height: 1, width: 1 }), "INPUT_INVALID");
  await source.close();
  await rejects(
    () => source.readWindow(0, { y: 0, x: 0, height: 1, width: 1 }),
    "INPUT_INVALID",
    "closed",
  );
});

Deno.test("an aborted read rejects with the abort reason", async () => {
  const source = await openTiffSource([`${dir}/multipage.tif`]);
  try {
    const controller = new AbortController();
    controller.abort(new Error("stop"));
    await assert.rejects(
      () =>
        source.readWindow(0, { y: 0, x: 0, height: 10, width: 10 }, { signal: controller.signal }),
      /stop/,
    );
  } finally {
    await source.close();
  }
});

Deno.test({ name: "tiff error fixtures cleanup", fn: () => Deno.remove(dir, { recursive: true }) });
