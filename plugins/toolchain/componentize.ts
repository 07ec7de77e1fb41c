/**
 * Wraps a core module into a WebAssembly component for one world of the contract
 * (`componentEmbed` + `componentNew` from jco-transpile's wasm-tools).
 * @module
 */

import {
  componentEmbed,
  componentNew,
  componentWit,
} from "@bytecodealliance/jco-transpile/wasm-tools";
import { ScportraitError } from "../../core/errors.ts";

/** Embeds the WIT world `world` of `witSource` into `core` and makes it a component. */
export async function componentize(
  core: Uint8Array,
  witSource: string,
  world: string,
): Promise<Uint8Array> {
  try {
    const embedded = await componentEmbed({ binary: core, witSource, world });
    return await componentNew(embedded);
  } catch (cause) {
    throw new ScportraitError(
      "PLUGIN_INVALID",
      `Could not make a component for world "${world}": ${describeCause(cause)}. ` +
        `Check that the core module exports every function of the world with its canonical name`,
      { cause },
    );
  }
}

/** The WIT text of a component (its imports and exports), e.g. to check it imports nothing. */
export function witOfComponent(component: Uint8Array): Promise<string> {
  return componentWit(component);
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  if (typeof cause === "object" && cause && "payload" in cause) return String(cause.payload);
  return String(cause);
}
