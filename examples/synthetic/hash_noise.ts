/**
 * Stateless, seedable randomness for the synthetic generator: every value is a hash of (seed,
 * coordinates, stream), so any pixel or cell can be computed alone and identically.
 * @module
 */

function mix(h: number, k0: number): number {
  let k = Math.imul(k0 | 0, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** A 32-bit integer hash of up to three integers and a seed (murmur3-style mixing). */
export function hash32(seed: number, a: number, b = 0, c = 0): number {
  let h = mix(mix(mix(seed ^ 0x9e3779b9, a), b), c);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A uniform number in [0, 1) from the hash of the arguments. */
export function uniform(seed: number, a: number, b = 0, c = 0): number {
  return hash32(seed, a, b, c) / 4294967296;
}

/** An approximately standard-normal number (sum of the four bytes of one hash, Irwin–Hall). */
export function gaussian(seed: number, a: number, b = 0, c = 0): number {
  const h = hash32(seed, a, b, c);
  const s = (h & 0xff) + ((h >>> 8) & 0xff) + ((h >>> 16) & 0xff) + (h >>> 24);
  // Four uniform bytes: mean 510, variance 4 × (256² − 1) / 12.
  return (s - 510) / 147.8;
}

/** A small sequential generator for per-cell parameters, seeded from a hash. */
export class CellRandom {
  #state: number;

  /** Starts the stream for (seed, key1, key2). */
  constructor(seed: number, key1: number, key2: number) {
    this.#state = hash32(seed, key1, key2, 0x51ab);
  }

  /** Next uniform in [0, 1) (mulberry32). */
  next(): number {
    let t = (this.#state = (this.#state + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Uniform in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }
}

/**
 * Smooth value noise in about [0, 1] at spatial `scale` pixels: bilinear (smoothstep) blend of
 * hashed lattice values, so it is continuous and the same whatever window asks for it.
 */
export function valueNoise(
  seed: number,
  stream: number,
  y: number,
  x: number,
  scale: number,
): number {
  const fy = y / scale;
  const fx = x / scale;
  const y0 = Math.floor(fy);
  const x0 = Math.floor(fx);
  let ty = fy - y0;
  let tx = fx - x0;
  ty = ty * ty * (3 - 2 * ty);
  tx = tx * tx * (3 - 2 * tx);
  const v00 = uniform(seed, stream, y0, x0);
  const v01 = uniform(seed, stream, y0, x0 + 1);
  const v10 = uniform(seed, stream, y0 + 1, x0);
  const v11 = uniform(seed, stream, y0 + 1, x0 + 1);
  const top = v00 + (v01 - v00) * tx;
  const bottom = v10 + (v11 - v10) * tx;
  return top + (bottom - top) * ty;
}

/**
 * {@link valueNoise} for every pixel of a region, with the lattice hashed once: `at(y, x)` gives
 * exactly `valueNoise(seed, stream, y, x, scale)` for pixels inside the region.
 */
export class NoiseField {
  readonly #scale: number;
  readonly #ly0: number;
  readonly #lx0: number;
  readonly #lw: number;
  readonly #lattice: Float64Array;

  /** Hashes the lattice covering rows [y0, y0 + h) × columns [x0, x0 + w). */
  constructor(
    seed: number,
    stream: number,
    scale: number,
    y0: number,
    x0: number,
    h: number,
    w: number,
  ) {
    this.#scale = scale;
    this.#ly0 = Math.floor(y0 / scale);
    this.#lx0 = Math.floor(x0 / scale);
    const ly1 = Math.floor((y0 + h - 1) / scale) + 1;
    const lx1 = Math.floor((x0 + w - 1) / scale) + 1;
    this.#lw = lx1 - this.#lx0 + 1;
    const lh = ly1 - this.#ly0 + 1;
    this.#lattice = new Float64Array(lh * this.#lw);
    for (let j = 0; j < lh; j++) {
      for (let i = 0; i < this.#lw; i++) {
        this.#lattice[j * this.#lw + i] = uniform(seed, stream, this.#ly0 + j, this.#lx0 + i);
      }
    }
  }

  /** The noise value at pixel (y, x). */
  at(y: number, x: number): number {
    const fy = y / this.#scale;
    const fx = x / this.#scale;
    const y0 = Math.floor(fy);
    const x0 = Math.floor(fx);
    let ty = fy - y0;
    let tx = fx - x0;
    ty = ty * ty * (3 - 2 * ty);
    tx = tx * tx * (3 - 2 * tx);
    const i = (y0 - this.#ly0) * this.#lw + (x0 - this.#lx0);
    const l = this.#lattice;
    const v00 = l[i];
    const v01 = l[i + 1];
    const v10 = l[i + this.#lw];
    const v11 = l[i + this.#lw + 1];
    const top = v00 + (v01 - v00) * tx;
    const bottom = v10 + (v11 - v10) * tx;
    return top + (bottom - top) * ty;
  }
}
