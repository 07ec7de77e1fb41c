/**
 * openTiffSource against files written by Python tifffile / libtiff tiffcp (make_tiff_fixtures.py)
 * and the real images in examples/data, compared pixel for pixel with what tifffile decodes.
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { openTiffSource } from "../../../../core/io/tiff/open_tiff_source.ts";
import type { PixelWindow } from "../../../../core/io/image_source.ts";

const PY = "/usr/bin/python3";
const here = (name: string) => fileURLToPath(new URL(name, import.meta.url));
const dataDir = fileURLToPath(new URL("../../../../examples/data/", import.meta.url));

interface Expected {
  channels: number;
  height: number;
  width: number;
  names: string[] | null;
  dtype: string;
}

async function python(args: string[]): Promise<string> {
  const out = await new Deno.Command(PY, { args, stdout: "piped", stderr: "piped" }).output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) throw new Error(`python failed: ${new TextDecoder().decode(out.stderr)}`);
  return text;
}

function windowsFor(height: number, width: number): PixelWindow[] {
  return [
    { y: 0, x: 0, height, width },
    { y: 13, x: 29, height: 100, width: 77 },
    { y: height - 37, x: width - 19, height: 37, width: 19 },
    { y: height - 1, x: 0, height: 1, width },
    { y: 0, x: width - 1, height, width: 1 },
  ];
}

function slice(full: Uint16Array, width: number, w: PixelWindow): Uint16Array {
  const out = new Uint16Array(w.height * w.width);
  for (let r = 0; r < w.height; r++) {
    out.set(full.subarray((w.y + r) * width + w.x, (w.y + r) * width + w.x + w.width), r * w.width);
  }
  return out;
}

function firstDiff(a: Uint16Array, b: Uint16Array): string {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return `index ${i}: ${a[i]} vs ${b[i]}`;
  return a.length === b.length ? "none" : `length ${a.length} vs ${b.length}`;
}

const dir = await Deno.makeTempDir({ prefix: "tiff_fixtures_" });
await python([here("./make_tiff_fixtures.py"), dir]);
const manifest = JSON.parse(await Deno.readTextFile(`${dir}/manifest.json`)) as Record<
  string,
  Expected
>;

for (const [name, expected] of Object.entries(manifest)) {
  Deno.test(`openTiffSource reads ${name}.tif like tifffile`, async () => {
    const source = await openTiffSource([`${dir}/${name}.tif`]);
    try {
      assert.equal(source.channels, expected.channels);
      assert.equal(source.height, expected.height);
      assert.equal(source.width, expected.width);
      assert.equal(source.sourceDtype, expected.dtype);
      const names = expected.names ??
        Array.from({ length: expected.channels }, (_, i) => `channel_${i}`);
      assert.deepEqual([...source.channelNames], names);
      const lossy = !["uint8", "uint16"].includes(expected.dtype);
      assert.equal(source.warnings.some((w) => w.includes("clipped")), lossy);
      for (let c = 0; c < expected.channels; c++) {
        const bytes = await Deno.readFile(`${dir}/${name}.c${c}.u16`);
        const full = new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
        for (const w of windowsFor(expected.height, expected.width)) {
          const got = await source.readWindow(c, w);
          const want = slice(full, expected.width, w);
          assert.equal(got.length, want.length);
          const diff = firstDiff(got, want);
          assert.equal(diff, "none", `${name} channel ${c} window ${JSON.stringify(w)}: ${diff}`);
        }
      }
    } finally {
      await source.close();
    }
  });
}

Deno.test("openTiffSource: reduced-resolution (pyramid) pages are not channels", async () => {
  const path = `${dir}/pyramid_pages.tif`;
  await python([
    "-c",
    `import tifffile, numpy as np
a = np.arange(64 * 48, dtype=np.uint16).reshape(64, 48)
with tifffile.TiffWriter(${JSON.stringify(path)}) as t:
    t.write(a)
    t.write(a[::2, ::2], subfiletype=1)`,
  ]);
  const source = await openTiffSource([path]);
  try {
    assert.equal(source.channels, 1);
    const got = await source.readWindow(0, { y: 63, x: 40, height: 1, width: 8 });
    assert.deepEqual([...got], Array.from({ length: 8 }, (_, i) => 63 * 48 + 40 + i));
  } finally {
    await source.close();
  }
});

Deno.test("openTiffSource: CellProfiler uint8 files, one per channel, equal tifffile × 255", async () => {
  const paths = [0, 1, 2].map((i) =>
    `${dataDir}cellprofiler_example_human/AS_09125_050116030001_D03f00d${i}.tif`
  );
  const windows: PixelWindow[] = [
    { y: 0, x: 0, height: 512, width: 512 },
    { y: 100, x: 200, height: 64, width: 130 },
    { y: 480, x: 490, height: 32, width: 22 },
  ];
  const script = `import sys, json, tifffile, numpy as np
ws = json.loads(sys.argv[1]); res = []
for p in sys.argv[2:]:
    a = tifffile.imread(p).astype(np.int64) * 255
    for w in ws:
        s = a[w["y"]:w["y"]+w["height"], w["x"]:w["x"]+w["width"]]
        res.append([int(s.sum()), int(s[0, 0]), int(s[-1, -1]), int(s[s.shape[0] // 2, 3])])
print(json.dumps(res))`;
  const want = JSON.parse(await python(["-c", script, JSON.stringify(windows), ...paths]));
  const source = await openTiffSource(paths, { channelNames: ["DNA", "PH3", "cell"] });
  try {
    assert.deepEqual([...source.channelNames], ["DNA", "PH3", "cell"]);
    assert.equal(source.sourceDtype, "uint8");
    const got: number[][] = [];
    for (let c = 0; c < 3; c++) {
      for (const w of windows) {
        // `into` of the right size (stale contents) receives the converted samples
        const into = new Uint16Array(w.height * w.width).fill(7);
        const px = await source.readWindow(c, w, { into });
        assert.equal(px, into);
        const sum = px.reduce((a, v) => a + v, 0);
        const mid = Math.floor(w.height / 2) * w.width + 3;
        got.push([sum, px[0], px[px.length - 1], px[mid]]);
      }
    }
    assert.deepEqual(got, want);
    assert.ok(got[0][0] > 0);
  } finally {
    await source.close();
  }
  const raw = await openTiffSource(paths.slice(0, 1), { uint8Scale: 257 });
  try {
    const px = await raw.readWindow(0, windows[0]);
    assert.equal(px.reduce((a, v) => a + v, 0), (want[0][0] / 255) * 257);
  } finally {
    await raw.close();
  }
});

Deno.test("openTiffSource: DSB2018 uint16 nuclei image, exact values", async () => {
  const path = `${dataDir}dsb2018_nuclei/img2d.tif`;
  const expectedFile = `${dir}/img2d.u16`;
  await python([
    "-c",
    `import tifffile; tifffile.imread(${JSON.stringify(path)}).astype("<u2").tofile(${
      JSON.stringify(expectedFile)
    })`,
  ]);
  const bytes = await Deno.readFile(expectedFile);
  const full = new Uint16Array(bytes.buffer);
  const source = await openTiffSource([path]);
  try {
    assert.equal(source.sourceDtype, "uint16");
    for (const w of windowsFor(512, 512)) {
      assert.equal(firstDiff(await source.readWindow(0, w), slice(full, 512, w)), "none");
      // uncompressed uint16 strips are read straight into `into` (stale contents overwritten)
      const into = new Uint16Array(w.height * w.width).fill(0xffff);
      const px = await source.readWindow(0, w, { into });
      assert.equal(px, into);
      assert.equal(firstDiff(px, slice(full, 512, w)), "none");
      // a wrongly sized `into` is not used
      const small = new Uint16Array(1);
      assert.notEqual(await source.readWindow(0, w, { into: small }), small);
    }
  } finally {
    await source.close();
  }
});

Deno.test("openTiffSource: concurrent windows with decoder workers agree with no-worker reads", async () => {
  const path = `${dir}/tiled_deflate.tif`;
  const pooled = await openTiffSource([path], { workers: 2 });
  const plain = await openTiffSource([path], { workers: 0 });
  try {
    const ws = windowsFor(300, 257);
    const a = await Promise.all(ws.map((w) => pooled.readWindow(0, w)));
    for (let i = 0; i < ws.length; i++) {
      assert.equal(firstDiff(a[i], await plain.readWindow(0, ws[i])), "none");
    }
    assert.deepEqual(pooled.blockShape, [32, 64]);
  } finally {
    await pooled.close();
    await plain.close();
  }
});

Deno.test({
  name: "tiff fixtures cleanup",
  fn: async () => {
    await Deno.remove(dir, { recursive: true });
  },
});
