import assert from "node:assert/strict";
import { join } from "node:path";
import { parseConfig } from "../../../core/config/load_config.ts";
import { REPO_ROOT } from "../../../core/permissions/permission_needs.ts";
import { permissionsFor, runNeeds } from "../../../core/permissions/permissions_for.ts";

const CONFIG = join(REPO_ROOT, "examples/configs/dapi_nuclei.yml");
const KEY = join(REPO_ROOT, "keys/first_party_publisher.public.pem");

Deno.test("permissionsFor prints the exact least-privilege line for an example config", () => {
  const loaded = parseConfig(Deno.readTextFileSync(CONFIG), CONFIG);
  const line = permissionsFor({
    configSource: CONFIG,
    config: loaded.config,
    project: "/srv/projects/p1",
    inputs: ["/data/plate1/img.tif", "https://data.example.org:8443/plate1.zarr"],
    cacheRoot: "/home/u/.cache/scportrait/plugins",
    registry: "https://plugins.example.org/registry/",
  });
  const read = [
    "/data/plate1/img.tif",
    "/home/u/.cache/scportrait/plugins",
    "/srv/projects/p1",
    join(REPO_ROOT, "core"),
    CONFIG,
    KEY,
    join(REPO_ROOT, "node_modules"),
  ].sort();
  assert.equal(
    line,
    [
      "deno run",
      `--config=${join(REPO_ROOT, "deno.json")}`,
      `--allow-read=${read.join(",")}`,
      "--allow-write=/srv/projects/p1",
      "--allow-net=data.example.org:8443,plugins.example.org",
      "--allow-env", // the config has an extraction step: h5wasm needs unscoped env
      join(REPO_ROOT, "cli.ts"),
      `run --config ${CONFIG} --project /srv/projects/p1`,
      "--input /data/plate1/img.tif --input https://data.example.org:8443/plate1.zarr",
    ].join(" "),
  );
  assert.ok(!line.includes("--allow-run") && !line.includes("--allow-ffi"));
  assert.ok(!line.includes("-A ") && !line.includes("--allow-all"));
});

Deno.test("runNeeds scopes env without extraction and drops paths inside granted folders", () => {
  const text = "segmentation:\n  method: threshold-segmentation@^0.1.0\n";
  const needs = runNeeds({
    configSource: "https://cfg.example.org/c.yml",
    config: parseConfig(text, "c.yml").config,
    project: "/p",
    inputs: ["/p/raw/img.tif", "file:///data/x.tif"],
    cacheRoot: "/cache",
  });
  assert.deepEqual(needs.env, [
    "HOME",
    "LOG_STREAM",
    "LOG_TOKENS",
    "SCPORTRAIT_CACHE",
    "SCPORTRAIT_DEBUG",
    "SCPORTRAIT_REGISTRY",
    "XDG_CACHE_HOME",
  ]);
  assert.deepEqual(needs.net, ["cfg.example.org"]);
  assert.deepEqual(needs.write, ["/p"]);
  assert.ok(needs.read.includes("/data/x.tif"));
  assert.ok(!needs.read.includes("/p/raw/img.tif"), "inside /p, already granted");
});
