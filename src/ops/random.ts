/**
 * A seeded pseudo-random generator. shapegrad never calls Math.random: every initialisation and
 * shuffle takes an `Rng`, so a run with the same seed gives the same numbers.
 */

/** A seeded random source; calling it is `next()`. */
export interface Rng {
  /** A uniform number in [0, 1), like `next()`. */
  (): number;
  /** A uniform number in [0, 1). */
  next(): number;
  /** A standard normal number (mean 0, variance 1), by Box-Muller. */
  normal(): number;
  /** A whole number in 0 .. n-1. */
  int(n: number): number;
  /** Shuffles `items` in place (Fisher-Yates) and returns it. */
  shuffle<T extends { length: number; [i: number]: unknown }>(items: T): T;
  /** The generator's state now (plain numbers, JSON-safe): `rngFromState(r.state())` continues where `r` is. */
  state(): RngState;
}

/** The whole state of an `Rng`: sfc32's four 32-bit words, and the second normal number of a Box-Muller pair if one is pending. */
export interface RngState {
  readonly sfc32: readonly [number, number, number, number];
  readonly spare: number | null;
}

/** `rng(42)`: a generator (sfc32, seeded through splitmix32) whose sequence depends only on the seed. */
export function rng(seed: number): Rng {
  if (!Number.isFinite(seed)) throw new RangeError(`rng expects a finite seed, got ${seed}`);
  let s = Math.trunc(seed) >>> 0;
  const split = (): number => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  return fromWords(split(), split(), split(), split(), undefined);
}

/** `rngFromState(r.state())`: a generator that continues exactly where `r` was (checked: four whole numbers in 0..2^32-1). */
export function rngFromState(state: RngState): Rng {
  const words = (state as { sfc32?: unknown } | null)?.sfc32;
  if (!Array.isArray(words) || words.length !== 4 || !words.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff)) {
    throw new RangeError(`rngFromState expects sfc32: four whole numbers in 0..4294967295, got ${JSON.stringify(words)}`);
  }
  const spare = state.spare;
  if (spare !== null && !(typeof spare === "number" && Number.isFinite(spare))) throw new RangeError(`rngFromState expects spare a finite number or null, got ${String(spare)}`);
  return fromWords(words[0]! | 0, words[1]! | 0, words[2]! | 0, words[3]! | 0, spare ?? undefined);
}

function fromWords(a: number, b: number, c: number, d: number, pending: number | undefined): Rng {
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  let spare = pending;
  const methods: Pick<Rng, "next" | "normal" | "int" | "shuffle" | "state"> = {
    next,
    state: () => ({ sfc32: [a >>> 0, b >>> 0, c >>> 0, d >>> 0], spare: spare ?? null }),
    normal() {
      if (spare !== undefined) {
        const v = spare;
        spare = undefined;
        return v;
      }
      let u = next();
      while (u === 0) u = next();
      const r = Math.sqrt(-2 * Math.log(u));
      const theta = 2 * Math.PI * next();
      spare = r * Math.sin(theta);
      return r * Math.cos(theta);
    },
    int(n) {
      return Math.floor(next() * n);
    },
    shuffle(items) {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        const t = items[i];
        items[i] = items[j];
        items[j] = t;
      }
      return items;
    },
  };
  return Object.assign(() => next(), methods);
}

/** True when `x` is an `Rng` (a plain-JavaScript caller may pass anything). */
export function isRng(x: unknown): x is Rng {
  return typeof x === "function" && typeof (x as Partial<Rng>).normal === "function" && typeof (x as Partial<Rng>).next === "function";
}
