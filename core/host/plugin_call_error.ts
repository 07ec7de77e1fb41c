/**
 * The error a plugin call rejects with when the plugin itself returned an `err` result: it keeps
 * the WIT error variant (`invalid-params`, `invalid-input`, `internal`) and its payload.
 * @module
 */

import { ScportraitError } from "../errors.ts";

/** A plugin returned `err(variant)`; `code` is `PLUGIN_ERROR`. */
export class PluginResultError extends ScportraitError {
  /** Plugin id. */
  readonly pluginId: string;
  /** The function that was called. */
  readonly fn: string;
  /** The error variant's case (e.g. `invalid-params`), or undefined for a bare payload. */
  readonly variant?: string;
  /** The variant's payload, usually a message string. */
  readonly detail: unknown;

  /**
   * @param pluginId plugin id
   * @param fn called function
   * @param variant error case name, if the error type is a variant
   * @param detail payload
   */
  constructor(pluginId: string, fn: string, variant: string | undefined, detail: unknown) {
    const what = variant ? `${variant}: ${String(detail)}` : String(detail);
    super(
      "PLUGIN_ERROR",
      `Plugin ${pluginId} refused ${fn}: ${what}` +
        (variant === "invalid-params" ? ". Check the parameters in the config." : ""),
    );
    this.name = "PluginResultError";
    this.pluginId = pluginId;
    this.fn = fn;
    this.variant = variant;
    this.detail = detail;
  }
}
