/**
 * The abort handler every plugin is compiled with (`--use abort=…/abortHandler`), so a component
 * has no `env.abort` import. AssemblyScript has no exceptions: `throw` and failed assertions end
 * here and trap; the host then reports the failure and recreates the instance. Return an SDK
 * error (see `errors.ts`) for failures the caller should see as `err`.
 * @module
 */

/** Traps. Called by the compiler for `throw`, `assert` and runtime checks. */
export function abortHandler(
  _message: string | null,
  _fileName: string | null,
  _line: u32,
  _column: u32,
): void {
  unreachable();
}
