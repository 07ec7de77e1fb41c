/**
 * Messages between the host and a plugin worker. Core modules travel as compiled
 * `WebAssembly.Module`s and the glue as text, so the worker never reads a file; typed-array
 * buffers travel in transfer lists in both directions.
 * @module
 */

/** Host → worker: set up the instance. */
export interface InitMessage {
  /** Message kind. */
  type: "init";
  /** Plugin id for messages. */
  pluginId: string;
  /** Glue ES module source. */
  glueSource: string;
  /** Core module file name → compiled module (memory ceiling already applied). */
  modules: [string, WebAssembly.Module][];
  /** Memory ceiling in bytes, if any (used to classify traps as memory exhaustion). */
  memoryLimitBytes?: number;
  /** The worker's shared mailbox for small calls (see `mailbox.ts`); absent = messages only. */
  mailbox?: SharedArrayBuffer;
}

/** Host → worker: call one exported function. */
export interface CallMessage {
  /** Message kind. */
  type: "call";
  /** Call id, echoed in the reply. */
  id: number;
  /** `"<interface>#<fn>"` or `"<fn>"`. */
  fn: string;
  /** Arguments, already in jco's JS representation. */
  args: unknown[];
  /** Hand the buffers transferred in with the arguments back in the result (`inputs`). */
  returnInputs?: boolean;
  /** Spent result buffers, for the worker to copy lifted lists into (the smallest that fits). */
  spares?: ArrayBuffer[];
}

/** Any message the worker accepts. */
export type ToWorker = InitMessage | CallMessage;

/** Worker → host: the instance is ready; lists its exported functions (JS names). */
export interface ReadyMessage {
  /** Message kind. */
  type: "ready";
  /** Exported functions as `"<interface>#<fn>"` / `"<fn>"`. */
  functions: string[];
  /** Deno permissions the worker holds; the host refuses to use a worker that holds any. */
  granted: string[];
}

/** Worker → host: set-up failed. */
export interface InitFailedMessage {
  /** Message kind. */
  type: "init-failed";
  /** Why. */
  message: string;
}

/** Worker → host: a call returned. */
export interface ResultMessage {
  /** Message kind. */
  type: "result";
  /** Call id. */
  id: number;
  /** The return value (typed arrays arrive transferred). */
  value: unknown;
  /** With `returnInputs`: the argument buffers, transferred back for the host to reuse. */
  inputs?: ArrayBuffer[];
  /** Bytes of linear memory after the call. */
  memoryBytes: number;
}

/** How a call failed inside the worker. */
export type FailureKind = "err" | "trap" | "memory" | "missing";

/** Worker → host: a call failed. For a trap the instance has already been recreated. */
export interface FailedMessage {
  /** Message kind. */
  type: "failed";
  /** Call id. */
  id: number;
  /** `err` = the plugin returned an error result; `trap`/`memory` = wasm trap; `missing` = no such fn. */
  kind: FailureKind;
  /** Trap or error message. */
  message: string;
  /** For `err`: the error variant's case, e.g. `invalid-params`. */
  variant?: string;
  /** For `err`: the error payload (usually a string). */
  detail?: unknown;
  /** Bytes of linear memory when it failed. */
  memoryBytes: number;
}

/** Any message the worker sends. */
export type FromWorker = ReadyMessage | InitFailedMessage | ResultMessage | FailedMessage;
