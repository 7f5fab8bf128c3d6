/**
 * Shared pieces of the interop tests: seeded parameters (biases too, so that a lost bias shows),
 * inputs that are exact in float32 (so an engine running in float32 sees the same numbers),
 * shapegrad's predictions laid out one example per row (the other engines' layout), and a naive
 * forward pass written from the definitions as an independent reference.
 */
import { fromArray, predict, rng, toDType, transpose, widen, type AnyMlp, type AnyNetwork, type Mlp, type Sizes } from "../src/index.js";

/** Re-draws every weight and bias of `net` uniformly in [-scale, scale), seeded. */
export function randomize<N extends AnyNetwork>(net: N, seed: number, scale = 0.5): N {
  const random = rng(seed);
  for (const m of [...net.weights, ...net.biases]) if (m) for (let i = 0; i < m.data.length; i++) m.data[i] = (2 * random.next() - 1) * scale;
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

/** shapegrad's predictions for the rows of `x` (one example per row; an image example [C, H, W] row-major), laid out one example per row. */
export function predictRows(typed: AnyNetwork, x: ArrayLike<number>, batch: number): Float64Array {
  const net = typed as AnyMlp; // predict's run-time checks do not depend on the network's kind; its type here is only for the call
  const features = net.sizes[0]!;
  const x64 = widen(transpose(fromArray(Array.from(x), batch, features)));
  // a float32 network takes float32 inputs (its predictions are float32 too)
  const p = typed.dtype === "float32" ? predict(typed as unknown as AnyMlp<"float32">, toDType(x64, "float32")) : predict(net, x64);
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

// ---- convolutional networks, written from the definitions (no library code) ----

type F = "relu" | "sigmoid" | "tanh" | "softmax" | "identity";
/** One layer of a reference network. conv: w [F][C][KH][KW], pads [top, bottom, left, right]. */
export type RefLayer =
  | { readonly kind: "dense"; readonly w: number[][]; readonly b: number[]; readonly f: F }
  | { readonly kind: "conv"; readonly w: number[][][][]; readonly b: number[]; readonly stride: readonly [number, number]; readonly pads: readonly [number, number, number, number]; readonly f: F }
  | { readonly kind: "pool"; readonly size: readonly [number, number]; readonly stride: readonly [number, number] }
  | { readonly kind: "flatten" };

const apply = (f: F, z: number[]): number[] => {
  if (f === "softmax") {
    const m = Math.max(...z);
    const e = z.map((v) => Math.exp(v - m));
    const sum = e.reduce((s, v) => s + v, 0);
    return e.map((v) => v / sum);
  }
  return z.map((v) => (f === "relu" ? Math.max(0, v) : f === "sigmoid" ? 1 / (1 + Math.exp(-v)) : f === "tanh" ? Math.tanh(v) : v));
};

/**
 * The reference network's outputs for the rows of x, each row an example of shape `input`
 * ([C, H, W] row-major, or [n]): convolution with zero padding, max pooling, flatten, dense, each
 * by its definition, one example and one output value at a time.
 */
export function naiveNetForward(layers: readonly RefLayer[], input: readonly number[], x: ArrayLike<number>, batch: number): Float64Array {
  const n = input.reduce((p, v) => p * v, 1);
  const out: number[] = [];
  for (let j = 0; j < batch; j++) {
    let shape = [...input];
    let a = Array.from({ length: n }, (_, i) => x[j * n + i]!);
    for (const layer of layers) {
      if (layer.kind === "flatten") {
        shape = [a.length];
      } else if (layer.kind === "dense") {
        a = apply(layer.f, layer.w.map((row, o) => row.reduce((s, v, i) => s + v * a[i]!, layer.b[o]!)));
        shape = [a.length];
      } else if (layer.kind === "conv") {
        const [C, H, W] = shape as [number, number, number];
        const Fn = layer.w.length, KH = layer.w[0]![0]!.length, KW = layer.w[0]![0]![0]!.length;
        const [sh, sw] = layer.stride, [pt, pb, pl, pr] = layer.pads;
        const OH = Math.floor((H + pt + pb - KH) / sh) + 1, OW = Math.floor((W + pl + pr - KW) / sw) + 1;
        const z: number[] = [];
        for (let f = 0; f < Fn; f++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) {
          let s = layer.b[f]!;
          for (let c = 0; c < C; c++) for (let kh = 0; kh < KH; kh++) for (let kw = 0; kw < KW; kw++) {
            const h = oh * sh - pt + kh, w = ow * sw - pl + kw;
            if (h >= 0 && h < H && w >= 0 && w < W) s += layer.w[f]![c]![kh]![kw]! * a[(c * H + h) * W + w]!;
          }
          z.push(s);
        }
        a = apply(layer.f, z);
        shape = [Fn, OH, OW];
      } else {
        const [C, H, W] = shape as [number, number, number];
        const [ph, pw] = layer.size, [sh, sw] = layer.stride;
        const OH = Math.floor((H - ph) / sh) + 1, OW = Math.floor((W - pw) / sw) + 1;
        const z: number[] = [];
        for (let c = 0; c < C; c++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) {
          let m = -Infinity;
          for (let i = 0; i < ph; i++) for (let k = 0; k < pw; k++) m = Math.max(m, a[(c * H + oh * sh + i) * W + ow * sw + k]!);
          z.push(m);
        }
        a = z;
        shape = [C, OH, OW];
      }
    }
    out.push(...a);
  }
  return Float64Array.from(out);
}

/** A seeded [F][C][KH][KW] array in [-scale, scale), exact in float32. */
export function randomKernel(f: number, c: number, kh: number, kw: number, seed: number, scale = 0.5): number[][][][] {
  const random = rng(seed);
  return Array.from({ length: f }, () => Array.from({ length: c }, () => Array.from({ length: kh }, () => Array.from({ length: kw }, () => Math.fround((2 * random.next() - 1) * scale)))));
}

/** Rows of [C, H, W] examples (NCHW) as rows of [H, W, C] examples (NHWC, Keras's layout). */
export function toNhwc(x: ArrayLike<number>, batch: number, [c, h, w]: readonly number[]): Float32Array {
  const out = new Float32Array(x.length), n = c! * h! * w!;
  for (let j = 0; j < batch; j++) for (let ci = 0; ci < c!; ci++) for (let y = 0; y < h!; y++) for (let k = 0; k < w!; k++) {
    out[j * n + (y * w! + k) * c! + ci] = x[j * n + (ci * h! + y) * w! + k]!;
  }
  return out;
}
