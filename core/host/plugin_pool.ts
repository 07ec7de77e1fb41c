/**
 * A pool of permission-less workers, each holding one warm instance of the same plugin. Calls
 * queue and go to the next idle worker; every call has a timeout, a memory ceiling applies to the
 * plugin's linear memory, and a trap or timeout only recreates that one instance or worker.
 * @module
 */

import { ScportraitError } from "../errors.ts";
import {
  checkExportedFunctions,
  type ComponentLimits,
  loadComponent,
  LoadedComponent,
} from "./load_component.ts";
import type { WorldRef } from "./plugin_worlds.ts";
import { type SegmentCallOptions, segmentTile } from "./segment_call.ts";
import type {
  ChannelStats,
  SegmentationResult,
  TileRegion,
  TileU16,
} from "./segmentation_types.ts";
import { type CallBuffers, PluginWorkerSlot, type SlotStats } from "./plugin_worker_slot.ts";

/** Per-plugin limits (from the manifest's `limits`). */
export interface PluginLimits extends ComponentLimits {
  /** Per-call timeout in seconds (also bounds instantiation). Default 60. */
  timeoutS?: number;
}

/** Options of {@link PluginPool.create}. */
export interface PluginPoolOptions {
  /** Component bytes, or a component already loaded with {@link loadComponent}. */
  component: Uint8Array | LoadedComponent;
  /** World the manifest names (ignored when `component` is already loaded). */
  world: WorldRef;
  /** Plugin id for messages, e.g. `threshold-segmentation@0.1.0`. */
  name?: string;
  /** Glue cache folder (see `LoadOptions.glueCacheDir`), e.g. `InstalledPlugin.cacheDir`. */
  glueCacheDir?: string;
  /** Memory ceiling and timeout. */
  limits?: PluginLimits;
  /** Number of workers (default: `navigator.hardwareConcurrency`). */
  workers?: number;
}

/** Counters summed over the pool's workers. */
export interface PoolStats extends SlotStats {
  /** Largest linear memory seen after a call, in bytes. */
  peakMemoryBytes: number;
}

interface QueuedCall {
  fn: string;
  args: unknown[];
  transfer: Transferable[];
  buffers: CallBuffers;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

const DEFAULT_TIMEOUT_S = 60;

/** A pool of sandboxed workers running one plugin. Create with {@link PluginPool.create}. */
export class PluginPool {
  /** The loaded component. */
  readonly component: LoadedComponent;
  /** The limits in force. */
  readonly limits: Readonly<Required<Pick<PluginLimits, "timeoutS">> & PluginLimits>;
  readonly #slots: PluginWorkerSlot[];
  readonly #idle: PluginWorkerSlot[];
  readonly #queue: QueuedCall[] = [];
  #peakMemory = 0;
  #closed = false;

  private constructor(
    component: LoadedComponent,
    limits: PluginLimits & { timeoutS: number },
    slots: PluginWorkerSlot[],
  ) {
    this.component = component;
    this.limits = limits;
    this.#slots = slots;
    this.#idle = [...slots];
  }

  /**
   * Loads (or reuses) the component, compiles it under the memory ceiling, starts the workers and
   * checks the exported functions against the world. Rejects with `PLUGIN_REFUSED`,
   * `PLUGIN_INVALID`, `PLUGIN_MEMORY`, `PLUGIN_TIMEOUT` or `PLUGIN_FAILED`.
   */
  static async create(options: PluginPoolOptions): Promise<PluginPool> {
    const component = options.component instanceof LoadedComponent
      ? options.component
      : await loadComponent(options.component, {
        world: options.world,
        name: options.name,
        glueCacheDir: options.glueCacheDir,
      });
    const limits = { ...options.limits, timeoutS: options.limits?.timeoutS ?? DEFAULT_TIMEOUT_S };
    if (!(limits.timeoutS > 0)) {
      throw new ScportraitError(
        "PLUGIN_INVALID",
        `Timeout ${limits.timeoutS} s for plugin ${component.name} must be a positive number.`,
      );
    }
    const count = options.workers ?? navigator.hardwareConcurrency ?? 1;
    if (!Number.isInteger(count) || count < 1) {
      throw new ScportraitError("USAGE", `workers must be a positive integer, got ${count}.`);
    }
    const compiled = await component.compile(limits);
    const slots = Array.from(
      { length: count },
      () => new PluginWorkerSlot(component.name, compiled, limits.timeoutS * 1000),
    );
    const pool = new PluginPool(component, limits, slots);
    try {
      const lists = await Promise.all(slots.map((s) => s.start()));
      checkExportedFunctions(component.name, component.world, lists[0]);
    } catch (error) {
      pool.close();
      throw error;
    }
    return pool;
  }

