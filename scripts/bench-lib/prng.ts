/*
 * Seeded randomness for the data generator. Math.random cannot be seeded, and the
 * benchmark data must be the same on every run with the same seed so that two
 * benchmark runs (or two machines) measure the same workload.
 */

/** xmur3: turns any string seed into well-mixed 32-bit seeds for sfc32. */
function xmur3(str: string): () => number {
  let h = 1779033703 ^ str.length;
  for (let i = 0; i < str.length; i++) {
    h = Math.imul(h ^ str.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  return () => {
    h = Math.imul(h ^ (h >>> 16), 2246822507);
    h = Math.imul(h ^ (h >>> 13), 3266489909);
    return (h ^= h >>> 16) >>> 0;
  };
}

/** sfc32 (128-bit state): fast, and its period is far beyond the ~10^8 draws a run makes. */
export class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: string) {
    const s = xmur3(seed);
    this.a = s();
    this.b = s();
    this.c = s();
    this.d = s();
    for (let i = 0; i < 15; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.a >>>= 0;
    this.b >>>= 0;
    this.c >>>= 0;
    this.d >>>= 0;
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** Integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Integer in [min, max]. */
  range(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  /** A child generator, so that one phase drawing more numbers does not shift the others. */
  fork(label: string): Rng {
    return new Rng(`${this.next()}:${label}`);
  }

  /** Fisher-Yates in place. */
  shuffle<T extends { length: number; [i: number]: unknown }>(items: T): T {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = items[i];
      items[i] = items[j];
      items[j] = tmp;
    }
    return items;
  }
}

/**
 * Zipf-like ranks in [0, n): the continuous inverse of a power law with exponent s, so
 * rank 0 is the most frequent and the tail is long. O(1) per draw, no tables, which
 * matters for millions of draws over hundreds of thousands of items.
 */
export class Zipf {
  private readonly a: number;
  private readonly inv: number;
  private readonly logN1: number;

  constructor(
    private readonly n: number,
    private readonly s: number,
  ) {
    this.logN1 = Math.log(n + 1);
    this.a = Math.pow(n + 1, 1 - s) - 1;
    this.inv = 1 / (1 - s);
  }

  sample(rng: Rng): number {
    const u = rng.next();
    const x = Math.abs(this.s - 1) < 1e-9 ? Math.exp(u * this.logN1) : Math.pow(this.a * u + 1, this.inv);
    const rank = Math.floor(x) - 1;
    return rank < 0 ? 0 : rank >= this.n ? this.n - 1 : rank;
  }
}

/** Weighted choice over a fixed set of weights (binary search on the cumulative sums). */
export class Weighted {
  private readonly cumulative: Float64Array;

  constructor(weights: ArrayLike<number>) {
    this.cumulative = new Float64Array(weights.length);
    let sum = 0;
    for (let i = 0; i < weights.length; i++) {
      sum += weights[i];
      this.cumulative[i] = sum;
    }
  }

  sample(rng: Rng): number {
    const c = this.cumulative;
    const target = rng.next() * c[c.length - 1];
    let lo = 0;
    let hi = c.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (c[mid] <= target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
