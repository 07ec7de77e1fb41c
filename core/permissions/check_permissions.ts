/**
 * `checkPermissions`: before a command starts work, query every permission it needs with
 * `Deno.permissions.querySync` and fail with `PERMISSION_MISSING` naming each missing one and
 * the flag to add, instead of failing deep inside a library.
 * @module
 */
import { ScportraitError } from "../errors.ts";
import type { PermissionNeeds } from "./permission_needs.ts";

/** One permission that is not granted, with the flag that grants it. */
export interface MissingPermission {
  /** What is missing, e.g. `read access to /data/img.tif`. */
  what: string;
  /** The flag to add, e.g. `--allow-read=/data/img.tif`. */
  flag: string;
}

function granted(descriptor: Deno.PermissionDescriptor): boolean {
  return Deno.permissions.querySync(descriptor).state === "granted";
}

/** Lists the permissions of `needs` that are not granted (nothing is prompted). */
export function missingPermissions(needs: PermissionNeeds): MissingPermission[] {
  const out: MissingPermission[] = [];
  for (const path of needs.read) {
    if (!granted({ name: "read", path })) {
      out.push({ what: `read access to ${path}`, flag: `--allow-read=${path}` });
    }
  }
  for (const path of needs.write) {
    if (!granted({ name: "write", path })) {
      out.push({ what: `write access to ${path}`, flag: `--allow-write=${path}` });
    }
  }
  for (const host of needs.net) {
    if (!granted({ name: "net", host })) {
      out.push({ what: `network access to ${host}`, flag: `--allow-net=${host}` });
    }
  }
  if (needs.env === true) {
    if (!granted({ name: "env" })) {
      out.push({ what: "access to all environment variables (h5wasm)", flag: "--allow-env" });
    }
  } else {
    for (const variable of needs.env) {
      if (!granted({ name: "env", variable })) {
        out.push({ what: `environment variable ${variable}`, flag: `--allow-env=${variable}` });
      }
    }
  }
  return out;
}

/**
 * Throws `PERMISSION_MISSING` listing every permission of `needs` that is not granted and the
 * flag to add; `command` names the command in the message. Returns quietly when all are granted.
 */
export function checkPermissions(needs: PermissionNeeds, command = "this command"): void {
  const missing = missingPermissions(needs);
  if (missing.length === 0) return;
  throw new ScportraitError(
    "PERMISSION_MISSING",
    `${command} needs permissions Deno has not granted:\n` +
      missing.map((m) => `  - ${m.what}: add ${m.flag}`).join("\n") +
      "\n`scportrait permissions <config>` prints the complete least-privilege command line.",
  );
}
