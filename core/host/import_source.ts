/**
 * Imports an ES module given as source text through a `data:` URL: no file is written and no
 * permission is needed, so it also works inside permission-less plugin workers.
 * @module
 */

/** Imports `source` as an ES module and resolves to its namespace object. */
export function importSource(source: string): Promise<Record<string, unknown>> {
  const bytes = new TextEncoder().encode(source);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return import(`data:text/javascript;base64,${btoa(binary)}`);
}
