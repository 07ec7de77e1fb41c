/**
 * A real memory ceiling for WebAssembly: rewrite the maximum of every memory a core module defines
 * so that `memory.grow` beyond the ceiling fails inside the engine. Deno has no flag that caps
 * wasm memory, so the host patches the binary before it is compiled.
 * @module
 */

import { ScportraitError } from "../errors.ts";

/** Bytes per WebAssembly page (64 KiB). */
export const WASM_PAGE_BYTES = 65536;

const MEMORY_SECTION = 5;
const FLAG_HAS_MAX = 0x01;
const FLAG_SHARED = 0x02;
const FLAG_MEMORY64 = 0x04;
const FLAG_CUSTOM_PAGE = 0x08;

/** The limits of one memory a core module defines (in pages of 64 KiB). */
export interface MemoryLimits {
  /** Initial size in pages. */
  minPages: number;
  /** Maximum size in pages, or undefined when the module declares none. */
  maxPages?: number;
  /** Whether the memory is shared (threads proposal). */
  shared: boolean;
}

interface Cursor {
  bytes: Uint8Array;
  pos: number;
}

function readU32Leb(c: Cursor, what: string): number {
  let result = 0;
  let shift = 0;
  for (let i = 0; i < 10; i++) {
    if (c.pos >= c.bytes.length) throw invalid(`truncated LEB128 in ${what}`);
    const byte = c.bytes[c.pos++];
    result += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return result;
    shift += 7;
  }
  throw invalid(`over-long LEB128 in ${what}`);
}

function writeU32Leb(value: number): number[] {
  const out: number[] = [];
  let v = value;
  do {
    let byte = v % 128;
    v = Math.floor(v / 128);
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

function invalid(detail: string): ScportraitError {
  return new ScportraitError(
    "PLUGIN_INVALID",
    `Malformed core WebAssembly module inside the component: ${detail}. ` +
      "Rebuild the plugin with a standard toolchain.",
  );
}

function checkHeader(bytes: Uint8Array): void {
  const magic = bytes[0] === 0 && bytes[1] === 0x61 && bytes[2] === 0x73 && bytes[3] === 0x6d;
  if (!magic || bytes[4] !== 1 || bytes[5] !== 0 || bytes[6] !== 0 || bytes[7] !== 0) {
    throw invalid("missing the core module header (\\0asm, version 1)");
  }
}

function readLimits(c: Cursor): MemoryLimits {
  const flags = c.bytes[c.pos++];
  if (flags & (FLAG_MEMORY64 | FLAG_CUSTOM_PAGE) || flags > 0x0f) {
    throw invalid(`unsupported memory type flags 0x${flags.toString(16)} (memory64/custom pages)`);
  }
  const minPages = readU32Leb(c, "memory minimum");
  const maxPages = flags & FLAG_HAS_MAX ? readU32Leb(c, "memory maximum") : undefined;
  return { minPages, maxPages, shared: (flags & FLAG_SHARED) !== 0 };
}

/** Lists the memories a core module defines (not imports), in order. */
export function readMemoryLimits(module: Uint8Array): MemoryLimits[] {
  checkHeader(module);
  const c: Cursor = { bytes: module, pos: 8 };
  while (c.pos < module.length) {
    const id = module[c.pos++];
    const size = readU32Leb(c, "section size");
    const end = c.pos + size;
    if (end > module.length) throw invalid(`section ${id} runs past the end of the module`);
    if (id === MEMORY_SECTION) {
      const count = readU32Leb(c, "memory count");
      const out: MemoryLimits[] = [];
      for (let i = 0; i < count; i++) out.push(readLimits(c));
      return out;
    }
    c.pos = end;
  }
  return [];
}

/**
 * Returns a copy of `module` whose defined memories have at most `maxPages` pages (an existing
 * smaller maximum is kept). Throws `PLUGIN_MEMORY` when a memory's initial size already exceeds the
 * ceiling. A module without a memory section is returned unchanged.
 */
export function capMemoryPages(
  module: Uint8Array,
  maxPages: number,
  pluginId = "plugin",
): Uint8Array {
  checkHeader(module);
  const c: Cursor = { bytes: module, pos: 8 };
  while (c.pos < module.length) {
    const sectionStart = c.pos;
    const id = module[c.pos++];
    const size = readU32Leb(c, "section size");
    const contentStart = c.pos;
    const end = contentStart + size;
    if (end > module.length) throw invalid(`section ${id} runs past the end of the module`);
    if (id !== MEMORY_SECTION) {
      c.pos = end;
      continue;
    }
    const count = readU32Leb(c, "memory count");
    const content: number[] = writeU32Leb(count);
    for (let i = 0; i < count; i++) {
      const limits = readLimits(c);
      if (limits.minPages > maxPages) {
        throw new ScportraitError(
          "PLUGIN_MEMORY",
          `Plugin ${pluginId} needs ${pagesToMib(limits.minPages)} MiB of memory at start, above ` +
            `its ceiling of ${pagesToMib(maxPages)} MiB. Raise limits.memory_mib in the manifest.`,
        );
      }
      const max = Math.min(limits.maxPages ?? maxPages, maxPages);
      content.push(FLAG_HAS_MAX | (limits.shared ? FLAG_SHARED : 0));
      content.push(...writeU32Leb(limits.minPages), ...writeU32Leb(max));
    }
    if (c.pos !== end) throw invalid("memory section has trailing bytes");
    const header = [MEMORY_SECTION, ...writeU32Leb(content.length)];
    const out = new Uint8Array(sectionStart + header.length + content.length + module.length - end);
    out.set(module.subarray(0, sectionStart), 0);
    out.set(header, sectionStart);
    out.set(content, sectionStart + header.length);
    out.set(module.subarray(end), sectionStart + header.length + content.length);
    return out;
  }
  return module;
}

/** Converts a number of MiB to whole wasm pages (16 pages per MiB). */
export function mibToPages(mib: number): number {
  return Math.floor((mib * 1024 * 1024) / WASM_PAGE_BYTES);
}

function pagesToMib(pages: number): string {
  return ((pages * WASM_PAGE_BYTES) / (1024 * 1024)).toFixed(1).replace(/\.0$/, "");
}
