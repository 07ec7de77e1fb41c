/**
 * Where a static registry lives: a folder, a `file://` URL, an `https://` URL, or `http://` on
 * the loopback interface only (tests, local mirrors). Reads files by registry-relative path.
 * An `https://` registry may use a certificate from an extra CA the caller trusts (`caCerts`).
 * @module
 */
import { isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { ScportraitError } from "../errors.ts";
import { packagePathProblem } from "./package_path.ts";

/** Read access to a registry's files. */
export interface RegistrySource {
  /** The registry as given (normalised): an absolute folder path or a URL ending in `/`. */
  readonly location: string;
  /** Whether the registry is reached over the network. */
  readonly remote: boolean;
  /** Reads a file by registry-relative path; throws `REGISTRY_ERROR` naming it. */
  read(path: string): Promise<Uint8Array>;
  /** Like {@link read} but resolves to undefined when the file does not exist. */
  readOptional(path: string): Promise<Uint8Array | undefined>;
  /** Releases the HTTP client, if any (idempotent). */
  close(): void;
}

/** Options of {@link openRegistry}. */
export interface RegistryClientOptions {
  /** Time allowed for one HTTP request, in ms (default {@link REGISTRY_TIMEOUT_MS}). */
  timeoutMs?: number;
  /**
   * Extra CA certificates (PEM text, see `loadCaCerts`) trusted for `https://` registries, in
   * addition to the default roots — for a lab registry behind an internal CA.
   */
  caCerts?: readonly string[];
}

/** Default time allowed for one HTTP request, in ms. */
export const REGISTRY_TIMEOUT_MS = 60_000;

const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

function checkPath(path: string, location: string): void {
  const problem = packagePathProblem(path);
  if (problem !== undefined) {
    throw new ScportraitError(
      "REGISTRY_ERROR",
      `Refusing to read "${path}" from registry ${location}: it is ${problem}.`,
    );
  }
}

class FolderSource implements RegistrySource {
  readonly location: string;
  readonly remote = false;
  constructor(dir: string) {
    this.location = dir;
  }
  async readOptional(path: string): Promise<Uint8Array | undefined> {
    checkPath(path, this.location);
    try {
      return await Deno.readFile(join(this.location, path));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return undefined;
      throw new ScportraitError(
        "REGISTRY_ERROR",
        `Cannot read ${join(this.location, path)}: ${(error as Error).message}.`,
        { cause: error },
      );
    }
  }
  close(): void {}
  async read(path: string): Promise<Uint8Array> {
    const bytes = await this.readOptional(path);
    if (bytes === undefined) {
      throw new ScportraitError(
        "REGISTRY_ERROR",
        `Registry ${this.location} has no file ${path}. Is it a registry folder (with index.json)?`,
      );
    }
    return bytes;
  }
}

class HttpSource implements RegistrySource {
  readonly location: string;
  readonly remote = true;
  readonly #timeoutMs: number;
  #client: Deno.HttpClient | undefined;
  constructor(url: string, options: RegistryClientOptions) {
    this.location = url;
    this.#timeoutMs = options.timeoutMs ?? REGISTRY_TIMEOUT_MS;
    if (options.caCerts && options.caCerts.length > 0) {
      try {
        this.#client = Deno.createHttpClient({ caCerts: [...options.caCerts] });
      } catch (error) {
        throw new ScportraitError(
          "REGISTRY_ERROR",
          `The CA certificate(s) given for registry ${url} are not valid ` +
            `(${(error as Error).message}). Check the --ca-cert file.`,
          { cause: error },
        );
      }
    }
  }
  close(): void {
    this.#client?.close();
    this.#client = undefined;
  }
  async readOptional(path: string): Promise<Uint8Array | undefined> {
    checkPath(path, this.location);
    const url = new URL(path, this.location).href;
    let response: Response;
    try {
      response = await fetch(url, {
        signal: AbortSignal.timeout(this.#timeoutMs),
        redirect: "error",
        client: this.#client,
      });
    } catch (error) {
      const why = [error, (error as Error).cause].map((e) => (e as Error)?.message).join(": ");
      const hint = /certificate|UnknownIssuer|tls/i.test(why)
        ? "The server's TLS certificate is not trusted: if the registry uses an internal CA, " +
          "pass its certificate with --ca-cert <pem>."
        : "Check the registry URL and network.";
      throw new ScportraitError("REGISTRY_ERROR", `Cannot fetch ${url}: ${why}. ${hint}`, {
        cause: error,
      });
    }
    if (response.status === 404) {
      await response.body?.cancel();
      return undefined;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new ScportraitError(
        "REGISTRY_ERROR",
        `Fetching ${url} answered HTTP ${response.status} ${response.statusText}.`,
      );
    }
    return new Uint8Array(await response.arrayBuffer());
  }
  async read(path: string): Promise<Uint8Array> {
    const bytes = await this.readOptional(path);
    if (bytes === undefined) {
      throw new ScportraitError(
        "REGISTRY_ERROR",
        `Registry ${this.location} has no file ${path} (HTTP 404).`,
      );
    }
    return bytes;
  }
}

/**
 * Opens a registry location: a folder path, `file://…`, `https://…`, or `http://` with a
 * loopback host (127.0.0.1, localhost, [::1]). Any other `http://` is refused with
 * `REGISTRY_ERROR` (a plain-HTTP registry could be tampered with on the way). `caCerts` are
 * trusted in addition to the default roots for `https://`. Call `close()` when done.
 */
export function openRegistry(
  location: string,
  options: RegistryClientOptions = {},
): RegistrySource {
  if (/^https?:\/\//i.test(location)) {
    const url = new URL(location);
    if (url.protocol === "http:" && !LOOPBACK.has(url.hostname)) {
      throw new ScportraitError(
        "REGISTRY_ERROR",
        `Registry ${location} uses plain http://; only https:// (or http://127.0.0.1 for ` +
          "local tests) is accepted.",
      );
    }
    if (!url.pathname.endsWith("/")) url.pathname += "/";
    url.search = "";
    url.hash = "";
    return new HttpSource(url.href, options);
  }
  if (/^file:\/\//i.test(location)) return new FolderSource(fileURLToPath(location));
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) {
    throw new ScportraitError(
      "REGISTRY_ERROR",
      `Registry ${location}: unsupported scheme; use a folder, file://, or https://.`,
    );
  }
  return new FolderSource(isAbsolute(location) ? location : resolve(location));
}
