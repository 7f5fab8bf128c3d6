/**
 * Shared pieces of the interop tests: seeded parameters (biases too, so that a lost bias shows),
 * inputs that are exact in float32 (so an engine running in float32 sees the same numbers),
 * shapegrad's predictions laid out one example per row (the other engines' layout), and a naive
 * forward pass written from the definitions as an independent reference.
 */
import { fromArray, predict, rng, transpose, widen, type AnyMlp, type Mlp, type Sizes } from "../src/index.js";

/** Re-draws every weight and bias of `net` uniformly in [-scale, scale), seeded. */
export function randomize<S extends Sizes>(net: Mlp<S>, seed: number, scale = 0.5): Mlp<S> {
  const random = rng(seed);
  const params = [...(net.weights as unknown as { data: Float64Array }[]), ...(net.biases as unknown as { data: Float64Array }[])];
  for (const m of params) for (let i = 0; i < m.data.length; i++) m.data[i] = (2 * random.next() - 1) * scale;
  return net;
}

/** Forgets a network's literal sizes (as a network read from a file has none), so different networks fit one list. */
export function anyNet<S extends Sizes>(net: Mlp<S>): AnyMlp {
  return net as unknown as AnyMlp;
}

/** `batch` examples of `features` values in [0, 1), one example per row, exactly representable in float32. */
export function inputRows(batch: number, features: number, seed: number): Float32Array {
  const random = rng(seed);
  return Float32Array.from({ length: batch * features }, () => random.next());
}

/** shapegrad's predictions for the rows of `x`, laid out one example per row. */
export function predictRows<S extends Sizes>(typed: Mlp<S>, x: ArrayLike<number>, batch: number): Float64Array {
  const net = anyNet(typed);
  const features = net.sizes[0]!;
  const p = predict(net, widen(transpose(fromArray(Array.from(x), batch, features))));
  const out = new Float64Array(p.data.length);
  const k = p.rows;
  for (let j = 0; j < batch; j++) for (let i = 0; i < k; i++) out[j * k + i] = p.data[i * batch + j]!;
  return out;
}

export interface NaiveLayer {
  /** W [out][in] */
  readonly w: number[][];
  readonly b: number[];
  readonly f: "relu" | "sigmoid" | "tanh" | "softmax" | "identity";
}

/** y = f(W x + b) layer by layer, for each row of x: written from the definitions, no library code. */
export function naiveForward(layers: readonly NaiveLayer[], x: ArrayLike<number>, batch: number): Float64Array {
  const out: number[] = [];
  const features = layers[0]!.w[0]!.length;
  for (let j = 0; j < batch; j++) {
    let a = Array.from({ length: features }, (_, i) => x[j * features + i]!);
    for (const { w, b, f } of layers) {
      const z = w.map((row, o) => row.reduce((s, v, i) => s + v * a[i]!, b[o]!));
      if (f === "softmax") {
        const m = Math.max(...z);
        const e = z.map((v) => Math.exp(v - m));
        const sum = e.reduce((s, v) => s + v, 0);
        a = e.map((v) => v / sum);
      } else {
        a = z.map((v) => (f === "relu" ? Math.max(0, v) : f === "sigmoid" ? 1 / (1 + Math.exp(-v)) : f === "tanh" ? Math.tanh(v) : v));
      }
    }
    out.push(...a);
  }
  return Float64Array.from(out);
}

/** Largest absolute difference of two equally long arrays (Infinity if the lengths differ). */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i]! - b[i]!));
  return d;
}

/**
 * The first index where two arrays differ (-1 if none, the shorter length if only the lengths
 * differ): large arrays are compared with this, since a failing toEqual on 100,000 numbers makes
 * vitest spend minutes on the diff.
 */
export function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (!Object.is(a[i], b[i])) return i;
  return a.length === b.length ? -1 : n;
}

/** A seeded [rows][cols] array in [-scale, scale). */
export function randomMatrix(rows: number, cols: number, seed: number, scale = 0.5): number[][] {
  const random = rng(seed);
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => Math.fround((2 * random.next() - 1) * scale)));
}
