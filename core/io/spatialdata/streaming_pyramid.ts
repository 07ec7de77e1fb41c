/**
 * Assembles pyramid levels while level 0 streams in. Each level-0 chunk is reduced (in the chunk
 * job) through the scale factors; when the chunk size is divisible by the cumulative factor of a
 * level, every pixel of that level depends on exactly one level-0 chunk, so the reduced blocks are
 * final values and only need to be placed into their level's chunk. A level chunk is emitted as
 * soon as all the level-0 chunks under it have arrived, so memory holds only the level chunks of
 * the rows in flight. The result equals the level-by-level build (`pyramid.ts`) bit for bit.
 * @module
 */
import type { Block } from "./block_reduce.ts";
import type { RasterArray } from "./pyramid.ts";

/** A finished chunk of a pyramid level, ready to encode. */
export interface LevelChunk {
  /** Level (≥ 1). */
  level: number;
  /** Channel. */
  channel: number;
  /** Chunk row. */
  cy: number;
  /** Chunk column. */
  cx: number;
  /** Valid samples (`h * w`). */
  data: RasterArray;
  /** Valid rows. */
  h: number;
  /** Valid columns. */
  w: number;
}

interface Accumulator {
  data: RasterArray;
  h: number;
  w: number;
  remaining: number;
}

/**
 * How many leading levels (after level 0) can be streamed: the largest `k` such that the chunk
 * height and width are divisible by `factors[0] * … * factors[k-1]`.
 */
export function streamableLevels(chunk: readonly [number, number], factors: readonly number[]) {
  let k = 0;
  let cumulative = 1;
  for (const f of factors) {
    cumulative *= f;
    if (chunk[0] % cumulative !== 0 || chunk[1] % cumulative !== 0) break;
    k++;
  }
  return k;
}

/** Places reduced level-0 chunks into the chunks of levels 1…k. */
export class StreamingPyramid {
  /** Number of streamed levels (levels 1…levels). */
  readonly levels: number;
  readonly #shapes: readonly (readonly [number, number])[];
  readonly #chunk: readonly [number, number];
  readonly #cumulative: number[];
  readonly #open = new Map<string, Accumulator>();
  readonly #fed = new Set<string>();
  /** Arrays of level chunks already written, filled again instead of fresh memory. */
  readonly #spares: RasterArray[] = [];

  /**
   * @param levelShapes (height, width) of every level, level 0 first
   * @param chunk chunk (height, width), the same for all levels
   * @param factors scale factors of the streamed levels (each relative to the previous)
   */
  constructor(
    levelShapes: readonly (readonly [number, number])[],
    chunk: readonly [number, number],
    factors: readonly number[],
  ) {
    this.levels = factors.length;
    this.#shapes = levelShapes;
    this.#chunk = chunk;
    this.#cumulative = [];
    let c = 1;
    for (const f of factors) this.#cumulative.push(c *= f);
  }

  /** Level-0 chunks fed so far. */
  get fed(): number {
    return this.#fed.size;
  }

  /** Level chunks waiting for more level-0 chunks. */
  get pending(): number {
    return this.#open.size;
  }

  /**
   * Hands back the array of a level chunk that {@link add} returned, once it is written: the next
   * level chunk is assembled in it (a fresh one costs a page fault per 4 KiB on first touch).
   */
  recycle(data: RasterArray): void {
    if (data.byteLength > 0 && this.#spares.length < 4) this.#spares.push(data);
  }

  /** `n` zeros of type `Type`, in a recycled array when one is large enough. */
  #zeroed(Type: new (n: number) => RasterArray, n: number): RasterArray {
    const i = this.#spares.findIndex((a) => a.constructor === Type && a.length >= n);
    if (i < 0) return new Type(n);
    const data = this.#spares.splice(i, 1)[0].subarray(0, n);
    if (data instanceof BigUint64Array) data.fill(0n);
    else data.fill(0);
    return data;
  }

  /**
   * Adds the reduced blocks of level-0 chunk (`channel`, `cy`, `cx`) — `reduced[i]` belongs to
   * level `i + 1` — and returns the level chunks it completed. Returns null if this level-0 chunk
   * was fed before (the streamed levels can then no longer be trusted).
   */
  add(channel: number, cy: number, cx: number, reduced: readonly Block[]): LevelChunk[] | null {
    const key = `${channel}/${cy}/${cx}`;
    if (this.#fed.has(key)) return null;
    this.#fed.add(key);
    const done: LevelChunk[] = [];
    const [ch, cw] = this.#chunk;
    for (let i = 0; i < this.levels; i++) {
      const block = reduced[i];
      if (block.h === 0 || block.w === 0) continue;
      const level = i + 1;
      const f = this.#cumulative[i];
      const ocy = Math.floor(cy / f);
      const ocx = Math.floor(cx / f);
      const id = `${level}/${channel}/${ocy}/${ocx}`;
      let acc = this.#open.get(id);
      if (acc === undefined) {
        const [lh, lw] = this.#shapes[level];
        const h = Math.min(ch, lh - ocy * ch);
        const w = Math.min(cw, lw - ocx * cw);
        acc = {
          // same sample type as the blocks (uint32 ids are widened to uint64 when encoded)
          data: this.#zeroed(block.data.constructor as new (n: number) => RasterArray, h * w),
          h,
          w,
          remaining: this.#contributors(ocy, f, 0) * this.#contributors(ocx, f, 1),
        };
        this.#open.set(id, acc);
      }
      const y0 = (cy % f) * (ch / f);
      const x0 = (cx % f) * (cw / f);
      for (let row = 0; row < block.h; row++) {
        // deno-lint-ignore no-explicit-any
        (acc.data as any).set(
          block.data.subarray(row * block.w, (row + 1) * block.w),
          (y0 + row) * acc.w + x0,
        );
      }
      if (--acc.remaining === 0) {
        this.#open.delete(id);
        done.push({ level, channel, cy: ocy, cx: ocx, data: acc.data, h: acc.h, w: acc.w });
      }
    }
    return done;
  }

  /** Level-0 chunks along `axis` under level chunk index `o` that give at least one pixel. */
  #contributors(o: number, f: number, axis: 0 | 1): number {
    const size = this.#shapes[0][axis];
    const c = this.#chunk[axis];
    let n = 0;
    for (let i = o * f; i < (o + 1) * f && i * c < size; i++) {
      if (Math.min(c, size - i * c) >= f) n++;
    }
    return n;
  }
}