  /** Number of workers. */
  get size(): number {
    return this.#slots.length;
  }

  /** Calls waiting for a worker. */
  get queued(): number {
    return this.#queue.length;
  }

  /** Counters summed over all workers. */
  get stats(): PoolStats {
    const total: PoolStats = {
      calls: 0,
      timeouts: 0,
      traps: 0,
      workerStarts: 0,
      mailboxCalls: 0,
      peakMemoryBytes: this.#peakMemory,
    };
    for (const s of this.#slots) {
      total.calls += s.stats.calls;
      total.timeouts += s.stats.timeouts;
      total.traps += s.stats.traps;
      total.workerStarts += s.stats.workerStarts;
      total.mailboxCalls += s.stats.mailboxCalls;
    }
    return total;
  }

  /**
   * Calls an exported function on the next idle worker. `fn` is `"<interface>#<fn>"` (e.g.
   * `scportrait:plugin/segmentation@0.1.0#segment`) or a world-level `"<fn>"` such as `describe`;
   * `args` are in jco's JS representation (records as objects, `list<u16>` as `Uint16Array`).
   * Buffers in `transfer` are moved into the worker (they are detached here); typed arrays in the
   * result are moved back; `buffers` can get the `transfer` buffers back and lend spent result
   * buffers for the results (see {@link CallBuffers}). Rejects with `PLUGIN_TIMEOUT`,
   * `PLUGIN_MEMORY`, `PLUGIN_FAILED` (trap) or a {@link PluginResultError} (`PLUGIN_ERROR`, the
   * plugin's `err` variant).
   */
  call(
    fn: string,
    args: unknown[] = [],
    transfer: Transferable[] = [],
    buffers: CallBuffers = {},
  ): Promise<unknown> {
    if (this.#closed) {
      return Promise.reject(
        new ScportraitError("USAGE", `The pool of plugin ${this.component.name} is closed.`),
      );
    }
    return new Promise((resolve, reject) => {
      this.#queue.push({ fn, args, transfer, buffers, resolve, reject });
      this.#dispatch();
    });
  }

  /**
   * Segmentation world: segments one tile (see {@link segmentTile}). The tile's buffer is moved
   * into the worker unless `options.copy` is set.
   */
  segment(
    tile: TileU16,
    region: TileRegion,
    stats: ChannelStats[],
    params: string | Record<string, unknown>,
    options?: SegmentCallOptions,
  ): Promise<SegmentationResult> {
    return segmentTile(this, tile, region, stats, params, options);
  }

  /** The plugin's self-description (the `describe` export every world has). */
  async describe(): Promise<string> {
    return String(await this.call("describe"));
  }

  #dispatch(): void {
    while (this.#idle.length > 0 && this.#queue.length > 0) {
      const slot = this.#idle.pop()!;
      const job = this.#queue.shift()!;
      slot.call(job.fn, job.args, job.transfer, job.buffers).then(job.resolve, job.reject).finally(
        () => {
          this.#peakMemory = Math.max(this.#peakMemory, slot.memoryBytes);
          if (this.#closed) return;
          this.#idle.push(slot);
          this.#dispatch();
        },
      );
    }
  }

  /** Terminates every worker; queued and running calls reject. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const slot of this.#slots) slot.terminate();
    for (const job of this.#queue.splice(0)) {
      job.reject(new ScportraitError("USAGE", `The pool of plugin ${this.component.name} closed.`));
    }
  }

  /** Same as {@link close}, for `using`. */
  [Symbol.dispose](): void {
    this.close();
  }
}
