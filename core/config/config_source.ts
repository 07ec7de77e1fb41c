/**
 * Reads a config's text from a file path, a `file://` URL or an `https://` URL (`http://` only for
 * loopback hosts, for tests), with a timeout on remote reads.
 * @module
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ScportraitError } from "../errors.ts";

/** Options for reading a config. */
export interface ReadSourceOptions {
  /** Aborts the read (remote sources). */
  signal?: AbortSignal;
  /** Timeout for a remote read in milliseconds, headers and body together (default 30000). */
  timeoutMs?: number;
}

/** A config's text and canonical source (absolute path or URL). */
export interface ConfigText {
  /** Absolute file path or the URL as given. */
  source: string;
  /** The text exactly as read. */
  text: string;
}

/** Default timeout of a remote config read. */
export const DEFAULT_CONFIG_TIMEOUT_MS = 30_000;

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

/** True when `source` names a remote (http/https) config. */
export function isRemoteSource(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/** Reads the config text from a path or URL; see the module doc for which sources are allowed. */
export async function readConfigSource(
  source: string,
  options: ReadSourceOptions = {},
): Promise<ConfigText> {
  if (isRemoteSource(source)) return await fetchConfig(source, options);
  const path = /^file:\/\//i.test(source) ? fileURLToPath(source) : resolve(source);
  try {
    return { source: path, text: await Deno.readTextFile(path) };
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new ScportraitError(
        "CONFIG_NOT_FOUND",
        `Config file not found: ${path}. Check the path given to --config`,
        { cause: error },
      );
    }
    if (error instanceof Deno.errors.IsADirectory) {
      throw new ScportraitError(
        "CONFIG_NOT_FOUND",
        `Config path is a directory, not a file: ${path}. Pass the config.yml inside it`,
        { cause: error },
      );
    }
    if (error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied) {
      throw new ScportraitError(
        "PERMISSION_MISSING",
        `Cannot read config ${path}: permission denied. Run deno with --allow-read=${path}`,
        { cause: error },
      );
    }
    throw new ScportraitError("CONFIG_NOT_FOUND", `Cannot read config ${path}: ${error}`, {
      cause: error,
    });
  }
}

async function fetchConfig(url: string, options: ReadSourceOptions): Promise<ConfigText> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new ScportraitError("CONFIG_FETCH_FAILED", `Invalid config URL "${url}"`, {
      cause: error,
    });
  }
  if (parsed.protocol === "http:" && !LOOPBACK.has(parsed.hostname)) {
    throw new ScportraitError(
      "CONFIG_FETCH_FAILED",
      `Refusing to fetch config over plain http from ${url}: use an https:// URL`,
    );
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_CONFIG_TIMEOUT_MS;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  try {
    const response = await fetch(url, { signal, redirect: "follow" });
    if (!response.ok) {
      await response.body?.cancel();
      throw new ScportraitError(
        "CONFIG_FETCH_FAILED",
        `Cannot fetch config ${url}: HTTP ${response.status} ${response.statusText}`.trim() +
          ". Check the URL",
      );
    }
    return { source: url, text: await response.text() };
  } catch (error) {
    if (error instanceof ScportraitError) throw error;
    if (timeout.aborted) {
      throw new ScportraitError(
        "CONFIG_FETCH_FAILED",
        `Cannot fetch config ${url}: timed out after ${timeoutMs / 1000} s. ` +
          `Check the server or raise the timeout`,
        { cause: error },
      );
    }
    if (options.signal?.aborted) {
      throw new ScportraitError("CONFIG_FETCH_FAILED", `Fetching config ${url} was aborted`, {
        cause: error,
      });
    }
    throw new ScportraitError(
      "CONFIG_FETCH_FAILED",
      `Cannot fetch config ${url}: ${error instanceof Error ? error.message : error}. ` +
        `Check the URL and that --allow-net includes ${parsed.host}`,
      { cause: error },
    );
  }
}
