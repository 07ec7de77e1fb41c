/**
 * Progress reporting for long commands: items, rate and ETA. On a TTY it redraws one line; otherwise
 * it prints a plain line at most every `intervalMs`. `quiet` silences it; `json` emits JSON lines.
 * @module
 */

/** How progress is shown. */
export interface ProgressOptions {
  /** Total number of units, if known (enables percent and ETA). */
  total?: number;
  /** Unit label, e.g. "tiles", "cells", "MB". */
  unit?: string;
  /** Print nothing. */
  quiet?: boolean;
  /** Print one JSON object per update instead of text. */
  json?: boolean;
  /** Minimum milliseconds between non-TTY lines (default 2000). */
  intervalMs?: number;
  /** Where to write; defaults to stderr. */
  write?: (line: string) => void;
  /** Force TTY mode on or off (default: detect stderr). */
  tty?: boolean;
}

/** A progress counter for one phase of work. */
export class Progress {
  readonly #label: string;
  readonly #options: ProgressOptions;
  readonly #start = performance.now();
  readonly #tty: boolean;
  #done = 0;
  #lastPrint = 0;
  #finished = false;

  /** Starts a progress phase named `label`. */
  constructor(label: string, options: ProgressOptions = {}) {
    this.#label = label;
    this.#options = options;
    this.#tty = options.tty ?? (options.write === undefined && Deno.stderr.isTerminal());
  }

  /** Units completed so far. */
  get done(): number {
    return this.#done;
  }

  /** Adds `n` completed units and redraws if due. */
  advance(n = 1): void {
    this.#done += n;
    const now = performance.now();
    const interval = this.#tty ? 100 : (this.#options.intervalMs ?? 2000);
    if (now - this.#lastPrint >= interval) {
      this.#lastPrint = now;
      this.#emit(false);
    }
  }

  /** Prints the final line of this phase. */
  finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#emit(true);
  }

  /** Current rate in units per second. */
  rate(): number {
    const seconds = (performance.now() - this.#start) / 1000;
    return seconds > 0 ? this.#done / seconds : 0;
  }

  #emit(final: boolean): void {
    if (this.#options.quiet) return;
    const { total, unit = "items" } = this.#options;
    const elapsed = (performance.now() - this.#start) / 1000;
    const rate = this.rate();
    const eta = total !== undefined && rate > 0
      ? Math.max(0, (total - this.#done) / rate)
      : undefined;
    const write = this.#options.write ?? ((line: string) => writeStderr(line));
    if (this.#options.json) {
      write(
        JSON.stringify({
          phase: this.#label,
          done: this.#done,
          total,
          unit,
          rate: round(rate),
          elapsed_s: round(elapsed),
          eta_s: eta === undefined ? undefined : round(eta),
          final,
        }) + "\n",
      );
      return;
    }
    const count = total === undefined
      ? formatCount(this.#done)
      : `${formatCount(this.#done)}/${formatCount(total)}`;
    const percent = total ? ` ${((100 * this.#done) / total).toFixed(1)}%` : "";
    const tail = final
      ? ` in ${formatDuration(elapsed)}`
      : eta === undefined
      ? ""
      : ` ETA ${formatDuration(eta)}`;
    const line = `${this.#label}: ${count} ${unit}${percent} (${
      formatRate(rate)
    } ${unit}/s)${tail}`;
    if (this.#tty) write(`\r\x1b[2K${line}${final ? "\n" : ""}`);
    else write(line + "\n");
  }
}

function formatCount(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

function formatRate(rate: number): string {
  return rate >= 100 ? rate.toFixed(0) : rate.toFixed(1);
}

/** Formats seconds as `1h02m`, `3m05s` or `4.2s`. */
export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m}m${String(Math.round(seconds % 60)).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, "0")}m`;
}

const encoder = new TextEncoder();
function writeStderr(text: string): void {
  Deno.stderr.writeSync(encoder.encode(text));
}
