/**
 * The zstd fast path reads what Python zarr wrote: every chunk of a zarr v2 uint16 zstd array
 * (nested and flat chunk keys, edge chunks, a missing chunk = fill value) decodes into the
 * caller's memory equal to `zarr`'s own reading; other arrays are left to zarrita; a corrupt
 * chunk is an error naming its file. On the pinned Deno the decoder writes in place.
 */
import assert from "node:assert/strict";
import * as zarr from "zarrita";
import { AtomicFileSystemStore } from "../../../../core/io/zarr/atomic_fs_store.ts";
import { registerZarrCodecs } from "../../../../core/io/zarr/register_codecs.ts";
import { ZstdChunkReader } from "../../../../core/io/zarr/zstd_chunk_reader.ts";
import { zstdDecodesInPlace } from "../../../../core/io/zarr/zstd_into.ts";

const WRITE = `
import sys, numpy as np, zarr
from numcodecs import Blosc, Zstd
out = sys.argv[1]
a = ((np.arange(2 * 300 * 257, dtype=np.uint64) * 2654435761) % 65521).astype("<u2").reshape(2, 300, 257)
nested = zarr.open_group(zarr.NestedDirectoryStore(f"{out}/nested"), mode="w")
nested.create_dataset("img", data=a, chunks=(1, 128, 128), compressor=Zstd(level=1), fill_value=9)
flat = zarr.open_group(f"{out}/flat", mode="w")
flat.create_dataset("img", data=a, chunks=(1, 128, 128), compressor=Zstd(level=5))
flat.create_dataset("blosc", data=a, chunks=(1, 128, 128), compressor=Blosc())
flat.create_dataset("f32", data=a.astype("<f4"), chunks=(1, 128, 128), compressor=Zstd())
a.tofile(f"{out}/img.bin")
`;

async function python(dir: string): Promise<Uint16Array> {
  const out = await new Deno.Command("/usr/bin/python3", { args: ["-c", WRITE, dir] }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  return new Uint16Array((await Deno.readFile(`${dir}/img.bin`)).buffer);
}

async function openArray(root: string, path: string) {
  registerZarrCodecs();
  const store = new AtomicFileSystemStore(root);
  return await zarr.open.v2(zarr.root(store).resolve(path), { kind: "array", attrs: false });
}

/** Chunk (c, cy, cx) of the (2, 300, 257) image in C order, padded with `fill` at the edges. */
function expectedChunk(all: Uint16Array, c: number, cy: number, cx: number, fill: number) {
  const out = new Uint16Array(128 * 128).fill(fill);
  for (let r = 0; r < 128 && cy * 128 + r < 300; r++) {
    for (let k = 0; k < 128 && cx * 128 + k < 257; k++) {
      out[r * 128 + k] = all[c * 300 * 257 + (cy * 128 + r) * 257 + cx * 128 + k];
    }
  }
  return out;
}

Deno.test("every chunk of a Python-written zstd uint16 array decodes as zarr reads it", async () => {
  assert.equal(zstdDecodesInPlace(), true, "the in-place decoder is missing on this Deno");
  const dir = await Deno.makeTempDir();
  try {
    const all = await python(dir);
    for (const [root, fill] of [[`${dir}/nested`, 9], [`${dir}/flat`, 0]] as const) {
      const reader = await ZstdChunkReader.open(await openArray(root, "img"));
      assert.ok(reader !== null, root);
      assert.equal(reader.fillValue, fill);
      const into = new Uint16Array(128 * 128);
      for (let c = 0; c < 2; c++) {
        for (let cy = 0; cy < 3; cy++) {
          for (let cx = 0; cx < 3; cx++) {
            assert.equal(reader.read([c, cy, cx], into), true);
            // edge chunks hold what zarr stored past the array (the writer's padding), so
            // compare the part inside the image
            const want = expectedChunk(all, c, cy, cx, 0);
            const got = into.map((v, i) =>
              (cy * 128 + (i >> 7) < 300 && cx * 128 + (i & 127) < 257) ? v : 0
            );
            assert.deepEqual(got, want, `${root} chunk ${c}/${cy}/${cx}`);
          }
        }
      }
    }
    // a chunk that was never written: false, `into` untouched
    await Deno.remove(`${dir}/nested/img/1/2/0`);
    const reader = (await ZstdChunkReader.open(await openArray(`${dir}/nested`, "img")))!;
    const into = new Uint16Array(128 * 128).fill(3);
    assert.equal(reader.read([1, 2, 0], into), false);
    assert.ok(into.every((v) => v === 3));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("other arrays are left to zarrita; a corrupt chunk is an error naming its file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await python(dir);
    assert.equal(await ZstdChunkReader.open(await openArray(`${dir}/flat`, "blosc")), null);
    assert.equal(await ZstdChunkReader.open(await openArray(`${dir}/flat`, "f32")), null);
    const file = `${dir}/flat/img/0.1.1`;
    const bytes = await Deno.readFile(file);
    await Deno.writeFile(file, bytes.subarray(0, bytes.length >> 1)); // truncated
    const reader = (await ZstdChunkReader.open(await openArray(`${dir}/flat`, "img")))!;
    assert.throws(
      () => reader.read([0, 1, 1], new Uint16Array(128 * 128)),
      (e: Error & { code?: string }) => e.code === "INPUT_INVALID" && e.message.includes(file),
    );
    // the next chunk still decodes (the decoder recovers from the failure)
    assert.equal(reader.read([0, 1, 2], new Uint16Array(128 * 128)), true);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
