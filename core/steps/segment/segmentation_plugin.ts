/**
 * Which segmentation plugin runs and with which parameters: the plugin pinned in the project's
 * `scportrait.lock` for the config's `segmentation.method` (verified again from the cache), or a
 * component + manifest given explicitly (development); params are validated against the
 * manifest's schema with its defaults filled in.
 * @module
 */
import { applyDefaults, validateJson } from "../../config/json_schema.ts";
import { parseMethodRef } from "../../config/method_ref.ts";
import type { SegmentationConfig } from "../../config/pipeline_config.ts";
import { ScportraitError } from "../../errors.ts";
import { sha256Hex } from "../../registry/digest.ts";
import { openInstalledPlugin } from "../../registry/installed_plugin.ts";
import { manifestRef, parseManifest, type PluginManifest } from "../../registry/manifest.ts";
import { loadTrustedKeys } from "../../registry/trusted_keys.ts";

/** A segmentation plugin ready to be compiled. */
export interface SegmentationPlugin {
  /** The validated manifest. */
  manifest: PluginManifest;
  /** The component bytes (verified when installed). */
  component: Uint8Array;
  /** Hex sha256 of the component. */
  sha256: string;
  /** Where it came from, for logs (`scportrait.lock` or the explicit paths). */
  source: string;
  /** The installed package's cache folder (holds the generated glue); none for explicit paths. */
  cacheDir?: string;
}

/** Options of {@link resolveSegmentationPlugin}. */
export interface ResolvePluginOptions {
  /** Explicit component file (with `manifestPath`), bypassing the lockfile. */
  componentPath?: string;
  /** Explicit `manifest.yaml` (with `componentPath`). */
  manifestPath?: string;
  /** Extra trusted public keys (PEM files) for installed plugins. */
  trust?: readonly string[];
  /** Plugin cache root (default: the user's cache). */
  cacheRoot?: string;
}

/** Resolves the plugin for `config` in the project at `projectDir`. */
export async function resolveSegmentationPlugin(
  projectDir: string,
  config: SegmentationConfig,
  options: ResolvePluginOptions = {},
): Promise<SegmentationPlugin> {
  if ((options.componentPath === undefined) !== (options.manifestPath === undefined)) {
    throw new ScportraitError(
      "USAGE",
      "Give --plugin <component.wasm> and --manifest <manifest.yaml> together, or neither (then " +
        "the plugin pinned in scportrait.lock runs).",
    );
  }
  let plugin: SegmentationPlugin;
  if (options.componentPath !== undefined) {
    const read = async (file: string) => {
      try {
        return await Deno.readFile(file);
      } catch (error) {
        throw new ScportraitError("INPUT_NOT_FOUND", `Cannot read ${file}: check the path.`, {
          cause: error,
        });
      }
    };
    const text = new TextDecoder().decode(await read(options.manifestPath!));
    const manifest = parseManifest(text, options.manifestPath!, { requireSha256: false });
    const component = await read(options.componentPath);
    const sha256 = await sha256Hex(component);
    if (manifest.artifact.sha256 !== null && manifest.artifact.sha256 !== sha256) {
      throw new ScportraitError(
        "INTEGRITY_ERROR",
        `${options.componentPath} has sha256 ${sha256} but ${options.manifestPath} says ` +
          `${manifest.artifact.sha256}: they are not the same build.`,
      );
    }
    plugin = { manifest, component, sha256, source: options.componentPath };
  } else {
    const id = parseMethodRef(config.method).id;
    const installed = await openInstalledPlugin(id, {
      project: projectDir,
      trustedKeys: await loadTrustedKeys({ trust: options.trust }),
      cacheRoot: options.cacheRoot,
    });
    const pkg = installed.package;
    plugin = {
      manifest: pkg.manifest,
      component: pkg.component,
      sha256: installed.lock.sha256,
      source: `scportrait.lock (${installed.cacheDir})`,
      cacheDir: installed.cacheDir,
    };
  }
  if (plugin.manifest.world !== "segmentation") {
    throw new ScportraitError(
      "PLUGIN_INVALID",
      `Plugin ${manifestRef(plugin.manifest)} implements the ${plugin.manifest.world} world, ` +
        "not segmentation: set segmentation.method to a segmentation plugin.",
    );
  }
  if ((plugin.manifest.outputs.masks ?? []).length === 0) {
    throw new ScportraitError(
      "PLUGIN_INVALID",
      `Plugin ${manifestRef(plugin.manifest)} declares no output masks (outputs.masks).`,
    );
  }
  return plugin;
}

/**
 * Validates `params` (the config's `segmentation.params`) against the manifest's schema and
 * fills in its defaults. Throws `CONFIG_INVALID` listing every problem by key path.
 */
export function pluginParams(
  manifest: PluginManifest,
  params: Record<string, unknown>,
): Record<string, unknown> {
  const issues = validateJson(manifest.params, params, { path: "segmentation.params" });
  if (issues.length > 0) {
    throw new ScportraitError(
      "CONFIG_INVALID",
      `Invalid parameters for plugin ${manifestRef(manifest)}:\n  - ` +
        `${issues.map((i) => i.message).join("\n  - ")}\nFix them in the config's ` +
        "segmentation.params (the plugin's manifest lists each parameter).",
    );
  }
  return applyDefaults(manifest.params, params).value;
}
