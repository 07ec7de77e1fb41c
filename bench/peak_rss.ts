/**
 * Peak resident set size of this process (all its threads, so Workers included), from
 * `/proc/self/status` (`VmHWM`). Benchmarks print it next to their speed numbers.
 * @module
 */

/** Peak RSS of the current process in bytes, or `undefined` where `/proc` is unavailable. */
export function peakRssBytes(): number | undefined {
  try {
    const status = Deno.readTextFileSync("/proc/self/status");
    const match = status.match(/^VmHWM:\s+(\d+)\s+kB/m);
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Formats bytes as MiB with one decimal. */
export function mib(bytes: number | undefined): string {
  return bytes === undefined ? "n/a" : `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}
