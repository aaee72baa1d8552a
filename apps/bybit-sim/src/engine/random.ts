// A tiny seeded PRNG (mulberry32). Math.random cannot be seeded, and the price walk must replay
// identically for the same seed so that tests and demos are reproducible.

/** Deterministic 32-bit pseudo-random generator; the same seed gives the same sequence. */
export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** Next value, uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Next integer in [0, bound) — exact, so it can feed decimal arithmetic without float error. */
  nextInt(bound: number): number {
    return Math.floor(this.next() * bound);
  }
}
