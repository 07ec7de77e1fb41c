/**
 * Renames a core module's function exports with binaryen. AssemblyScript export names must be
 * identifiers, while the canonical ABI needs names like `scportrait:plugin/segmentation@0.1.0#segment`.
 * @module
 */

import binaryen from "binaryen";
import { ScportraitError } from "../../core/errors.ts";

/**
 * Returns `core` with each function export `from` renamed to `renames[from]`. Throws
 * `PLUGIN_INVALID` when a name in `renames` is not exported.
 */
export function renameExports(core: Uint8Array, renames: Record<string, string>): Uint8Array {
  const mod = binaryen.readBinary(core);
  try {
    const exported = new Map<string, string>();
    for (let i = 0; i < mod.getNumExports(); i++) {
      const info = binaryen.getExportInfo(mod.getExportByIndex(i));
      if (info.kind === binaryen.ExternalFunction) exported.set(info.name, info.value);
    }
    for (const [from, to] of Object.entries(renames)) {
      const internal = exported.get(from);
      if (internal === undefined) {
        throw new ScportraitError(
          "PLUGIN_INVALID",
          `The compiled module does not export function "${from}" (needed as "${to}"); ` +
            `exports are: ${[...exported.keys()].join(", ")}`,
        );
      }
      mod.removeExport(from);
      mod.addFunctionExport(internal, to);
    }
    return mod.emitBinary();
  } finally {
    mod.dispose();
  }
}
