/**
 * Zstandard decoding into the caller's memory. `node:zlib`'s public `zstdDecompressSync` returns
 * fresh memory: 16 KiB pieces, then joined into a new buffer of the frame's size. For a 2 MB
 * chunk the join and the first-touch page faults of that buffer cost about twice the decoding
 * itself (D75). The engine of a `zlib.ZstdDecompress` stream decodes into any buffer given to its
 * `writeSync`; that engine is an internal of Deno's `node:zlib` (as of Deno 2.9), so it is used
 * only when present, and the public function is the fall-back.
 * @module
 */
import * as zlib from "node:zlib";
import { ScportraitError } from "../../errors.ts";

/** The internal engine of a zlib stream as Deno 2.9 (like Node) has it. */
interface ZlibEngine {
  reset(): void;
  writeSync(
    flush: number,
    input: Uint8Array,
    inOffset: number,
    inLength: number,
    output: Uint8Array,
    outOffset: number,
    outLength: number,
  ): void;
}

/** The engine, its `[availOut, availIn]` after a write, and the finishing flush flag. */
interface Engine {
  handle: ZlibEngine;
  state: Uint32Array;
  flush: number;
}

let engine: Engine | null | undefined;

function internalEngine(): Engine | null {
  if (engine !== undefined) return engine;
  try {
    // deno-lint-ignore no-explicit-any
    const stream = new (zlib as any).ZstdDecompress();
    const handle = stream._handle;
    const state = stream._writeState;
    engine = typeof handle?.writeSync === "function" && typeof handle?.reset === "function" &&
        state instanceof Uint32Array && state.length === 2 &&
        typeof stream._finishFlushFlag === "number"
      ? { handle, state, flush: stream._finishFlushFlag }
      : null;
  } catch {
    engine = null;
  }
  return engine;
}

/** Whether decoding goes straight into the caller's memory (else through `zstdDecompressSync`). */
export function zstdDecodesInPlace(): boolean {
  return internalEngine() !== null;
}

/**
 * Decodes the zstd frame `source` into `target`, which must be exactly the decoded size.
 * Throws `INPUT_INVALID` naming `what` (e.g. the chunk file) when the frame is corrupt or does
 * not decode to exactly `target.byteLength` bytes.
 */
export function zstdDecompressInto(source: Uint8Array, target: Uint8Array, what: string): void {
  const fail = (reason: string, cause?: unknown) =>
    new ScportraitError("INPUT_INVALID", `${what}: cannot decode the zstd data (${reason}).`, {
      cause,
    });
  const e = internalEngine();
  if (e === null) {
    let out: Uint8Array;
    try {
      out = zlib.zstdDecompressSync(source);
    } catch (error) {
      throw fail(error instanceof Error ? error.message : String(error), error);
    }
    if (out.byteLength !== target.byteLength) {
      throw fail(`${out.byteLength} bytes, expected ${target.byteLength}`);
    }
    target.set(out);
    return;
  }
  try {
    e.handle.reset();
    e.handle.writeSync(e.flush, source, 0, source.byteLength, target, 0, target.byteLength);
  } catch (error) {
    throw fail(error instanceof Error ? error.message : String(error), error);
  }
  const written = target.byteLength - e.state[0];
  if (e.state[1] !== 0) throw fail(`more than the expected ${target.byteLength} bytes`);
  if (written !== target.byteLength) {
    throw fail(`${written} bytes, expected ${target.byteLength}`);
  }
}
