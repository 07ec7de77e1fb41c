/**
 * One permission-less Deno Worker holding one warm plugin instance. At most one call is in
 * flight; a call past its timeout terminates the worker (the only way to stop a synchronous wasm
 * loop) and a fresh worker is started for the next call.
 * @module
 */

import { ScportraitError } from "../errors.ts";
import type { CompiledComponent } from "./load_component.ts";
import { PluginResultError } from "./plugin_call_error.ts";
import {
  ARENA_BYTES,
  type Mailbox,
  MailboxState,
  openMailbox,
  publish,
  readMessage,
  waitWhile,
} from "./mailbox.ts";
import { decodeMailbox, MailboxWriter, UnencodableError } from "./mailbox_codec.ts";
import type { CallMessage, FailedMessage, FromWorker, InitMessage } from "./worker_protocol.ts";

/**
 * Buffers a call hands over besides its arguments (fresh memory costs a page fault per 4 KiB,
 * so large buffers go round trip instead).
 */
export interface CallBuffers {
  /** Receives the call's transferred argument buffers back after it succeeded. */
  onInputs?: (buffers: ArrayBuffer[]) => void;
  /** Spent result buffers (transferred) the worker may copy lifted lists into when they fit. */
  spares?: ArrayBuffer[];
}

/** Counters of one slot. */
export interface SlotStats {
  /** Calls completed (success or plugin error). */
  calls: number;
  /** Calls that hit the timeout. */
  timeouts: number;
  /** Traps (including memory exhaustion). */
  traps: number;
  /** Workers started, including the first. */
  workerStarts: number;
  /** Calls sent through the shared mailbox (the rest went by postMessage). */
  mailboxCalls: number;
}

const WORKER_URL = new URL("./plugin_worker.ts", import.meta.url);

/**
 * Start-up (worker boot + instantiation) gets at least this long: booting a Worker's module graph
 * alone can take seconds on a loaded machine, and a call timeout of, say, 0.5 s is about the
 * plugin's compute, not the host's start-up. A component whose start function spins is still
 * killed, just later.
 */
const MIN_STARTUP_TIMEOUT_MS = 30_000;

/**
 * A worker with one warm component instance. Small calls go through a shared mailbox
 * (`mailbox.ts`), calls with a transfer list or a large encoding by `postMessage`.
 */
export class PluginWorkerSlot {
  readonly #pluginId: string;
  readonly #compiled: CompiledComponent;
  readonly #timeoutMs: number;
  #worker: Worker | undefined;
  #mailbox: Mailbox | undefined;
  readonly #writer = new MailboxWriter(ARENA_BYTES);
  #ready: Promise<string[]> | undefined;
  #nextId = 1;
  #pending:
    | {
      id: number;
      resolve: (v: unknown) => void;
      reject: (e: unknown) => void;
      fn: string;
      onInputs?: (buffers: ArrayBuffer[]) => void;
    }
    | undefined;
  /** Counters. */
  readonly stats: SlotStats = {
    calls: 0,
    timeouts: 0,
    traps: 0,
    workerStarts: 0,
    mailboxCalls: 0,
  };
  /** Bytes of plugin linear memory after the last call. */
  memoryBytes = 0;

  /**
   * @param pluginId plugin id for messages
   * @param compiled compiled modules and glue
   * @param timeoutMs per-call timeout (start-up gets at least {@link MIN_STARTUP_TIMEOUT_MS})
   */
  constructor(pluginId: string, compiled: CompiledComponent, timeoutMs: number) {
    this.#pluginId = pluginId;
    this.#compiled = compiled;
    this.#timeoutMs = timeoutMs;
  }

