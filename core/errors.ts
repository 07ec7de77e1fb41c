/**
 * Typed errors shared by every part of the host. Each error carries a stable machine-readable
 * `code`, an actionable message naming the file, key or value at fault, and the underlying `cause`.
 * @module
 */

/** Stable error codes. Add a code here when a new failure class appears; never reuse one. */
export type ErrorCode =
  | "CONFIG_NOT_FOUND"
  | "CONFIG_FETCH_FAILED"
  | "CONFIG_PARSE"
  | "CONFIG_INVALID"
  | "SEMVER_INVALID"
  | "INPUT_NOT_FOUND"
  | "INPUT_INVALID"
  | "PROJECT_NOT_FOUND"
  | "PROJECT_INVALID"
  | "PROJECT_EXISTS"
  | "PROJECT_LOCKED"
  | "WRITE_FAILED"
  | "RESUME_CONFLICT"
  | "STORE_INVALID"
  | "STORE_EXISTS"
  | "ELEMENT_INCOMPLETE"
  | "ELEMENT_EXISTS"
  | "ELEMENT_NOT_FOUND"
  | "PERMISSION_MISSING"
  | "PLUGIN_REFUSED"
  | "PLUGIN_INVALID"
  | "PLUGIN_FAILED"
  | "PLUGIN_TIMEOUT"
  | "PLUGIN_MEMORY"
  | "PLUGIN_ERROR"
  | "MANIFEST_INVALID"
  | "REGISTRY_ERROR"
  | "INTEGRITY_ERROR"
  | "SIGNATURE_ERROR"
  | "H5SC_INVALID"
  | "LOCKFILE_INVALID"
  | "USAGE";

/** The one error class the host throws on purpose. `code` tells what failed; `cause` why. */
export class ScportraitError extends Error {
  /** Stable machine-readable code, e.g. `CONFIG_INVALID`. */
  readonly code: ErrorCode;

  /**
   * @param code stable code of the failure class
   * @param message what went wrong, naming the file/key/value, and what to do about it
   * @param options.cause the underlying error, if any
   */
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "ScportraitError";
    this.code = code;
  }
}

/** True when `error` is a {@link ScportraitError}, optionally with the given code. */
export function isScportraitError(error: unknown, code?: ErrorCode): error is ScportraitError {
  return error instanceof ScportraitError && (code === undefined || error.code === code);
}
