/**
 * Child process for atomic_file_test.ts: `<target> <size> <writes>` rewrites `<target>` `writes`
 * times with `size` bytes, all 'a' (even writes) or all 'b' (odd writes), via writeFileAtomic,
 * then prints "done". The parent arms a kill point (atomic_kill_point.ts) so that one write
 * stops there, and kills the child with SIGKILL.
 * @module
 */
import { writeFileAtomic } from "../../../core/io/atomic_file.ts";
import { installAtomicPause } from "./atomic_kill_point.ts";

installAtomicPause();
const [target, sizeText, writesText] = Deno.args;
const size = Number(sizeText);
const a = new Uint8Array(size).fill(0x61);
const b = new Uint8Array(size).fill(0x62);
for (let i = 0; i < Number(writesText); i++) await writeFileAtomic(target!, i % 2 === 0 ? a : b);
console.log("done");
