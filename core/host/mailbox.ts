/**
 * The shared mailbox of one plugin worker: a `SharedArrayBuffer` with a state word, a length
 * word and an arena. Small calls (no transfer list, encoding ≤ the arena) are written into the
 * arena and signalled with `Atomics.notify`; the worker blocks in `Atomics.wait` between calls
 * and answers in the arena; the host waits with `Atomics.waitAsync`, so the main thread never
 * blocks. Large calls still go by `postMessage` + transfer: the host posts, then asks the worker
 * to park (leave its wait loop for the event loop, where the message waits).
 *
 * States (who writes them): IDLE (initial), CALL (host: request in the arena), DONE (worker:
 * reply in the arena), POSTED (worker: reply went by postMessage), YIELD (host: park, a message
 * follows), PARKED (worker: parked, reading messages), DEAD (host: worker terminated).
 * @module
 */

/** Index of the state word in the control `Int32Array`. */
export const STATE = 0;
/** Index of the message-length word. */
export const LENGTH = 1;
/** Mailbox states (see the module doc). */
export const MailboxState = {
  IDLE: 0,
  CALL: 1,
  DONE: 2,
  POSTED: 3,
  YIELD: 4,
  PARKED: 5,
  DEAD: 6,
} as const;
/** Bytes before the arena. */
export const HEADER_BYTES = 16;
/** Arena size: the largest encoded call or reply that goes through the mailbox. */
export const ARENA_BYTES = 64 * 1024;

/** Messages up to this size are copied byte by byte (`set`/`slice` on shared memory cost ~1 µs). */
const SMALL_COPY = 256;

/** Views of one mailbox. */
export interface Mailbox {
  /** The shared buffer (posted to the worker once, at init). */
  buffer: SharedArrayBuffer;
  /** Control words: `[STATE]`, `[LENGTH]`. */
  ctrl: Int32Array;
  /** The arena. */
  arena: Uint8Array;
}

/** Views over `buffer`, or a new mailbox when none is given. */
export function openMailbox(
  buffer = new SharedArrayBuffer(HEADER_BYTES + ARENA_BYTES),
): Mailbox {
  return {
    buffer,
    ctrl: new Int32Array(buffer, 0, HEADER_BYTES / 4),
    arena: new Uint8Array(buffer, HEADER_BYTES),
  };
}

/** Writes `message` into the arena and publishes `state` (then wakes the other side). */
export function publish(box: Mailbox, state: number, message?: Uint8Array): void {
  if (message) {
    if (message.length <= SMALL_COPY) {
      for (let i = 0; i < message.length; i++) box.arena[i] = message[i];
    } else box.arena.set(message);
    Atomics.store(box.ctrl, LENGTH, message.length);
  }
  Atomics.store(box.ctrl, STATE, state);
  Atomics.notify(box.ctrl, STATE);
}

/** A non-shared copy of the message in the arena. */
export function readMessage(box: Mailbox): Uint8Array {
  const length = Atomics.load(box.ctrl, LENGTH);
  if (length > SMALL_COPY) return box.arena.slice(0, length);
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = box.arena[i];
  return out;
}

/**
 * Host side: waits without blocking until the state is no longer `state`; resolves to the new
 * state, or `"timed-out"` after `timeoutMs`.
 */
export async function waitWhile(
  box: Mailbox,
  state: number,
  timeoutMs: number,
): Promise<number | "timed-out"> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const now = Atomics.load(box.ctrl, STATE);
    if (now !== state) return now;
    const left = deadline - performance.now();
    if (left <= 0) return "timed-out";
    const wait = Atomics.waitAsync(box.ctrl, STATE, state, left);
    if (wait.async) await wait.value;
  }
}
