import assert from "node:assert/strict";
import { join } from "node:path";
import { parseConfig } from "../../../core/config/load_config.ts";
import { REPO_ROOT } from "../../../core/permissions/permission_needs.ts";
import { permissionsFor, runNeeds } from "../../../core/permissions/permissions_for.ts";

const CONFIG = join(REPO_ROOT, "examples/configs/dapi_nuclei.yml");
const KEY = join(REPO_ROOT, "keys/first_party_publisher.public.pem");
/** Paths in a grant are sorted, so the expected order depends on where the checkout lives. */
const paths = (...list: string[]) => [...list].sort().join(",");

Deno.test("permissionsFor prints one exact least-privilege line per pipeline command", () => {
  const loaded = parseConfig(Deno.readTextFileSync(CONFIG), CONFIG);
  const text = permissionsFor({
    configSource: CONFIG,
    config: loaded.config,
    project: "/srv/projects/p1",
    inputs: ["/data/plate1/dapi.tif", "/data/plate1/tubulin.tif"],
    cacheRoot: "/home/u/.cache/scportrait/plugins",
    registry: "https://plugins.example.org/registry/",
  });
  const cache = "/home/u/.cache/scportrait/plugins";
  const [DAPI, TUBULIN] = ["/data/plate1/dapi.tif", "/data/plate1/tubulin.tif"];
  const env =
    "--allow-env=HOME,LOG_STREAM,LOG_TOKENS,SCPORTRAIT_CACHE,SCPORTRAIT_DEBUG,SCPORTRAIT_REGISTRY," +
    "XDG_CACHE_HOME";
  const head = `deno run --config=${join(REPO_ROOT, "deno.json")}`;
  const cli = join(REPO_ROOT, "cli.ts");
  const core = join(REPO_ROOT, "core");
  const nm = join(REPO_ROOT, "node_modules");
  const install = (m: string) =>
    `${head} --allow-read=${paths(cache, "/srv/projects/p1", core, KEY, nm)} ` +
    `--allow-write=${cache},/srv/projects/p1 --allow-net=plugins.example.org ${env} ${cli} ` +
    `plugin install '${m}' --project /srv/projects/p1 ` +
    "--registry https://plugins.example.org/registry/";
  assert.deepEqual(text.split("\n"), [
    "# One line per pipeline command; each grants only what that command needs.",
    `${head} --allow-read=${
      paths("/srv/projects/p1", CONFIG)
    } --allow-write=/srv/projects/p1 ${env} ` +
    `${cli} init /srv/projects/p1 --config ${CONFIG}`,
    install("dapi-segmentation@^0.1.0"),
    install("cell-featurizer@^0.1.0"),
    `${head} --allow-read=${
      paths(DAPI, TUBULIN, "/srv/projects/p1", core, nm)
    } --allow-write=/srv/projects/p1 ${env} ${cli} load /srv/projects/p1 ` +
    "--tif /data/plate1/dapi.tif --tif /data/plate1/tubulin.tif",
    `${head} --allow-read=${paths(cache, "/srv/projects/p1", core, KEY, nm)} ` +
    `--allow-write=/srv/projects/p1 ${env} ${cli} segment /srv/projects/p1`,
    // The config has an extraction step: h5wasm needs unscoped env.
    `${head} --allow-read=${paths("/srv/projects/p1", core, nm)} --allow-write=/srv/projects/p1 ` +
    `--allow-env ${cli} extract /srv/projects/p1`,
    "# featurization: no command yet; the plugins are installed above.",
    "# Or all of it in one process (`run`, the union of the above):",
    `${head} --allow-read=${
      paths(DAPI, TUBULIN, cache, "/srv/projects/p1", core, CONFIG, KEY, nm)
    } ` +
    `--allow-write=${cache},/srv/projects/p1 ` +
    `--allow-net=plugins.example.org --allow-env ${cli} run /srv/projects/p1 --config ${CONFIG} ` +
    "--tif /data/plate1/dapi.tif --tif /data/plate1/tubulin.tif " +
    "--registry https://plugins.example.org/registry/",
  ]);
  assert.ok(!text.includes("--allow-run") && !text.includes("--allow-ffi"));
  assert.ok(!text.includes("-A ") && !text.includes("--allow-all"));
});

Deno.test("permissionsFor: a remote OME-Zarr input and config need only their hosts", () => {
  const text = "segmentation:\n  method: threshold-segmentation@^0.1.0\n";
  const lines = permissionsFor({
    configSource: "https://cfg.example.org/c.yml",
    config: parseConfig(text, "c.yml").config,
    project: "/p",
    inputs: ["https://data.example.org:8443/plate1.zarr"],
    cacheRoot: "/cache",
  }).split("\n");
  assert.equal(lines.length, 7); // comment, init, install, load, segment, comment, run
  assert.match(lines[1], /--allow-net=cfg\.example\.org .* init \/p --config https:\/\/cfg/);
  const registry = join(REPO_ROOT, "registry");
  const read = lines[2].match(/--allow-read=(\S+) /)?.[1].split(",") ?? [];
  assert.ok(["/cache", "/p", registry].every((p) => read.includes(p)), lines[2]);
  assert.ok(!lines[2].includes("--allow-net"), "the default registry is a folder");
  assert.match(
    lines[3],
    /--allow-net=data\.example\.org:8443 .* load \/p --ome-zarr https:\/\/data\.example\.org:8443\//,
  );
  assert.throws(
    () =>
      permissionsFor({
        configSource: "c.yml",
        config: parseConfig(text, "c.yml").config,
        project: "/p",
        inputs: ["/a.tif", "/b.zarr"],
        cacheRoot: "/cache",
      }),
    /TIFF files \(one per channel\) or one OME-Zarr store/,
  );
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
  assert.deepEqual(needs.write, ["/cache", "/p"]); // run installs missing plugins
  assert.ok(needs.read.includes("/data/x.tif"));
  assert.ok(!needs.read.includes("/p/raw/img.tif"), "inside /p, already granted");
});
