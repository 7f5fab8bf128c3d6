import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  add, addBias, argmax, fromRows, hadamard, logSoftmax, map, matmul, matmulTransA, matmulTransB, relu, reluDerivative,
  scale, softmax, sub, sumColumns, transpose, widen, zeros, ShapeError, type AnyMatrix,
} from "../src/index.js";
import { matmulTransBScaled } from "../src/ops/matmul.js";
import { maxDiff, naiveMatmul, naiveTranspose, randomRows, rowsOf, type Rows } from "./helpers.js";

const dyn = (r: Rows): AnyMatrix => widen(fromRows(r));
const shape = fc.record({ r: fc.integer({ min: 1, max: 12 }), k: fc.integer({ min: 1, max: 40 }), c: fc.integer({ min: 1, max: 12 }), seed: fc.integer() });

describe("matrix products against the naive reference", () => {
  it("matmul, matmulTransA, matmulTransB and transpose", () => {
    fc.assert(fc.property(shape, ({ r, k, c, seed }) => {
      const a = randomRows(r, k, seed), b = randomRows(k, c, seed + 7);
      const want = naiveMatmul(a, b);
      expect(maxDiff(rowsOf(matmul(dyn(a), dyn(b))), want)).toBeLessThan(1e-12);
      expect(maxDiff(rowsOf(matmulTransA(dyn(naiveTranspose(a)), dyn(b))), want)).toBeLessThan(1e-12);
      expect(maxDiff(rowsOf(matmulTransB(dyn(a), dyn(naiveTranspose(b)))), want)).toBeLessThan(1e-12);
      expect(rowsOf(transpose(dyn(a)))).toEqual(naiveTranspose(a));
    }), { numRuns: 60 });
  });

  it("matmulTransBScaled (internal, the mean weight gradient) is scale(matmulTransB(a, b), s), with matmulTransB's error", () => {
    fc.assert(fc.property(shape, fc.constantFrom(1, 1 / 64, -2.5), ({ r, k, c, seed }, s) => {
      const a = randomRows(r, k, seed), bT = naiveTranspose(randomRows(k, c, seed + 7));
      const want = rowsOf(scale(matmulTransB(dyn(a), dyn(bT)), s));
      expect(maxDiff(rowsOf(matmulTransBScaled(dyn(a), dyn(bT), s)), want)).toBeLessThan(1e-12);
    }), { numRuns: 40 });
    expect(() => matmulTransBScaled(widen(zeros(3, 4)), widen(zeros(5, 5)), 0.5)).toThrow("matmulTransB expects b.cols = a.cols = 4, got 3x4 times bT of 5x5");
  });

  it("transpose in tiles: shapes across several 32 x 32 tiles and ragged edges", () => {
    for (const [r, c] of [[70, 45], [33, 1], [1, 100], [64, 64]] as const) {
      const a = randomRows(r, c, r * c);
      expect(rowsOf(transpose(dyn(a)))).toEqual(naiveTranspose(a));
    }
  });

  it("(AB)^T = B^T A^T", () => {
    fc.assert(fc.property(shape, ({ r, k, c, seed }) => {
      const a = dyn(randomRows(r, k, seed)), b = dyn(randomRows(k, c, seed + 1));
      expect(maxDiff(rowsOf(transpose(matmul(a, b))), rowsOf(matmul(transpose(b), transpose(a))))).toBeLessThan(1e-12);
    }), { numRuns: 50 });
  });

  it("A(B + C) = AB + AC", () => {
    fc.assert(fc.property(shape, ({ r, k, c, seed }) => {
      const a = dyn(randomRows(r, k, seed)), b = dyn(randomRows(k, c, seed + 1)), d = dyn(randomRows(k, c, seed + 2));
      expect(maxDiff(rowsOf(matmul(a, add(b, d))), rowsOf(add(matmul(a, b), matmul(a, d))))).toBeLessThan(1e-12);
    }), { numRuns: 50 });
  });

  it("writes into a caller-given out and returns it", () => {
    const a = fromRows([[1, 2], [3, 4]]), b = fromRows([[5, 6], [7, 8]]);
    const out = zeros(2, 2);
    expect(matmul(a, b, out)).toBe(out);
    expect(rowsOf(out)).toEqual([[19, 22], [43, 50]]);
  });
});

describe("element-wise ops against known values", () => {
  const a = fromRows([[1, -2, 3], [-4, 5, -6]]);
  const b = fromRows([[0.5, 1, 2], [3, -1, 0]]);
  it("add, sub, hadamard, scale, map", () => {
    expect(rowsOf(add(a, b))).toEqual([[1.5, -1, 5], [-1, 4, -6]]);
    expect(rowsOf(sub(a, b))).toEqual([[0.5, -3, 1], [-7, 6, -6]]);
    expect(rowsOf(hadamard(a, b))).toEqual([[0.5, -2, 6], [-12, -5, -0]]);
    expect(rowsOf(scale(a, -2))).toEqual([[-2, 4, -6], [8, -10, 12]]);
    expect(rowsOf(map(a, (x) => x * x))).toEqual([[1, 4, 9], [16, 25, 36]]);
  });
  it("addBias adds the column to every column; sumColumns sums them", () => {
    expect(rowsOf(addBias(a, fromRows([[10], [20]])))).toEqual([[11, 8, 13], [16, 25, 14]]);
    expect(rowsOf(sumColumns(a))).toEqual([[2], [-5]]);
  });
  it("relu and its derivative (0 at z = 0)", () => {
    const z = fromRows([[-1, 0, 2]]);
    expect(rowsOf(relu(z))).toEqual([[0, 0, 2]]);
    expect(rowsOf(reluDerivative(z))).toEqual([[0, 0, 1]]);
  });
  it("out may alias an input", () => {
    const m = fromRows([[1, 2]]);
    add(m, m, m);
    expect(rowsOf(m)).toEqual([[2, 4]]);
  });
});

