/**
 * Test child: the real `scportrait extract` CLI, with `FsFile.syncDataSync` wrapped (in this
 * process only) so that its `SCP_EXTRACT_PAUSE_AT`-th call — the flush right after a tile's chunks
 * were appended and before the journal records the tile — prints `PAUSED` and blocks, to be
 * SIGKILLed by the test at that exact point.
 */
import { main } from "../../../../cli.ts";

const pauseAt = Number(Deno.env.get("SCP_EXTRACT_PAUSE_AT") ?? "0");
const proto = Deno.FsFile.prototype as { syncDataSync(): void };
const original = proto.syncDataSync;
let calls = 0;
proto.syncDataSync = function (this: Deno.FsFile) {
  if (++calls === pauseAt) {
    console.error("PAUSED");
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0); // until killed
  }
  return original.call(this);
};
Deno.exit(await main(Deno.args));
