import assert from "node:assert/strict";
import { join } from "node:path";
import {
  checkPermissions,
  missingPermissions,
} from "../../../core/permissions/check_permissions.ts";
import { REPO_ROOT } from "../../../core/permissions/permission_needs.ts";

Deno.test("checkPermissions passes when everything is granted (tests run with -A)", () => {
  checkPermissions({ read: ["/x"], write: ["/y"], net: ["example.org"], env: true });
  assert.deepEqual(missingPermissions({ read: ["/x"], write: [], net: [], env: ["HOME"] }), []);
});

Deno.test("checkPermissions names each missing permission and the flag to add", async () => {
  const dir = await Deno.makeTempDir({ prefix: "perm_test_" });
  const script = join(dir, "probe.ts");
  const module = new URL("../../../core/permissions/check_permissions.ts", import.meta.url).href;
  await Deno.writeTextFile(
    script,
    `import { checkPermissions } from "${module}";
try {
  checkPermissions({ read: ["${dir}", "/data/in.tif"], write: ["/srv/p"], net: ["h.example.org"],
    env: ["HOME"] }, "scportrait run");
  console.log("no error");
} catch (e) { console.log(e.code + "\\n" + e.message); }`,
  );
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", `--config=${join(REPO_ROOT, "deno.json")}`, `--allow-read=${dir}`, script],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  assert.match(text, /^PERMISSION_MISSING\nscportrait run needs permissions/);
  assert.match(text, /read access to \/data\/in\.tif: add --allow-read=\/data\/in\.tif/);
  assert.match(text, /write access to \/srv\/p: add --allow-write=\/srv\/p/);
  assert.match(text, /network access to h\.example\.org: add --allow-net=h\.example\.org/);
  assert.match(text, /environment variable HOME: add --allow-env=HOME/);
  assert.ok(!text.includes(`--allow-read=${dir}`), "granted read is not reported");
  await Deno.remove(dir, { recursive: true });
});
