/**
 * scPortrait's processing log (`Logable.log` in `pipeline/_base.py`): every line is appended to
 * `<dir>/processing.log` as `[dd/mm/YYYY HH:MM:SS] <message> \n` in local time — note the space
 * before the newline, as scPortrait writes it. Strings are split on newlines, arrays are written
 * one item per line and plain objects as `key: value` lines, as scPortrait does.
 * @module
 */
import * as path from "node:path";
import { ScportraitError } from "../errors.ts";

const pad = (n: number) => String(n).padStart(2, "0");

/** `[dd/mm/YYYY HH:MM:SS] ` for `date` in local time (scPortrait's `get_timestamp`). */
export function logTimestamp(date: Date = new Date()): string {
  return `[${pad(date.getDate())}/${pad(date.getMonth() + 1)}/${date.getFullYear()} ` +
    `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}] `;
}

/** The log lines (without timestamps) scPortrait writes for `message`. */
export function logLines(message: unknown): string[] {
  if (typeof message === "string") return message.split("\n");
  if (Array.isArray(message)) return message.map((m) => String(m));
  if (message !== null && typeof message === "object" && !(message instanceof Error)) {
    return Object.entries(message).map(([k, v]) => `${k}: ${String(v)}`);
  }
  return [String(message)];
}

/** Appends timestamped lines to one `processing.log`. */
export class ProjectLogger {
  /** The log file. */
  readonly file: string;
  readonly #echo: ((line: string) => void) | undefined;
  #queue: Promise<void> = Promise.resolve();

  /**
   * @param file the `processing.log` to append to (its folder is created on first write)
   * @param echo optional sink that also receives every line (e.g. `console.error` in debug mode)
   */
  constructor(file: string, echo?: (line: string) => void) {
    this.file = file;
    this.#echo = echo;
  }

  /** Appends `message` (string, list or `key: value` object); resolves when it is written. */
  log(message: unknown): Promise<void> {
    const stamp = logTimestamp();
    const lines = logLines(message).map((line) => `${stamp}${line} \n`);
    for (const line of lines) this.#echo?.(line.trimEnd());
    const next = this.#queue.then(() => this.#append(lines.join("")));
    this.#queue = next.catch(() => {});
    return next;
  }

  async #append(text: string): Promise<void> {
    try {
      await Deno.mkdir(path.dirname(this.file), { recursive: true });
      await Deno.writeTextFile(this.file, text, { append: true });
    } catch (error) {
      throw new ScportraitError(
        "WRITE_FAILED",
        `Could not append to the log ${this.file}: check that the project folder is writable.`,
        { cause: error },
      );
    }
  }
}
