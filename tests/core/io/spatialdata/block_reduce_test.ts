/**
 * reduceBlock's 2×2 mean fast path (8/16-bit) against numpy/xarray's truncated block mean
 * (`coarsen(boundary="trim").mean().astype(dtype)`, computed here with numpy) on odd-sized blocks
 * of full-range values, where a wrong row stride, an overflow or a rounding error would show.
 */
import assert from "node:assert/strict";
import { reduceBlock } from "../../../../core/io/spatialdata/block_reduce.ts";

const PY = `
import sys, numpy as np
d, h, w, dt = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
a = np.random.default_rng(5).integers(0, np.iinfo(dt).max + 1, (h, w)).astype(dt)
a.tofile(f"{d}/in.raw")
t = a[: h // 2 * 2, : w // 2 * 2].astype(np.float64)
m = t.reshape(h // 2, 2, w // 2, 2).mean(axis=(1, 3)).astype(dt)
m.tofile(f"{d}/out.raw")
`;

for (const [dtype, Ctor] of [["uint16", Uint16Array], ["uint8", Uint8Array]] as const) {
  Deno.test(`reduceBlock 2×2 mean of ${dtype} equals numpy's truncated mean`, async () => {
    const dir = await Deno.makeTempDir();
    try {
      const [h, w] = [37, 53];
      const out = await new Deno.Command("/usr/bin/python3", {
        args: ["-c", PY, dir, String(h), String(w), dtype],
      }).output();
      assert.ok(out.success, new TextDecoder().decode(out.stderr));
      const input = new Ctor(Deno.readFileSync(`${dir}/in.raw`).buffer);
      const want = new Ctor(Deno.readFileSync(`${dir}/out.raw`).buffer);
      const got = reduceBlock({ data: input, h, w }, 2, "mean");
      assert.equal(got.h, 18);
      assert.equal(got.w, 26);
      assert.ok(got.data instanceof Ctor);
      assert.deepEqual(Array.from(got.data), Array.from(want));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}
