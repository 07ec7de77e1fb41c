/**
 * The resume journal of a step run (`progress.jsonl`): one JSON object per line, appended and
 * fsynced as each unit of work (a tile, a batch) is committed. A kill can leave a torn last line;
 * reading ignores it and the writer truncates it away before appending, so the journal always
 * ends on a whole line. A garbled line in the middle means the file was edited or damaged and is
 * an error.
 * @module
 */
import * as path from "node:path";
import { ScportraitError } from "../errors.ts";

/** One journal line. */
export type JournalEntry =
  | {
    /** A run (or a resumed run) started. */
    event: "begin";
    /** ISO time. */
    at: string;
    /** Canonical hash of the run's parameters (resuming with other parameters is refused). */
    params_hash: string;
    /** True when this run resumed an unfinished one. */
    resumed: boolean;
    /** Process id of the runner. */
    pid: number;
  }
  | {
    /** One unit of work is committed. */
    event: "unit";
    /** The unit's key, e.g. `tile/3`. */
    key: string;
    /** ISO time. */
    at: string;
    /** What the step wants to remember about the unit (cell count, bytes …). */
    info?: unknown;
  }
  | {
    /** The run finished; its results are complete. */
    event: "finish";
    /** ISO time. */
    at: string;
    /** Cell counts and the like. */
    counts?: Record<string, number>;
  }
  | {
    /** The run failed (it can be resumed). */
    event: "fail";
    /** ISO time. */
    at: string;
    /** The error message. */
    error: string;
  };

/** A journal as read back. */
export interface JournalState {
  /** The journal file. */
  file: string;
  /** Every whole, parseable entry in order. */
  entries: JournalEntry[];
  /** Committed units: key → info of the last `unit` line for it. */
  done: Map<string, unknown>;
  /** The params hash of the last `begin` entry, if any. */
  paramsHash: string | undefined;
  /** A `finish` entry exists after the last `begin`. */
  finished: boolean;
  /** The last entry is a `fail`. */
  failed: boolean;
  /** Byte length of the whole lines (a torn tail starts here). */
  validLength: number;
  /** Bytes of a torn last line that were ignored (0 when the file ends cleanly). */
  tornBytes: number;
}

/** Reads the journal at `file`, or returns `null` if there is none. */
export async function readJournal(file: string): Promise<JournalState | null> {
  let bytes: Uint8Array;
  try {
    bytes = await Deno.readFile(file);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
  const lastNewline = bytes.lastIndexOf(0x0a);
  let validLength = lastNewline + 1;
  const lines = new TextDecoder().decode(bytes.subarray(0, validLength)).split("\n");
  lines.pop(); // the empty string after the final newline
  const state: JournalState = {
    file,
    entries: [],
    done: new Map(),
    paramsHash: undefined,
    finished: false,
    failed: false,
    validLength,
    tornBytes: bytes.length - validLength,
  };
  for (let i = 0; i < lines.length; i++) {
    let entry: JournalEntry;
    try {
      entry = JSON.parse(lines[i]!) as JournalEntry;
      if (typeof entry?.event !== "string") throw new SyntaxError("no event");
    } catch (error) {
      if (i === lines.length - 1) {
        // A whole but unparseable last line is torn, too (e.g. a zero-filled tail).
        const lineBytes = new TextEncoder().encode(lines[i]! + "\n").length;
        validLength -= lineBytes;
        state.validLength = validLength;
        state.tornBytes += lineBytes;
        break;
      }
      throw new ScportraitError(
        "PROJECT_INVALID",
        `Line ${i + 1} of the journal ${file} is not valid JSON: the file was damaged or edited. ` +
          "Rerun the step with --overwrite to start it again.",
        { cause: error },
      );
    }
    state.entries.push(entry);
    applyEntry(state, entry);
  }
  return state;
}

function applyEntry(state: JournalState, entry: JournalEntry): void {
  switch (entry.event) {
    case "begin":
      state.paramsHash = entry.params_hash;
      state.finished = false;
      state.failed = false;
      break;
    case "unit":
      state.done.set(entry.key, entry.info);
      state.failed = false;
      break;
    case "finish":
      state.finished = true;
      state.failed = false;
      break;
    case "fail":
      state.failed = true;
      break;
  }
}

/** Appends entries to a journal, one fsynced line each, in call order. */
export class JournalWriter {
  /** The journal file. */
  readonly file: string;
  readonly #handle: Deno.FsFile;
  #queue: Promise<void> = Promise.resolve();
  #closed = false;

  private constructor(file: string, handle: Deno.FsFile) {
    this.file = file;
    this.#handle = handle;
  }

  /**
   * Opens `file` for appending, creating it (and its folder) if needed and cutting a torn tail
   * at `validLength` (from {@link readJournal}).
   */
  static async open(file: string, validLength?: number): Promise<JournalWriter> {
    try {
      await Deno.mkdir(path.dirname(file), { recursive: true });
      const handle = await Deno.open(file, { write: true, create: true });
      if (validLength !== undefined) await handle.truncate(validLength);
      await handle.seek(0, Deno.SeekMode.End);
      return new JournalWriter(file, handle);
    } catch (error) {
      throw new ScportraitError(
        "WRITE_FAILED",
        `Could not open the journal ${file} for writing: check that the project is writable.`,
        { cause: error },
      );
    }
  }

  /** Appends `entry` as one line and fsyncs; resolves when it is on disk. */
  append(entry: JournalEntry): Promise<void> {
    if (this.#closed) {
      return Promise.reject(
        new ScportraitError("USAGE", `The journal ${this.file} is closed: the run has ended.`),
      );
    }
    const bytes = new TextEncoder().encode(JSON.stringify(entry) + "\n");
    const next = this.#queue.then(async () => {
      let written = 0;
      while (written < bytes.length) written += await this.#handle.write(bytes.subarray(written));
      await this.#handle.sync();
    });
    this.#queue = next.catch(() => {});
    return next;
  }

  /** Waits for pending appends and closes the file. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#queue;
    this.#handle.close();
  }
}
