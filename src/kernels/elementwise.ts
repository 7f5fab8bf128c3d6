/**
 * Element-wise and per-column kernels on row-major Float64Arrays. Sizes are trusted (the typed
 * ops check them); every kernel writes into `out`, which may alias an input. Each takes a
 * Float64Array or a Float32Array (the element type of the matrices it serves).
 */

import { sumRowsResident } from "./wasm/rowsum.js";

/** The storage of a matrix: float64 or float32 values. */
export type Floats = Float64Array | Float32Array;

/**
 * True when every entry is finite. x * 0 is 0 for a finite x and NaN for NaN or +-Infinity, so a
 * sum of them is 0 exactly when all are finite; four independent sums let the loop run without
 * waiting on one addition after another (about 4x faster than a single sum).
 */
export function allFinite(d: Floats): boolean {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0, i = 0;
  for (; i + 3 < d.length; i += 4) {
    s0 += d[i]! * 0; s1 += d[i + 1]! * 0; s2 += d[i + 2]! * 0; s3 += d[i + 3]! * 0;
  }
  for (; i < d.length; i++) s0 += d[i]! * 0;
  return s0 + s1 + s2 + s3 === 0;
}

/**
 * out += s x, the update of gradient descent (out = W, x = dE/dW, s = -epsilon). Four entries per
 * iteration: V8 checks the loop bound once per four, which measured about 30% faster on the
 * 100,352 weights of the notes' network.
 */
export function addScaledInto(x: Floats, s: number, out: Floats): void {
  let i = 0;
  for (; i + 3 < out.length; i += 4) {
    out[i] = out[i]! + s * x[i]!; out[i + 1] = out[i + 1]! + s * x[i + 1]!; out[i + 2] = out[i + 2]! + s * x[i + 2]!; out[i + 3] = out[i + 3]! + s * x[i + 3]!;
  }
  for (; i < out.length; i++) out[i] = out[i]! + s * x[i]!;
}

/** out = a + b */
export function addInto(a: Floats, b: Floats, out: Floats): void {
  for (let i = 0; i < out.length; i++) out[i] = a[i]! + b[i]!;
}

/** out = a - b */
export function subInto(a: Floats, b: Floats, out: Floats): void {
  for (let i = 0; i < out.length; i++) out[i] = a[i]! - b[i]!;
}

/** out = a (.) b, the Hadamard (element-wise) product */
export function hadamardInto(a: Floats, b: Floats, out: Floats): void {
  for (let i = 0; i < out.length; i++) out[i] = a[i]! * b[i]!;
}

/** out = s a */
export function scaleInto(a: Floats, s: number, out: Floats): void {
  for (let i = 0; i < out.length; i++) out[i] = a[i]! * s;
}

/** out[i][j] = m[i][j] + bias[i]: adds a column to every column of an rows x cols matrix. */
export function addBiasInto(m: Floats, rows: number, cols: number, bias: Floats, out: Floats): void {
  for (let i = 0; i < rows; i++) {
    const bi = bias[i]!;
    const o = i * cols;
    for (let j = 0; j < cols; j++) out[o + j] = m[o + j]! + bi;
  }
}

/** out[i] = sum over j of m[i][j]: sums the columns of an rows x cols matrix into one column. */
export function sumColumnsInto(m: Floats, rows: number, cols: number, out: Floats): void {
  if (sumRowsResident(m, rows, cols, out)) return; // WebAssembly SIMD on arrays in the kernel heap: the same bits
  for (let i = 0; i < rows; i++) {
    const o = i * cols;
    let s = 0;
    for (let j = 0; j < cols; j++) s += m[o + j]!;
    out[i] = s;
  }
}

/** out = f(a) element by element */
export function mapInto(a: Floats, f: (x: number) => number, out: Floats): void {
  for (let i = 0; i < out.length; i++) out[i] = f(a[i]!);
}

/** log softmax of each column: z - max - log(sum exp(z - max)), finite for finite z. */
export function logSoftmaxColumnsInto(z: Floats, rows: number, cols: number, out: Floats): void {
  for (let j = 0; j < cols; j++) {
    let max = -Infinity;
    for (let i = 0; i < rows; i++) max = Math.max(max, z[i * cols + j]!);
    let sum = 0;
    for (let i = 0; i < rows; i++) sum += Math.exp(z[i * cols + j]! - max);
    const shift = max + Math.log(sum);
    for (let i = 0; i < rows; i++) out[i * cols + j] = z[i * cols + j]! - shift;
  }
}

/** out[j] = the row index of the largest entry of column j (the first one on ties). */
export function argmaxColumnsInto(m: Floats, rows: number, cols: number, out: Int32Array | number[]): void {
  for (let j = 0; j < cols; j++) {
    let best = 0;
    let bestValue = m[j]!;
    for (let i = 1; i < rows; i++) {
      const v = m[i * cols + j]!;
      if (v > bestValue) {
        bestValue = v;
        best = i;
      }
    }
    out[j] = best;
  }
}

/**
 * out (cols x rows) = the transpose of m (rows x cols), in 32 x 32 tiles so that both the reads and
 * the strided writes stay within a few cache lines at a time.
 */
export function transposeInto(m: Floats, rows: number, cols: number, out: Floats): void {
  const T = 32;
  for (let i0 = 0; i0 < rows; i0 += T) {
    const iEnd = Math.min(i0 + T, rows);
    for (let j0 = 0; j0 < cols; j0 += T) {
      const jEnd = Math.min(j0 + T, cols);
      for (let i = i0; i < iEnd; i++) {
        const o = i * cols;
        for (let j = j0; j < jEnd; j++) out[j * rows + i] = m[o + j]!;
      }
    }
  }
}
