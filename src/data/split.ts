/** Seeded shuffling and stratified train/test splits. */
import type { Dyn } from "../shape/dims.js";
import type { DType } from "../shape/matrix.js";
import { rng } from "../ops/random.js";
import { describe } from "../shape/dims.js";
import type { Dataset } from "./dataset.js";
import { checkAnyDataset, labelsOf, subset } from "./dataset.js";

/** Options of `split`. */
export interface SplitOptions {
  /** Fraction of the examples that go to the test set, in (0, 1). */
  readonly testFraction: number;
  readonly seed?: number;
  /** Keep each class's share equal in both parts (default true). */
  readonly stratify?: boolean;
}

/**
 * `split(data, { testFraction: 0.2, seed: 1 })`: a reproducible train/test split. Stratified by
 * default: each class is shuffled and cut at the same fraction, so both parts keep the class mix.
 */
export function split<In extends number, Out extends number, N extends number, D extends DType = "float64">(
  data: Dataset<In, Out, N, D>, options: SplitOptions,
): { train: Dataset<In, Out, Dyn, D>; test: Dataset<In, Out, Dyn, D> } {
  checkAnyDataset("split", data);
  if (typeof options !== "object" || options === null) throw new TypeError(`split expects options { testFraction, seed?, stratify? } (they are required), got ${describe(options)}`);
  const f: unknown = options.testFraction;
  if (typeof f !== "number" || !(f > 0 && f < 1)) throw new RangeError(`split expects testFraction a number in (0, 1), got ${describe(f)}`);
  const random = rng(seedOf("split", options.seed));
  const labels = labelsOf(data);
  const groups = new Map<number, number[]>();
  const stratify = options.stratify ?? true;
  labels.forEach((label, j) => {
    const key = stratify ? label : 0;
    const g = groups.get(key) ?? [];
    g.push(j);
    groups.set(key, g);
  });
  const train: number[] = [], test: number[] = [];
  [...groups.keys()].sort((a, b) => a - b).forEach((key) => {
    const g = random.shuffle(groups.get(key)!);
    const cut = Math.round(g.length * f);
    test.push(...g.slice(0, cut));
    train.push(...g.slice(cut));
  });
  if (train.length === 0 || test.length === 0) throw new RangeError(`split expects a fraction that leaves examples on both sides, got ${train.length} train and ${test.length} test`);
  return { train: subset(data, random.shuffle(train)), test: subset(data, random.shuffle(test)) };
}

/**
 * `for (const batch of batches(data, 64, { seed: 1 }))`: the examples in batches of `size` (the last
 * may be smaller), in a seeded random order, or in order without a seed. Each batch is a new
 * Dataset; `fit` batches without allocating, this is for hand-written loops.
 */
export function batches<In extends number, Out extends number, N extends number, D extends DType = "float64">(
  data: Dataset<In, Out, N, D>, size: number, options: { readonly seed?: number } = {},
): Generator<Dataset<In, Out, Dyn, D>> {
  // Checked here, not in the generator, so that a mistake throws at the call rather than at the first batch.
  checkAnyDataset("batches", data);
  if (typeof size !== "number" || !Number.isInteger(size) || size < 1) throw new RangeError(`batches expects a size that is a whole number of 1 or more, got ${describe(size)}`);
  if (typeof options !== "object" || options === null) throw new TypeError(`batches expects options { seed? }, got ${describe(options)}`);
  const order = Array.from({ length: data.inputs.cols as number }, (_, j) => j);
  if (options.seed !== undefined) rng(seedOf("batches", options.seed)).shuffle(order);
  return inBatches(data, order, size);
}

function* inBatches<In extends number, Out extends number, N extends number, D extends DType>(data: Dataset<In, Out, N, D>, order: readonly number[], size: number): Generator<Dataset<In, Out, Dyn, D>> {
  for (let start = 0; start < order.length; start += size) yield subset(data, order.slice(start, start + size));
}

/** A seed: a finite number (default 0). */
function seedOf(op: string, seed: unknown): number {
  if (seed === undefined) return 0;
  if (typeof seed !== "number" || !Number.isFinite(seed)) throw new TypeError(`${op} expects seed to be a number, got ${describe(seed)}`);
  return seed;
}

/** `shuffled(data, seed)`: the same examples in a seeded random order. */
export function shuffled<In extends number, Out extends number, N extends number, D extends DType = "float64">(data: Dataset<In, Out, N, D>, seed: number): Dataset<In, Out, Dyn, D> {
  checkAnyDataset("shuffled", data);
  const order = Array.from({ length: data.inputs.cols as number }, (_, j) => j);
  return subset(data, rng(seedOf("shuffled", seed)).shuffle(order));
}
