/**
 * The PNG encoder: files decoded by Pillow (Debian python3-pil) give back exactly the pixels
 * encoded, for gray, RGB and RGBA, odd sizes and both row filters; CRC-32 matches zlib's.
 * @module
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { crc32 as zlibCrc32 } from "node:zlib";
import { crc32, encodePng } from "../../../../core/ui/png/png_encoder.ts";
import { runPython } from "../../io/h5sc/run_python.ts";

const DECODE = `
import sys, json, hashlib
from PIL import Image
import numpy as np
out = []
for p in sys.argv[1:]:
    im = Image.open(p)
    im.load()
    a = np.asarray(im)
    out.append({"mode": im.mode, "shape": list(a.shape), "sha": hashlib.sha256(a.tobytes()).hexdigest()})
print(json.dumps(out))
`;

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

function pattern(width: number, height: number, channels: number, seed: number): Uint8Array {
  const data = new Uint8Array(width * height * channels);
  let s = seed >>> 0;
  for (let i = 0; i < data.length; i++) {
    const y = Math.floor(i / (width * channels));
    if (y % 3 === 0) {
      s = (s * 1664525 + 1013904223) >>> 0; // noise rows: filter None wins
      data[i] = s >>> 24;
    } else {
      data[i] = (i * 7 + y) & 0xff; // smooth rows: filter Up wins
    }
  }
  return data;
}

Deno.test("PNG round trip through Pillow is exact for gray, RGB and RGBA", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const cases = [
      { width: 1, height: 1, channels: 1 as const },
      { width: 37, height: 23, channels: 1 as const },
      { width: 64, height: 17, channels: 3 as const },
      { width: 5, height: 300, channels: 4 as const },
    ];
    const files: string[] = [];
    const expected: { mode: string; shape: number[]; sha: string }[] = [];
    for (const [i, c] of cases.entries()) {
      const data = pattern(c.width, c.height, c.channels, i + 1);
      const file = path.join(dir, `case_${i}.png`);
      await Deno.writeFile(file, encodePng({ ...c, data }));
      files.push(file);
      expected.push({
        mode: { 1: "L", 3: "RGB", 4: "RGBA" }[c.channels],
        shape: c.channels === 1 ? [c.height, c.width] : [c.height, c.width, c.channels],
        sha: await sha256Hex(data),
      });
    }
    assert.deepEqual(await runPython(DECODE, files), expected);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("crc32 equals zlib's CRC-32", () => {
  const bytes = pattern(100, 10, 3, 9);
  assert.equal(crc32(bytes), zlibCrc32(bytes));
  assert.equal(crc32(new TextEncoder().encode("IEND")), 0xae426082);
});

Deno.test("encodePng refuses a data length that does not match the size", () => {
  assert.throws(
    () => encodePng({ width: 4, height: 4, channels: 3, data: new Uint8Array(47) }),
    (e: Error & { code?: string }) => e.code === "USAGE" && /4×4/.test(e.message),
  );
});
