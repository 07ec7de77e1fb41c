/**
 * Child process for atomic_file_test.ts: rewrites `<target>` forever with `size` bytes, all 'a'
 * or all 'b' in turn, via writeFileAtomic; prints "ready" after the first write. The parent kills
 * it with SIGKILL at a random moment.
 * @module
 */
import { writeFileAtomic } from "../../../core/io/atomic_file.ts";

const [target, sizeText] = Deno.args;
const size = Number(sizeText);
const a = new Uint8Array(size).fill(0x61);
const b = new Uint8Array(size).fill(0x62);
for (let i = 0;; i++) {
  await writeFileAtomic(target!, i % 2 === 0 ? a : b);
  if (i === 0) console.log("ready");
}
