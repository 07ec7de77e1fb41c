import assert from "node:assert/strict";
import { join } from "node:path";
import { lzfCompress, lzfDecompress, lzfTable } from "../../../../core/io/h5sc/lzf.ts";
import { runPython } from "./run_python.ts";

const CHUNK = 4096;

/** Inputs that exercise literals, hashed matches, period-2 runs and their split at 264 bytes. */
function cases(): Uint8Array[] {
  const out: Uint8Array[] = [];
  let seed = 7;
  const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 24;
  out.push(new Uint8Array(CHUNK)); // zeros
  out.push(Uint8Array.from({ length: CHUNK }, (_, i) => (i % 2 ? 0x3c : 0x00))); // float16 1.0
  out.push(Uint8Array.from({ length: CHUNK }, rnd)); // noise (does not compress)
  for (const runLen of [3, 4, 5, 263, 264, 265, 266, 267, 528, 529, 530, 1000]) {
    const b = Uint8Array.from({ length: CHUNK }, rnd);
    for (let at = 17; at + runLen < CHUNK; at += runLen + 40) b.fill(at % 3, at, at + runLen);
    out.push(b);
  }
  // rows of a cell: a constant margin, noise in the middle, repeated rows
  const cell = new Uint8Array(CHUNK);
  for (let y = 0; y < 16; y++) {
    for (let x = 80; x < 170; x++) {
      cell[y * 256 + x] = y % 4 === 0 ? rnd() : cell[(y - 1) * 256 + x];
    }
  }
  out.push(cell);
  // an unaligned view (the word fast path must not be taken)
  const big = Uint8Array.from({ length: CHUNK + 1 }, (_, i) => (i > 100 ? 0 : rnd()));
  out.push(big.subarray(1));
  return out;
}

Deno.test("lzfCompress streams decode to the input (our decoder)", () => {
  const table = lzfTable();
  for (const [i, src] of cases().entries()) {
    const dst = new Uint8Array(CHUNK - 1);
    const n = lzfCompress(src, dst, table);
    if (n === 0) {
      // only noise-dominated inputs (noise, the short-run cases 3..6) may fail to fit
      assert.ok(i >= 2 && i <= 6, `case ${i} did not compress`);
      continue;
    }
    const back = new Uint8Array(CHUNK);
    assert.equal(lzfDecompress(dst.subarray(0, n), back), CHUNK);
    assert.deepEqual(back, src, `case ${i}`);
  }
});

Deno.test("lzfCompress streams decode to the input through h5py's LZF filter", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const table = lzfTable();
    const all = cases();
    const parts: Uint8Array[] = [];
    const sizes: number[] = [];
    for (const src of all) {
      const dst = new Uint8Array(CHUNK - 1);
      const n = lzfCompress(src, dst, table);
      sizes.push(n);
      parts.push(n ? dst.slice(0, n) : src.slice());
    }
    await Deno.writeFile(join(dir, "in.bin"), concat(all));
    await Deno.writeFile(join(dir, "lzf.bin"), concat(parts));
    const r = await runPython(
      `
import sys, json, h5py, numpy as np
d = sys.argv[1]; sizes = json.loads(sys.argv[2]); C = ${CHUNK}
raw = np.fromfile(d + "/in.bin", np.uint8).reshape(-1, C)
comp = open(d + "/lzf.bin", "rb").read()
with h5py.File(d + "/t.h5", "w") as f:
    ds = f.create_dataset("x", (len(sizes), C), np.uint8, chunks=(1, C), compression="lzf")
    at = 0
    for i, n in enumerate(sizes):
        if n: ds.id.write_direct_chunk((i, 0), comp[at:at + n], filter_mask=0); at += n
        else: ds.id.write_direct_chunk((i, 0), comp[at:at + C], filter_mask=1); at += C
with h5py.File(d + "/t.h5", "r") as f:
    back = f["x"][:]
print(json.dumps([bool((back[i] == raw[i]).all()) for i in range(len(sizes))]))`,
      [dir, JSON.stringify(sizes)],
    ) as boolean[];
    assert.equal(r.length, all.length);
    assert.ok(r.every((ok) => ok), `chunks differing after h5py decode: ${r}`);
    assert.ok(sizes[0] > 0 && sizes[0] < 100, `zeros compress to ${sizes[0]} bytes`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) out.set(p, o), o += p.length;
  return out;
}
