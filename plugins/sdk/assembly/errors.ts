/**
 * Errors a method returns as the contract's `error` variant. AssemblyScript cannot unwind, so a
 * method records the error and returns `null`; the SDK glue then returns `err(…)` to the host.
 * The first error recorded during a call wins.
 * @module
 */

import { lowerString } from "./strings";

/** Case of the WIT `error` variant (discriminant order of `types.wit`). */
export enum ErrorKind {
  /** `invalid-params(string)`. */
  InvalidParams = 0,
  /** `invalid-input(string)`. */
  InvalidInput = 1,
  /** `internal(string)`. */
  Internal = 2,
}

/** An error waiting to be returned to the host. */
export class PluginError {
  constructor(public kind: ErrorKind, public message: string) {}
}

let pending: PluginError | null = null;

/** Records an error of `kind` unless one is already recorded. */
export function fail(kind: ErrorKind, message: string): void {
  if (pending === null) pending = new PluginError(kind, message);
}

/** Records `invalid-params(message)`: name the key and what is expected. */
export function invalidParams(message: string): void {
  fail(ErrorKind.InvalidParams, message);
}

/** Records `invalid-input(message)`: say which input and what shape or value was expected. */
export function invalidInput(message: string): void {
  fail(ErrorKind.InvalidInput, message);
}

/** Records `internal(message)`. */
export function internalError(message: string): void {
  fail(ErrorKind.Internal, message);
}

/** True when an error has been recorded during this call. */
export function hasError(): bool {
  return pending !== null;
}

/** Returns and clears the recorded error. */
export function takeError(): PluginError | null {
  const e = pending;
  pending = null;
  return e;
}

/**
 * Writes `err(e)` into a result return area: discriminant 1 at `area`, then the `error` variant
 * (u8 case, string) at `area + payloadOffset`.
 */
export function lowerError(area: usize, payloadOffset: usize, e: PluginError): void {
  store<u8>(area, 1);
  store<u8>(area + payloadOffset, <u8> e.kind);
  lowerString(area + payloadOffset + 4, e.message);
}
