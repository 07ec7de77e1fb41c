/**
 * Every CLI command checks its permissions before it works: run the command in a subprocess with
 * exactly the flags its least privilege grants (written out here by hand) and it succeeds; take
 * one away and it stops at once with `PERMISSION_MISSING`, naming the flag to add. Each command
 * module is run on its own (a generated script importing only it, reporting errors as `cli.ts`
 * does), so what is measured is the command's own needs, not those of every module `cli.ts`
 * imports.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { REPO_ROOT } from "../../../core/permissions/permission_needs.ts";
import { FIRST_PARTY_KEY_PATH } from "../../../core/registry/trusted_keys.ts";
import { fixtureRegistry, testKey } from "../registry/registry_fixture.ts";

const ENV = "HOME,LOG_STREAM,LOG_TOKENS,SCPORTRAIT_CACHE,SCPORTRAIT_DEBUG,SCPORTRAIT_REGISTRY," +
  "XDG_CACHE_HOME";
const CONFIG = join(REPO_ROOT, "examples/configs/dapi_nuclei.yml");
const CORE = join(REPO_ROOT, "core");
const NODE_MODULES = join(REPO_ROOT, "node_modules");

interface Run {
  code: number;
  out: string;
  err: string;
}

/** `cli.ts` command name → [module in core/cli/, exported command]. */
const MODULES: Record<string, [string, string]> = {
  "init": ["init_command.ts", "initCommand"],
  "status": ["status_command.ts", "statusCommand"],
  "load": ["load_command.ts", "loadCommand"],
  "segment": ["segment_command.ts", "segmentCommand"],
  "extract": ["extract_command.ts", "extractCommand"],
  "report": ["report_command.ts", "reportCommand"],
  "plugin install": ["plugin_command_install.ts", "pluginInstallCommand"],
  "plugin list": ["plugin_command_list.ts", "pluginListCommand"],
  "plugin info": ["plugin_command_list.ts", "pluginInfoCommand"],
  "plugin verify": ["plugin_command_verify.ts", "pluginVerifyCommand"],
  "plugin remove": ["plugin_command_verify.ts", "pluginRemoveCommand"],
  "registry build": ["registry_command.ts", "registryBuildCommand"],
};

let runners: string | undefined;

/** Writes (once) a script per command that imports only that command and runs it. */
async function runner(name: string): Promise<string> {
  runners ??= await Deno.makeTempDir({ prefix: "command_runners_" });
  const [file, symbol] = MODULES[name];
  const path = join(runners, `${name.replace(" ", "_")}.ts`);
  const cli = (f: string) => new URL(`../../../core/${f}`, import.meta.url).href;
  await Deno.writeTextFile(
    path,
    `import { ${symbol} as command } from "${cli(`cli/${file}`)}";
import { ScportraitError } from "${cli("errors.ts")}";
try {
  Deno.exit(await command.run(Deno.args));
} catch (error) {
  if (!(error instanceof ScportraitError)) throw error;
  console.error(\`error [\${error.code}]: \${error.message}\`);
  Deno.exit(1);
}
`,
  );
  return path;
}

async function cli(cache: string, flags: string[], args: string[]): Promise<Run> {
  const name = MODULES[args.slice(0, 2).join(" ")] ? args.slice(0, 2).join(" ") : args[0];
  const rest = args.slice(name.split(" ").length);
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      `--config=${join(REPO_ROOT, "deno.json")}`,
      ...flags,
      await runner(name),
      ...rest,
    ],
    cwd: REPO_ROOT,
    env: { SCPORTRAIT_CACHE: cache, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, out: text(out.stdout), err: text(out.stderr) };
}

const read = (...paths: string[]) => `--allow-read=${paths.join(",")}`;
const write = (...paths: string[]) => `--allow-write=${paths.join(",")}`;

function refused(run: Run, command: string, ...flags: string[]): void {
  assert.equal(run.code, 1, run.err);
  assert.match(
    run.err,
    new RegExp(`^error \\[PERMISSION_MISSING\\]: ${command} needs permissions`),
  );
  for (const f of flags) assert.ok(run.err.includes(`add ${f}\n`), `${f} missing in:\n${run.err}`);
  assert.ok(!/\n\s+at /.test(run.err), `a stack trace instead of a clear message:\n${run.err}`);
}

