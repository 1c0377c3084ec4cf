/**
 * The seeded random numbers of the replayable property and fuzz tests.
 *
 * @module
 */

/**
 * mulberry32: a small seeded PRNG, uniform in [0, 1); the same seed gives
 * the same sequence, so a failing case replays from its seed.
 *
 * @example
 * ```ts
 * const random = prng(42);
 * random(); // the same number on every run
 * ```
 */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
