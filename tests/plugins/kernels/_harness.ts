/**
 * Test harness for the AssemblyScript kernels: compiles `harness/entry.ts` in-process with asc
 * (the project's flags), instantiates the core module, and offers typed-array helpers; plus a
 * runner for golden values computed with /usr/bin/python3 (numpy, scipy, scikit-image).
 * @module
 */

import asc from "assemblyscript/asc";
import { ScportraitError } from "../../../core/errors.ts";

const ROOT = new URL("../../../", import.meta.url).pathname;
const ENTRY = "tests/plugins/kernels/harness/entry.ts";

/** The harness module's exports. */
export type Kernels = Record<string, (...args: number[]) => number> & {
  memory: WebAssembly.Memory;
};

let cached: Promise<Kernels> | null = null;

/** Compiles (once per process) and instantiates the harness. */
export function loadKernels(): Promise<Kernels> {
  cached ??= compile();
  return cached;
}

async function compile(): Promise<Kernels> {
  let binary: Uint8Array | null = null;
  let log = "";
  const sink = {
    write(chunk: Uint8Array | string) {
      log += typeof chunk === "string" ? chunk : new TextDecoder().decode(chunk);
      return true;
    },
  };
  const flags = ["-O3", "--runtime", "incremental", "--noAssert", "--enable", "simd"];
  const abort = "tests/plugins/kernels/harness/entry/abortHandler";
  const result = await asc.main(
    [ENTRY, "--baseDir", ROOT, "-o", "core.wasm", ...flags, "--use", `abort=${abort}`],
    {
      stdout: sink,
      stderr: sink,
      writeFile(name: string, contents: Uint8Array | string) {
        if (name.endsWith("core.wasm") && typeof contents !== "string") binary = contents;
      },
    },
  );
  if (result.error || !binary) {
    throw new ScportraitError("PLUGIN_INVALID", `asc failed on ${ENTRY}: ${result.error}\n${log}`);
  }
  const module = await WebAssembly.compile(binary);
  const imports = WebAssembly.Module.imports(module);
  if (imports.length > 0) {
    throw new ScportraitError("PLUGIN_REFUSED", `harness has imports: ${JSON.stringify(imports)}`);
  }
  const instance = await WebAssembly.instantiate(module, {});
  return instance.exports as unknown as Kernels;
}

type Typed =
  | Uint8Array
  | Uint16Array
  | Uint32Array
  | Int32Array
  | Float32Array
  | Float64Array
  | BigUint64Array;

/** Copies `data` into fresh wasm memory and returns its address. */
export function put(k: Kernels, data: Typed): number {
  const ptr = k.alloc(data.byteLength);
  new Uint8Array(k.memory.buffer, ptr, data.byteLength).set(
    new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  );
  return ptr;
}

/** Allocates `bytes` zeroed bytes. */
export function zeros(k: Kernels, bytes: number): number {
  const ptr = k.alloc(bytes);
  new Uint8Array(k.memory.buffer, ptr, bytes).fill(0);
  return ptr;
}

/** Reads `length` elements of the given array type at `ptr` (a copy). */
export function take<T extends Typed>(
  k: Kernels,
  ctor: { new (buffer: ArrayBuffer, offset: number, length: number): T },
  ptr: number,
  length: number,
): T {
  const view = new ctor(k.memory.buffer as ArrayBuffer, ptr, length);
  return view.slice() as T;
}

/**
 * Runs a Python script with /usr/bin/python3 in `dir`; `inputs` are written as raw files first,
 * the named `outputs` are read back as bytes. The script sees `DIR` set to `dir`.
 */
export async function python(
  script: string,
  inputs: Record<string, Typed>,
  outputs: string[],
): Promise<Record<string, Uint8Array>> {
  const dir = await Deno.makeTempDir({ prefix: "kernels_py_" });
  try {
    for (const [name, data] of Object.entries(inputs)) {
      await Deno.writeFile(
        `${dir}/${name}`,
        new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      );
    }
    const prelude = `import os, sys, numpy as np\nDIR = ${JSON.stringify(dir)}\n` +
      `def inp(name, dtype, shape=None):\n` +
      `    a = np.fromfile(os.path.join(DIR, name), dtype=dtype)\n` +
      `    return a if shape is None else a.reshape(shape)\n` +
      `def out(name, arr):\n` +
      `    np.ascontiguousarray(arr).tofile(os.path.join(DIR, name))\n`;
    const cmd = new Deno.Command("/usr/bin/python3", {
      args: ["-c", prelude + script],
      stdout: "piped",
      stderr: "piped",
    });
    const res = await cmd.output();
    if (!res.success) {
      throw new ScportraitError(
        "PLUGIN_FAILED",
        `/usr/bin/python3 golden script failed:\n${new TextDecoder().decode(res.stderr)}`,
      );
    }
    const result: Record<string, Uint8Array> = {};
    for (const name of outputs) result[name] = await Deno.readFile(`${dir}/${name}`);
    return result;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Views raw bytes as the given typed array. */
export function asType<T extends Typed>(
  ctor: { new (buffer: ArrayBuffer, offset: number, length: number): T; BYTES_PER_ELEMENT: number },
  bytes: Uint8Array,
): T {
  const copy = bytes.slice();
  return new ctor(copy.buffer, 0, copy.byteLength / ctor.BYTES_PER_ELEMENT);
}

/** A seeded pseudo-random generator (mulberry32) returning floats in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Number of positions where `a` and `b` differ (lengths must match). */
export function countDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) {
    throw new ScportraitError("USAGE", `length ${a.length} != ${b.length}`);
  }
  let d = 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) d++;
  return d;
}
