/**
 * Entry of a plugin worker. Runs with NO permissions: it receives compiled core modules and the
 * glue source by message, instantiates the component once and keeps it warm, calls exported
 * functions, transfers typed-array results back, and recreates the instance after a trap.
 * @module
 */

/// <reference lib="deno.worker" />

import { BufferShelf } from "./buffer_shelf.ts";
import {
  findExport,
  instantiateGlue,
  listExportedFunctions,
  type LiveInstance,
  memoryBytes,
} from "./instantiate_glue.ts";
import {
  ARENA_BYTES,
  type Mailbox,
  MailboxState,
  openMailbox,
  publish,
  readMessage,
  STATE,
} from "./mailbox.ts";
import { decodeMailbox, MailboxWriter, UnencodableError } from "./mailbox_codec.ts";
import type { CallMessage, FromWorker, InitMessage, ToWorker } from "./worker_protocol.ts";

/**
 * Share of the ceiling above which a trap is reported as memory exhaustion. A failed
 * `memory.grow` is invisible from outside, so this is a rule: an allocator growing by at most its
 * current size (doubling) or by a request it could not fit fails at or above half the ceiling.
 */
const MEMORY_TRAP_SHARE = 0.5;
const OOM_MESSAGE = /out of memory|memory size exceeded|could not allocate memory/i;

let init: InitMessage | undefined;
let modules: Map<string, WebAssembly.Module> | undefined;
let live: LiveInstance | undefined;
let chain: Promise<void> = Promise.resolve();
let mailbox: Mailbox | undefined;
const writer = new MailboxWriter(ARENA_BYTES);

/** Sends a reply to the host. */
type Reply = (message: FromWorker, transfer?: Transferable[]) => void;

function post(message: FromWorker, transfer: Transferable[] = []): void {
  self.postMessage(message, transfer);
}

/** Reply to a call that came by message: leave the parked state first, then post. */
function postFromParked(message: FromWorker, transfer: Transferable[] = []): void {
  if (mailbox) Atomics.store(mailbox.ctrl, STATE, MailboxState.IDLE);
  self.postMessage(message, transfer);
}

/** Reply to a mailbox call: in the arena if it fits, else by message (state POSTED). */
function replyInMailbox(message: FromWorker, transfer: Transferable[] = []): void {
  const box = mailbox!;
  let bytes: Uint8Array;
  try {
    bytes = writer.encode(message);
  } catch (error) {
    if (!(error instanceof UnencodableError)) throw error;
    // State first: once the host has the message it may write the mailbox again.
    publish(box, MailboxState.POSTED);
    return self.postMessage(message, transfer);
  }
  publish(box, MailboxState.DONE, bytes);
}

/**
 * The mailbox loop: blocks in `Atomics.wait` until the host publishes a call, runs it, answers;
 * returns (parks) when the host asks to send a message instead, or when the host is gone.
 */
async function serve(box: Mailbox): Promise<void> {
  for (;;) {
    const state = Atomics.load(box.ctrl, STATE);
    if (state === MailboxState.CALL) {
      await handleCall(decodeMailbox(readMessage(box)) as CallMessage, replyInMailbox);
    } else if (state === MailboxState.YIELD) {
      return publish(box, MailboxState.PARKED);
    } else if (state === MailboxState.DEAD || state === MailboxState.PARKED) {
      return;
    } else {
      Atomics.wait(box.ctrl, STATE, state);
    }
  }
}

function collectBuffers(
  value: unknown,
  live: LiveInstance,
  out: Set<ArrayBuffer>,
  depth = 0,
): void {
  if (depth > 8 || value === null || typeof value !== "object") return;
  if (ArrayBuffer.isView(value)) {
    const buffer = value.buffer;
    if (buffer instanceof ArrayBuffer && !live.memories.some((m) => m.buffer === buffer)) {
      out.add(buffer);
    }
    return;
  }
  if (value instanceof ArrayBuffer) {
    if (!live.memories.some((m) => m.buffer === value)) out.add(value);
    return;
  }
  for (const item of Object.values(value)) collectBuffers(item, live, out, depth + 1);
}

