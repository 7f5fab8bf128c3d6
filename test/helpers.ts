/** Independent references for the tests: naive loops written from the definitions, no library code. */
import type { Matrix } from "../src/index.js";

export type Rows = number[][];

export function naiveMatmul(a: Rows, b: Rows): Rows {
  return a.map((row) => b[0]!.map((_, j) => row.reduce((s, v, k) => s + v * b[k]![j]!, 0)));
}

export function naiveTranspose(a: Rows): Rows {
  return a[0]!.map((_, j) => a.map((row) => row[j]!));
}

export function rowsOf(m: Pick<Matrix<number, number>, "rows" | "cols" | "data">): Rows {
  const out: Rows = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}

/** Largest absolute difference between two equally shaped row arrays. */
export function maxDiff(a: Rows, b: Rows): number {
  let d = 0;
  a.forEach((row, i) => row.forEach((v, j) => (d = Math.max(d, Math.abs(v - b[i]![j]!)))));
  return d;
}

/** Largest absolute difference relative to the largest magnitude of `want` (the oracle's rule). */
export function relativeError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  if (got.length !== want.length) return Infinity;
  let scale = 0, diff = 0;
  for (let i = 0; i < want.length; i++) {
    scale = Math.max(scale, Math.abs(want[i]!));
    diff = Math.max(diff, Math.abs(got[i]! - want[i]!));
  }
  return scale === 0 ? diff : diff / scale;
}

/** A seeded row array of the given shape, values in [-1, 1). */
export function randomRows(rows: number, cols: number, seed: number): Rows {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => 2 * next() - 1));
}
