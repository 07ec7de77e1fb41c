/** StreamingTiffWriter output read by Python tifffile (classic, BigTIFF, deflate, multi-page). */
import assert from "node:assert/strict";
import {
  StreamingTiffWriter,
  type TiffWriterDtype,
} from "../../../examples/synthetic/tiff_writer.ts";
import { openTiffSource } from "../../../core/io/tiff/open_tiff_source.ts";

const dir = await Deno.makeTempDir({ prefix: "tiff_writer_" });

/** tifffile's view of `path`: bigtiff flag, pages, dtype, shape, compression, and pixels as raw. */
async function tifffileRead(path: string, raw: string) {
  const script = `import sys, json, tifffile, numpy as np
t = tifffile.TiffFile(sys.argv[1]); a = t.asarray()
np.ascontiguousarray(a).astype(a.dtype.newbyteorder("<")).tofile(sys.argv[2])
p = t.pages[0]
print(json.dumps({"big": t.is_bigtiff, "pages": len(t.pages), "dtype": str(a.dtype),
  "shape": list(a.shape), "compression": int(p.compression), "rps": int(p.rowsperstrip),
  "description": p.description}))`;
  const out = await new Deno.Command("/usr/bin/python3", {
    args: ["-c", script, path, raw],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  return JSON.parse(new TextDecoder().decode(out.stdout));
}

function pattern(dtype: TiffWriterDtype, n: number, page: number) {
  const make = { uint8: Uint8Array, uint16: Uint16Array, uint32: Uint32Array }[dtype];
  const a = new make(n);
  for (let i = 0; i < n; i++) {
    a[i] = (i * 2654435761 + page * 977) %
      (dtype === "uint8" ? 256 : dtype === "uint16" ? 65536 : 4294967296);
  }
  return a;
}

const cases = [
  { name: "classic_u16", dtype: "uint16", pages: 1, compression: "none", bigtiff: false },
  { name: "big_u16_multipage", dtype: "uint16", pages: 3, compression: "none", bigtiff: true },
  {
    name: "classic_deflate_u32",
    dtype: "uint32",
    pages: 1,
    compression: "deflate",
    bigtiff: false,
  },
  {
    name: "big_deflate_u8_multipage",
    dtype: "uint8",
    pages: 2,
    compression: "deflate",
    bigtiff: true,
  },
] as const;

for (const c of cases) {
  Deno.test(`StreamingTiffWriter ${c.name} opens in tifffile with identical pixels`, async () => {
    const [h, w, rps] = [203, 131, 20]; // last strip is short
    const path = `${dir}/${c.name}.tif`;
    const writer = await StreamingTiffWriter.create(path, {
      width: w,
      height: h,
      pages: c.pages,
      dtype: c.dtype,
      rowsPerStrip: rps,
      compression: c.compression,
      bigtiff: c.bigtiff,
      description: "scportrait synthetic test",
    });
    assert.equal(writer.bigtiff, c.bigtiff);
    const full = Array.from({ length: c.pages }, (_, p) => pattern(c.dtype, h * w, p));
    // Write strips out of order and pages interleaved: the writer must not depend on order.
    for (let s = writer.stripCount - 1; s >= 0; s--) {
      for (let p = 0; p < c.pages; p++) {
        const rows = Math.min(rps, h - s * rps);
        await writer.writeStrip(p, s, full[p].subarray(s * rps * w, (s * rps + rows) * w));
      }
    }
    await writer.close();
    const raw = `${dir}/${c.name}.raw`;
    const info = await tifffileRead(path, raw);
    assert.equal(info.big, c.bigtiff);
    assert.equal(info.pages, c.pages);
    assert.equal(info.dtype, c.dtype);
    assert.deepEqual(info.shape, c.pages === 1 ? [h, w] : [c.pages, h, w]);
    assert.equal(info.compression, c.compression === "deflate" ? 8 : 1);
    assert.equal(info.rps, rps);
    assert.equal(info.description, "scportrait synthetic test");
    const bytes = await Deno.readFile(raw);
    const expected = new Uint8Array(full.reduce((n, a) => n + a.byteLength, 0));
    let at = 0;
    for (const a of full) {
      expected.set(new Uint8Array(a.buffer), at);
      at += a.byteLength;
    }
    assert.deepEqual(bytes, expected);
    if (c.dtype !== "uint32") {
      const source = await openTiffSource([path], { uint8Scale: 1 });
      try {
        assert.equal(source.channels, c.pages);
        const got = await source.readWindow(c.pages - 1, { y: 190, x: 100, height: 13, width: 31 });
        assert.equal(got[12 * 31 + 30], full[c.pages - 1][202 * w + 130]);
      } finally {
        await source.close();
      }
    }
  });
}

Deno.test("StreamingTiffWriter refuses wrong strips and closing early", async () => {
  const writer = await StreamingTiffWriter.create(`${dir}/bad.tif`, {
    width: 10,
    height: 10,
    dtype: "uint16",
    rowsPerStrip: 4,
  });
  await assert.rejects(() => writer.writeStrip(0, 0, new Uint16Array(39)), /must hold 40/);
  await assert.rejects(() => writer.writeStrip(0, 2, new Uint16Array(40)), /must hold 20/);
  await assert.rejects(() => writer.close(), /before every strip/);
});

Deno.test({ name: "tiff writer cleanup", fn: () => Deno.remove(dir, { recursive: true }) });
