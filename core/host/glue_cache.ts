/**
 * On-disk cache of what jco's bindgen derives from a component (glue module source, core module
 * bytes, import and export lists), so a fresh process skips the bindgen (≈ 0.3–1 s) entirely.
 * One file per (component sha256, bindgen version) in `<dir>/glue/`, normally the component's
 * entry in the content-addressed plugin cache. The file starts with the sha256 of the rest,
 * recorded when it was written (atomically: temp file + rename); a file whose digest, format,
 * component sha256 or bindgen version does not match is ignored and regenerated.
 *
 * Layout: 32 bytes sha256(rest) | u32 LE header length | header JSON | core module bytes.
 * @module
 */
import { join } from "node:path";
import { writeFileAtomic } from "../io/atomic_file.ts";

/** What the bindgen derives from one component (all the loader needs). */
export interface GlueEntry {
  /** Glue ES module source, `JCO_DEBUG` read patched out. */
  glueSource: string;
  /** Core module file name → bytes. */
  coreModules: Map<string, Uint8Array>;
  /** Component-level imports. */
  imports: string[];
  /** Component-level exports and their kinds. */
  exports: [string, "function" | "instance"][];
}

interface Header {
  format: number;
  component: string;
  bindgen: string;
  glueSource: string;
  imports: string[];
  exports: [string, "function" | "instance"][];
  modules: [string, number][];
}

/** Bumped when the file layout or the glue patching changes. */
const FORMAT = 3; // 2: lifted lists go through scportraitLift; 3: typed, into larger spares
const DIGEST_BYTES = 32;

/**
 * The bindgen's identity: the pinned `@bytecodealliance/jco-transpile` version, read from the
 * resolved module path (`…/@bytecodealliance+jco-transpile@0.15.0/…`), plus the cache format.
 */
export function bindgenVersion(): string {
  const url = import.meta.resolve("@bytecodealliance/jco-transpile/component");
  const version = /jco-transpile@([0-9A-Za-z.+_-]+)/.exec(decodeURIComponent(url))?.[1];
  return `jco-transpile-${version ?? "unknown"}-g${FORMAT}`;
}

/** Path of the glue file for `componentSha` in `dir`. */
export function glueCachePath(dir: string, componentSha: string, bindgen = bindgenVersion()) {
  return join(dir, "glue", `${componentSha.slice(0, 16)}-${bindgen}.bin`);
}

async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Serialises `entry` for `componentSha` (digest first). */
export async function encodeGlue(
  entry: GlueEntry,
  componentSha: string,
  bindgen = bindgenVersion(),
): Promise<Uint8Array> {
  const modules = [...entry.coreModules];
  const header: Header = {
    format: FORMAT,
    component: componentSha,
    bindgen,
    glueSource: entry.glueSource,
    imports: entry.imports,
    exports: entry.exports,
    modules: modules.map(([name, bytes]) => [name, bytes.length]),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const size = 4 + json.length + modules.reduce((s, [, b]) => s + b.length, 0);
  const out = new Uint8Array(DIGEST_BYTES + size);
  const body = out.subarray(DIGEST_BYTES);
  new DataView(body.buffer, body.byteOffset).setUint32(0, json.length, true);
  body.set(json, 4);
  let pos = 4 + json.length;
  for (const [, bytes] of modules) {
    body.set(bytes, pos);
    pos += bytes.length;
  }
  out.set(await sha256(body), 0);
  return out;
}

/**
 * Parses and checks a glue file: undefined unless its recorded digest matches its content and it
 * was made for `componentSha` by this bindgen version with this format.
 */
export async function decodeGlue(
  bytes: Uint8Array,
  componentSha: string,
  bindgen = bindgenVersion(),
): Promise<GlueEntry | undefined> {
  if (bytes.length < DIGEST_BYTES + 4) return undefined;
  const body = bytes.subarray(DIGEST_BYTES);
  if (!equalBytes(bytes.subarray(0, DIGEST_BYTES), await sha256(body))) return undefined;
  const jsonLength = new DataView(body.buffer, body.byteOffset).getUint32(0, true);
  if (4 + jsonLength > body.length) return undefined;
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder().decode(body.subarray(4, 4 + jsonLength)));
  } catch {
    return undefined;
  }
  if (
    header.format !== FORMAT || header.component !== componentSha ||
    header.bindgen !== bindgen || !Array.isArray(header.modules)
  ) return undefined;
  const coreModules = new Map<string, Uint8Array>();
  let pos = 4 + jsonLength;
  for (const [name, length] of header.modules) {
    if (pos + length > body.length) return undefined;
    coreModules.set(name, body.slice(pos, pos + length));
    pos += length;
  }
  if (pos !== body.length) return undefined;
  return {
    glueSource: header.glueSource,
    coreModules,
    imports: header.imports,
    exports: header.exports,
  };
}

/** The cached glue of `componentSha` in `dir`, or undefined if absent, unreadable or invalid. */
export async function readGlueCache(
  dir: string,
  componentSha: string,
): Promise<GlueEntry | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(glueCachePath(dir, componentSha));
  } catch {
    return undefined;
  }
  return await decodeGlue(bytes, componentSha);
}

/**
 * Stores the glue of `componentSha` in `dir` atomically. Best effort: returns false (and leaves
 * no partial file) if the folder is not writable; the glue is then regenerated next time.
 */
export async function writeGlueCache(
  dir: string,
  componentSha: string,
  entry: GlueEntry,
): Promise<boolean> {
  try {
    const target = glueCachePath(dir, componentSha);
    await Deno.mkdir(join(dir, "glue"), { recursive: true });
    await writeFileAtomic(target, await encodeGlue(entry, componentSha), { noSync: true });
    return true;
  } catch {
    return false;
  }
}