Deno.test("each command runs with exactly its least privilege and names what is missing", async () => {
  const dir = await Deno.makeTempDir({ prefix: "command_permissions_" });
  const project = join(dir, "p");
  const cache = join(dir, "cache");
  const key = await testKey();
  const keyPath = join(dir, "publisher.pem");
  await Deno.writeTextFile(keyPath, key.publicPem);
  const registry = await fixtureRegistry(dir, key);
  const env = `--allow-env=${ENV}`;
  try {
    // init: reads the config, writes the project.
    refused(await cli(cache, [env], ["init", project, "--config", CONFIG]), "init", read(CONFIG));
    let run = await cli(cache, [read(project, CONFIG), write(project), env], [
      "init",
      project,
      "--config",
      CONFIG,
    ]);
    assert.equal(run.code, 0, run.err);
    // status: reads the project only.
    refused(await cli(cache, [env], ["status", project]), "status", read(project));
    run = await cli(cache, [read(project), env], ["status", project]);
    assert.equal(run.code, 0, run.err);
    // plugin install: registry, project, cache, keys, the host's worker code (test vectors).
    const install = [
      read(cache, CORE, keyPath, FIRST_PARTY_KEY_PATH, NODE_MODULES, project, registry),
      write(cache, project),
      env,
    ];
    const installArgs = [
      "plugin",
      "install",
      "threshold-segmentation@^0.1.0",
      "--registry",
      registry,
      "--project",
      project,
      "--trust",
      keyPath,
    ];
    refused(await cli(cache, [env], installArgs), "plugin install", write(cache));
    run = await cli(cache, install, installArgs);
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, /installed threshold-segmentation@0\.1\.0/);
    // plugin list: the lockfile; info: + cache and keys; verify: + worker code.
    run = await cli(cache, [read(project), env], ["plugin", "list", "--project", project]);
    assert.match(run.out, /^threshold-segmentation@0\.1\.0 /, run.err);
    const opened = [read(cache, keyPath, FIRST_PARTY_KEY_PATH, project), env];
    const id = ["threshold-segmentation", "--project", project, "--trust", keyPath];
    refused(
      await cli(cache, [read(project), env], ["plugin", "info", ...id]),
      "plugin info",
      read(cache),
      read(keyPath),
    );
    run = await cli(cache, opened, ["plugin", "info", ...id]);
    assert.equal(run.code, 0, run.err);
    refused(await cli(cache, opened, ["plugin", "verify", ...id]), "plugin verify", read(CORE));
    run = await cli(cache, [
      read(cache, CORE, keyPath, FIRST_PARTY_KEY_PATH, NODE_MODULES, project),
      env,
    ], [
      "plugin",
      "verify",
      ...id,
    ]);
    assert.match(
      run.out,
      /^ok threshold-segmentation@0\.1\.0: .* 2 test vector\(s\) passed/,
      run.err,
    );
    // segment: the project (rw), the cache, keys and the worker code; refused before any work.
    refused(
      await cli(cache, [read(project), write(project), env], ["segment", project]),
      "segment",
      read(cache),
      read(CORE),
      read(FIRST_PARTY_KEY_PATH),
      read(NODE_MODULES),
    );
    // load: the input image too.
    const tif = join(REPO_ROOT, "examples/data/dsb2018_nuclei/img2d.tif");
    refused(
      await cli(cache, [read(project), write(project), env], ["load", project, "--tif", tif]),
      "load",
      read(tif),
      read(CORE),
    );
    // registry build: sources and output written, WIT and key read.
    refused(
      await cli(cache, [env], [
        "registry",
        "build",
        join(dir, "src-0.1.0"),
        join(dir, "out"),
        "--unsigned",
      ]),
      "registry build",
      write(join(dir, "out")),
      write(join(dir, "src-0.1.0")),
      read(join(REPO_ROOT, "wit")),
    );
    const noBuild = ["registry", "build", dir, join(dir, "out"), "--unsigned", "--no-build"];
    const built = [read(dir, join(REPO_ROOT, "wit"), CORE, NODE_MODULES), write(join(dir, "out"))];
    run = await cli(cache, [...built, env], noBuild);
    assert.match(run.out, /threshold-segmentation@0\.1\.0 .* 2 test\(s\) passed/, run.err);
    // plugin remove: rewrites the lockfile.
    refused(
      await cli(cache, [read(project), env], ["plugin", "remove", ...id.slice(0, 3)]),
      "plugin remove",
      write(project),
    );
    run = await cli(cache, [read(project), write(project), env], [
      "plugin",
      "remove",
      ...id.slice(0, 3),
    ]);
    assert.equal(run.code, 0, run.err);
    // extract and report read .h5sc files through h5wasm, which needs unscoped --allow-env.
    const rw = [read(project, CORE, NODE_MODULES), write(project), env];
    refused(await cli(cache, rw, ["extract", project]), "extract", "--allow-env");
    refused(await cli(cache, rw, ["report", project]), "report", "--allow-env");
    // Without the environment variables the cache location cannot be known: they come first.
    refused(await cli(cache, [], ["segment", project]), "segment", "--allow-env=SCPORTRAIT_CACHE");
  } finally {
    await Deno.remove(dir, { recursive: true });
    if (runners) await Deno.remove(runners, { recursive: true });
  }
});
