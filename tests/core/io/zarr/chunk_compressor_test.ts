/** encodeChunk output decodes with Python numcodecs 0.11 (zstd, blosc) to the original bytes. */
import assert from "node:assert/strict";
import {
  BLOSC_LZ4_COMPRESSOR,
  DEFAULT_COMPRESSOR,
  encodeChunk,
} from "../../../../core/io/zarr/chunk_compressor.ts";

const DECODE = `
import sys, numpy as np, numcodecs, json
cfg = json.loads(sys.argv[1])
codec = numcodecs.get_codec(cfg)
raw = codec.decode(open(sys.argv[2], "rb").read())
a = np.frombuffer(raw, dtype="<u2")
print(a.size, int(a.astype(np.uint64).sum()), int(a[12345]))
`;

Deno.test("zstd and blosc chunks decode in Python numcodecs", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const data = new Uint16Array(1024 * 1024);
    let sum = 0;
    for (let i = 0; i < data.length; i++) {
      data[i] = (i * 2654435761) % 4096 + (i >> 10);
      sum += data[i];
    }
    const raw = new Uint8Array(data.buffer);
    for (const compressor of [DEFAULT_COMPRESSOR, BLOSC_LZ4_COMPRESSOR, null]) {
      const encoded = await encodeChunk(compressor, raw);
      if (compressor !== null) assert.ok(encoded.byteLength < raw.byteLength);
      if (compressor === null) continue;
      await Deno.writeFile(`${dir}/chunk`, encoded);
      const out = await new Deno.Command("/usr/bin/python3", {
        args: ["-c", DECODE, JSON.stringify(compressor), `${dir}/chunk`],
      }).output();
      assert.ok(out.success, new TextDecoder().decode(out.stderr));
      assert.equal(
        new TextDecoder().decode(out.stdout).trim(),
        `${data.length} ${sum} ${data[12345]}`,
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
