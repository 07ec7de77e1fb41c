/**
 * scPortrait for Deno — the library API. Everything a program needs is exported from here:
 * projects, configuration, image input, the SpatialData store, the plugin host and registry.
 * @module
 */
export { isScportraitError, ScportraitError } from "./core/errors.ts";
export type { ErrorCode } from "./core/errors.ts";
export { formatDuration, Progress } from "./core/ui/progress.ts";
export type { ProgressOptions } from "./core/ui/progress.ts";
