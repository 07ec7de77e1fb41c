/** writeSyntheticTiff: files tifffile reads with exactly the generator's pixels and masks. */
import assert from "node:assert/strict";
import { generateSynthetic } from "../../../examples/synthetic/synthetic_generator.ts";
import { writeSyntheticTiff } from "../../../examples/synthetic/write_synthetic_tiff.ts";

const dir = await Deno.makeTempDir({ prefix: "write_synthetic_" });
const image = generateSynthetic({ height: 300, width: 260, seed: 5, cellDiameter: 36 });
const whole = image.renderAll(0, 0, 300, 260);

async function tifffileRaw(path: string): Promise<{ big: boolean; bytes: Uint8Array }> {
  const raw = `${path}.raw`;
  const out = await new Deno.Command("/usr/bin/python3", {
    args: [
      "-c",
      `import sys, tifffile, numpy as np
t = tifffile.TiffFile(sys.argv[1]); t.asarray().astype(t.pages[0].dtype.newbyteorder("<")).tofile(sys.argv[2])
print(int(t.is_bigtiff))`,
      path,
      raw,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  return {
    big: new TextDecoder().decode(out.stdout).trim() === "1",
    bytes: await Deno.readFile(raw),
  };
}

const asBytes = (a: Uint16Array | Uint32Array) =>
  new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

Deno.test("per-channel classic TIFFs + masks (2 render workers) match renderAll", async () => {
  const out = `${dir}/per_channel`;
  const written = await writeSyntheticTiff(out, image, {
    workers: 2,
    rowsPerStrip: 48,
    quiet: true,
  });
  assert.equal(written.images.length, 3);
  for (let c = 0; c < 3; c++) {
    const { big, bytes } = await tifffileRaw(written.images[c]);
    assert.equal(big, false);
    assert.deepEqual(bytes, asBytes(whole.channels[c]), `channel ${c}`);
  }
  assert.deepEqual((await tifffileRaw(written.masks[0])).bytes, asBytes(whole.nucleus));
  assert.deepEqual((await tifffileRaw(written.masks[1])).bytes, asBytes(whole.cell));
  const meta = JSON.parse(await Deno.readTextFile(written.metadata));
  assert.equal(meta.seed, 5);
  assert.deepEqual(meta.channelNames, ["nucleus", "membrane", "marker"]);
});

Deno.test("multi-page BigTIFF with deflate (no workers) matches renderAll", async () => {
  const out = `${dir}/multipage`;
  const written = await writeSyntheticTiff(out, image, {
    layout: "multipage",
    bigtiff: true,
    compression: "deflate",
    workers: 0,
    masks: false,
    quiet: true,
  });
  assert.equal(written.images.length, 1);
  assert.equal(written.masks.length, 0);
  const { big, bytes } = await tifffileRaw(written.images[0]);
  assert.equal(big, true);
  const expected = new Uint8Array(3 * 300 * 260 * 2);
  whole.channels.forEach((c, i) => expected.set(asBytes(c), i * 300 * 260 * 2));
  assert.deepEqual(bytes, expected);
});

Deno.test({ name: "write synthetic cleanup", fn: () => Deno.remove(dir, { recursive: true }) });