/** Names of the Deno permissions this worker holds (must be none). */
function grantedPermissions(): string[] {
  const names = ["read", "write", "net", "env", "run", "ffi", "sys", "import"] as const;
  return names.filter((name) => {
    try {
      return Deno.permissions.querySync({ name } as Deno.PermissionDescriptor).state === "granted";
    } catch {
      return false; // a permission name this Deno does not know
    }
  });
}

async function handleInit(message: InitMessage): Promise<void> {
  init = message;
  modules = new Map(message.modules);
  mailbox = message.mailbox ? openMailbox(message.mailbox) : undefined;
  try {
    live = await instantiateGlue(message.glueSource, modules);
    post({
      type: "ready",
      functions: listExportedFunctions(live.exports),
      granted: grantedPermissions(),
    });
  } catch (error) {
    post({ type: "init-failed", message: error instanceof Error ? error.message : String(error) });
  }
}

/** Result buffers the host lent to the current call (found by best fit, like the host's). */
const spares = new BufferShelf(Infinity);

// the glue copies lifted typed lists through this hook (see patchListLifts): into the start of
// a spare large enough, when there is one
const hooks = globalThis as { scportraitLiftArray?: unknown };
hooks.scportraitLiftArray = <T>(
  View: new (buffer: ArrayBuffer, offset?: number, length?: number) => T,
  range: { buffer: ArrayBuffer; start: number; end: number },
): T => {
  const { buffer, start, end } = range;
  const spare = spares.take(end - start);
  if (spare === undefined) return new View(buffer.slice(start, end));
  new Uint8Array(spare).set(new Uint8Array(buffer, start, end - start));
  const bytesPer = (View as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT;
  return new View(spare, 0, (end - start) / bytesPer);
};

async function handleCall(message: CallMessage, post: Reply): Promise<void> {
  if (!init || !modules) throw new Error("plugin worker received a call before init");
  if (!live) live = await instantiateGlue(init.glueSource, modules);
  spares.clear();
  for (const spare of message.spares ?? []) spares.put(spare);
  const instance = live;
  const fn = findExport(instance.exports, message.fn);
  if (!fn) {
    post({
      type: "failed",
      id: message.id,
      kind: "missing",
      message: `no exported function ${message.fn}`,
      memoryBytes: memoryBytes(instance),
    });
    return;
  }
  try {
    const value = fn(...message.args);
    const buffers = new Set<ArrayBuffer>();
    collectBuffers(value, instance, buffers);
    // the glue copied the arguments into linear memory: their buffers can go back for reuse
    const inputs = new Set<ArrayBuffer>();
    if (message.returnInputs) collectBuffers(message.args, instance, inputs);
    for (const b of buffers) inputs.delete(b);
    post({
      type: "result",
      id: message.id,
      value,
      inputs: message.returnInputs ? [...inputs] : undefined,
      memoryBytes: memoryBytes(instance),
    }, [...buffers, ...inputs]);
  } catch (error) {
    const used = memoryBytes(instance);
    if (error && typeof error === "object" && "payload" in error) {
      const payload = (error as { payload: unknown }).payload;
      const variant = payload && typeof payload === "object" && "tag" in payload
        ? String((payload as { tag: unknown }).tag)
        : undefined;
      const detail = variant ? (payload as { val?: unknown }).val : payload;
      post({
        type: "failed",
        id: message.id,
        kind: "err",
        message: variant ? `${variant}: ${String(detail)}` : String(detail),
        variant,
        detail,
        memoryBytes: used,
      });
      return;
    }
    const text = error instanceof Error ? error.message : String(error);
    const limit = init.memoryLimitBytes;
    const memory = OOM_MESSAGE.test(text) ||
      (limit !== undefined && used >= limit * MEMORY_TRAP_SHARE);
    live = undefined;
    post({
      type: "failed",
      id: message.id,
      kind: memory ? "memory" : "trap",
      message: text,
      memoryBytes: used,
    });
    live = await instantiateGlue(init.glueSource, modules);
  }
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  chain = chain.then(async () => {
    if (message.type === "init") await handleInit(message);
    else await handleCall(message, mailbox ? postFromParked : post);
    if (mailbox && live) await serve(mailbox);
  })
    .catch((error) => {
      // Unexpected host-side failure inside the worker: surface it as a worker error.
      setTimeout(() => {
        throw error;
      });
    });
};