  /** Starts the worker if needed; resolves to the exported function names. */
  start(): Promise<string[]> {
    if (this.#ready) return this.#ready;
    this.stats.workerStarts++;
    const worker = new Worker(WORKER_URL, { type: "module", deno: { permissions: "none" } });
    this.#worker = worker;
    const mailbox = openMailbox();
    this.#mailbox = mailbox;
    this.#ready = new Promise<string[]>((resolve, reject) => {
      const startupMs = Math.max(this.#timeoutMs, MIN_STARTUP_TIMEOUT_MS);
      const timer = setTimeout(() => {
        this.#kill();
        reject(this.#timeoutError("start-up (instantiation)", startupMs));
      }, startupMs);
      worker.onmessage = (event: MessageEvent<FromWorker>) => {
        const m = event.data;
        if (m.type === "ready" && m.granted.length > 0) {
          clearTimeout(timer);
          this.#kill();
          reject(
            new ScportraitError(
              "PLUGIN_FAILED",
              `The worker for plugin ${this.#pluginId} holds permissions ` +
                `(${m.granted.join(", ")}); plugins must run with none. Refusing to use it.`,
            ),
          );
        } else if (m.type === "ready") {
          clearTimeout(timer);
          worker.onmessage = (e: MessageEvent<FromWorker>) => this.#onMessage(e.data);
          resolve(m.functions);
        } else if (m.type === "init-failed") {
          clearTimeout(timer);
          this.#kill();
          reject(
            new ScportraitError(
              "PLUGIN_FAILED",
              `Plugin ${this.#pluginId} failed to instantiate: ${m.message}.`,
            ),
          );
        }
      };
      worker.onerror = (event) => {
        event.preventDefault();
        clearTimeout(timer);
        this.#kill();
        const crash = this.#crashError(event.message);
        reject(crash);
        const pending = this.#pending;
        this.#pending = undefined;
        pending?.reject(crash);
      };
    });
    this.#ready.catch(() => {});
    const init: InitMessage = {
      type: "init",
      pluginId: this.#pluginId,
      glueSource: this.#compiled.glueSource,
      modules: [...this.#compiled.modules],
      memoryLimitBytes: this.#compiled.memoryLimitBytes,
      mailbox: mailbox.buffer,
    };
    worker.postMessage(init);
    return this.#ready;
  }

  /**
   * Calls `fn` with `args`, moving `transfer` buffers into the worker. One call at a time. Small
   * calls without transfers go through the mailbox, the rest by message; both share one timeout.
   * See {@link CallBuffers} for handing buffers back and forth.
   */
  async call(
    fn: string,
    args: unknown[],
    transfer: Transferable[] = [],
    buffers: CallBuffers = {},
  ): Promise<unknown> {
    const { onInputs, spares } = buffers;
    if (this.#pending) throw new Error("PluginWorkerSlot.call while busy");
    await this.start();
    const id = this.#nextId++;
    const result = new Promise<unknown>((resolve, reject) => {
      this.#pending = { id, resolve, reject, fn, onInputs };
    });
    let request: Uint8Array | undefined;
    if (transfer.length === 0 && !spares?.length && this.#mailbox) {
      try {
        request = this.#writer.encode({ type: "call", id, fn, args });
      } catch (error) {
        if (!(error instanceof UnencodableError)) throw error;
      }
    }
    if (request) {
      this.stats.mailboxCalls++;
      this.#callInMailbox(this.#mailbox!, request, id, fn);
      return await result;
    }
    const timer = setTimeout(() => this.#expire(id, fn), this.#timeoutMs);
    try {
      this.#postCall(id, fn, args, transfer, onInputs !== undefined, spares);
      return await result;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Publishes a call in the mailbox and delivers the reply (or the timeout) to the pending call. */
  async #callInMailbox(box: Mailbox, request: Uint8Array, id: number, fn: string): Promise<void> {
    publish(box, MailboxState.CALL, request);
    const state = await waitWhile(box, MailboxState.CALL, this.#timeoutMs);
    if (this.#pending?.id !== id) return; // the worker crashed or the slot was terminated
    if (state === "timed-out") this.#expire(id, fn);
    else if (state === MailboxState.DONE) {
      this.#onMessage(decodeMailbox(readMessage(box)) as FromWorker);
    } // POSTED: the reply arrives by message.
  }

  /**
   * Posts the call with its transfer list, then asks the worker's mailbox loop to park: the
   * worker leaves `Atomics.wait` for its event loop, where the message is waiting (it re-enters
   * the loop only after answering a message, so the order cannot race).
   */
  #postCall(
    id: number,
    fn: string,
    args: unknown[],
    transfer: Transferable[],
    returnInputs: boolean,
    spares?: ArrayBuffer[],
  ): void {
    try {
      const message: CallMessage = { type: "call", id, fn, args, returnInputs, spares };
      this.#worker!.postMessage(message, spares?.length ? [...transfer, ...spares] : transfer);
    } catch (error) {
      this.#pending = undefined;
      throw error;
    }
    if (this.#mailbox) publish(this.#mailbox, MailboxState.YIELD);
  }

  /** The call `id` ran past its timeout: terminate the worker and reject the call. */
  #expire(id: number, fn: string): void {
    const pending = this.#pending;
    if (!pending || pending.id !== id) return;
    this.#pending = undefined;
    this.stats.timeouts++;
    this.#kill();
    pending.reject(this.#timeoutError(fn));
  }

  #onMessage(m: FromWorker): void {
    const pending = this.#pending;
    if (!pending || (m.type !== "result" && m.type !== "failed") || m.id !== pending.id) return;
    this.#pending = undefined;
    this.memoryBytes = m.memoryBytes;
    this.stats.calls++;
    if (m.type === "result") {
      if (m.inputs && pending.onInputs) pending.onInputs(m.inputs);
      pending.resolve(m.value);
    } else pending.reject(this.#failure(pending.fn, m));
  }

  #failure(fn: string, m: FailedMessage): Error {
    const id = this.#pluginId;
    switch (m.kind) {
      case "err":
        return new PluginResultError(id, fn, m.variant, m.detail);
      case "missing":
        return new ScportraitError("PLUGIN_INVALID", `Plugin ${id} has no function ${fn}.`);
      case "memory": {
        this.stats.traps++;
        const limit = this.#compiled.memoryLimitBytes ?? 0;
        return new ScportraitError(
          "PLUGIN_MEMORY",
          `Plugin ${id} ran out of memory in ${fn}: it reached its ceiling of ` +
            `${mib(limit)} MiB (limits.memory_mib; in use ${mib(m.memoryBytes)} MiB) and trapped ` +
            `(${m.message}). Use smaller tiles or raise the ceiling; the instance was recreated.`,
        );
      }
      default:
        this.stats.traps++;
        return new ScportraitError(
          "PLUGIN_FAILED",
          `Plugin ${id} trapped in ${fn}: ${m.message}. The instance was recreated; project ` +
            "state is unaffected. Report this to the plugin's authors.",
        );
    }
  }

  #timeoutError(what: string, ms = this.#timeoutMs): ScportraitError {
    return new ScportraitError(
      "PLUGIN_TIMEOUT",
      `Plugin ${this.#pluginId} did not finish ${what} within ${ms / 1000} s ` +
        "(limits.timeout_s); its worker was terminated and will be restarted. Use smaller " +
        "tiles or raise the timeout.",
    );
  }

  #crashError(message: string): ScportraitError {
    return new ScportraitError(
      "PLUGIN_FAILED",
      `The worker of plugin ${this.#pluginId} crashed: ${message}. It will be restarted.`,
    );
  }

  #kill(): void {
    if (this.#mailbox) publish(this.#mailbox, MailboxState.DEAD);
    this.#mailbox = undefined;
    this.#worker?.terminate();
    this.#worker = undefined;
    this.#ready = undefined;
  }

  /** Terminates the worker; a pending call rejects with `PLUGIN_FAILED`. */
  terminate(): void {
    const pending = this.#pending;
    this.#pending = undefined;
    this.#kill();
    pending?.reject(
      new ScportraitError("PLUGIN_FAILED", `Plugin ${this.#pluginId} pool closed during a call.`),
    );
  }
}

function mib(bytes: number): string {
  return (bytes / 1048576).toFixed(1).replace(/\.0$/, "");
}