describe("softmax and log-softmax per column", () => {
  it("columns of softmax sum to 1 and match e^z / sum e^z", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 9 }), fc.integer(), (k, n, seed) => {
      const z = randomRows(k, n, seed).map((r) => r.map((v) => 10 * v));
      const p = rowsOf(softmax(dyn(z)));
      for (let j = 0; j < n; j++) {
        const denom = z.reduce((s, row) => s + Math.exp(row[j]!), 0);
        let sum = 0;
        for (let i = 0; i < k; i++) {
          expect(p[i]![j]!).toBeCloseTo(Math.exp(z[i]![j]!) / denom, 12);
          sum += p[i]![j]!;
        }
        expect(sum).toBeCloseTo(1, 12);
      }
    }), { numRuns: 50 });
  });

  it("logits of +-1e4 give no NaN or Infinity (the max shift)", () => {
    const z = fromRows([[1e4, -1e4], [1e4 - 1, 1e4], [-1e4, -1e4]]);
    const p = softmax(z), lp = logSoftmax(z);
    for (const v of [...p.data, ...lp.data]) expect(Number.isNaN(v)).toBe(false);
    for (const v of p.data) expect(Number.isFinite(v)).toBe(true);
    expect(p.data[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 12);
    expect(lp.data[0]).toBeCloseTo(-Math.log(1 + Math.exp(-1)), 10);
    expect(lp.data[4]).toBeCloseTo(-2e4 - Math.log(1 + Math.exp(-1)), 8); // row 2, column 0: -1e4 - (1e4 + log(1 + e^-1))
  });

  it("logSoftmax equals log(softmax) wherever both are finite", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 6 }), fc.integer(), (k, n, seed) => {
      const z = dyn(randomRows(k, n, seed).map((r) => r.map((v) => 30 * v)));
      const p = softmax(z), lp = logSoftmax(z);
      p.data.forEach((v, i) => {
        if (v > 0) expect(Math.abs(Math.log(v) - lp.data[i]!)).toBeLessThan(1e-9);
      });
    }), { numRuns: 50 });
  });

  it("argmax gives the row of each column's largest entry", () => {
    expect(argmax(fromRows([[0.1, 5, 2], [0.7, 1, 2], [0.2, -1, 1]]))).toEqual([1, 0, 0]);
  });
});

describe("run-time shape errors carry the compile-time text", () => {
  const cases: [string, () => unknown, string][] = [
    ["matmul", () => matmul(widen(zeros(3, 4)), widen(zeros(5, 5))), "matmul expects b.rows = a.cols = 4, got 3x4 times 5x5"],
    ["matmulTransA", () => matmulTransA(widen(zeros(3, 4)), widen(zeros(5, 5))), "matmulTransA expects b.rows = a.rows = 3, got aT of 3x4 times 5x5"],
    ["matmulTransB", () => matmulTransB(widen(zeros(3, 4)), widen(zeros(5, 5))), "matmulTransB expects b.cols = a.cols = 4, got 3x4 times bT of 5x5"],
    ["add", () => add(widen(zeros(3, 4)), widen(zeros(4, 3))), "add expects b of shape 3x4 like a, got 3x4 and 4x3"],
    ["sub", () => sub(widen(zeros(3, 4)), widen(zeros(3, 5))), "sub expects b of shape 3x4 like a, got 3x4 and 3x5"],
    ["hadamard", () => hadamard(widen(zeros(2, 2)), widen(zeros(2, 1))), "hadamard expects b of shape 2x2 like a, got 2x2 and 2x1"],
    ["addBias", () => addBias(widen(zeros(3, 4)), zeros(4 as number, 1)), "addBias expects a bias of shape 3x1, got 3x4 plus 4x1"],
    ["out", () => matmul(zeros(2, 3), zeros(3, 4), widen(zeros(2, 3)) as never), "matmul expects out of shape 2x4, got out 2x3"],
    ["sumColumns out", () => sumColumns(zeros(3, 4), widen(zeros(4, 1)) as never), "sumColumns expects out of shape 3x1, got out 4x1"],
    ["not a matrix", () => relu({ rows: 2, cols: 2, data: [1, 2, 3, 4] } as never), "relu expects a Float64Array or Float32Array of 2x2 numbers, got an array of 4"],
    ["scale NaN", () => scale(zeros(2, 2), Number.NaN), "scale expects finite numbers, got NaN at the factor"],
  ];
  it.each(cases)("%s", (_name, run, message) => {
    expect(run).toThrow(ShapeError);
    expect(run).toThrow(new ShapeError(message));
    try { run(); } catch (e) { expect((e as Error).message).toBe(message); }
  });
});
