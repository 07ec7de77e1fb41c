/**
 * Test helper: runs a Python snippet with Debian's `/usr/bin/python3` (numpy, scipy, scikit-image,
 * h5py, anndata) and returns its stdout parsed as JSON.
 * @module
 */

/** Runs `code` with `args` as `sys.argv[1:]`; throws with stderr when Python fails. */
export async function runPython(code: string, args: string[] = []): Promise<unknown> {
  const out = await new Deno.Command("/usr/bin/python3", {
    args: ["-c", code, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    throw new Deno.errors.InvalidData(`python failed:\n${new TextDecoder().decode(out.stderr)}`);
  }
  const lines = stdout.trim().split("\n");
  return JSON.parse(lines[lines.length - 1]);
}
