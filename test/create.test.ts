import { describe, expect, it } from "vitest";
import {
  assertShape, fill, fromArray, fromRows, identity, ones, oneHot, randomNormal, randomUniform, rng, toRows, vector, widen, zeros, ShapeError,
} from "../src/index.js";
import { rowsOf } from "./helpers.js";

describe("constructors", () => {
  it("make the shapes and values they promise", () => {
    expect(rowsOf(zeros(2, 3))).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(rowsOf(ones(1, 2))).toEqual([[1, 1]]);
    expect(rowsOf(fill(2, 1, 0.5))).toEqual([[0.5], [0.5]]);
    expect(rowsOf(identity(3))).toEqual([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    expect(rowsOf(fromRows([[1, 2, 3], [4, 5, 6]]))).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(rowsOf(vector([1, 2, 3]))).toEqual([[1], [2], [3]]);
    expect(rowsOf(fromArray([1, 2, 3, 4, 5, 6], 3, 2))).toEqual([[1, 2], [3, 4], [5, 6]]);
    expect(toRows(fromRows([[1, 2], [3, 4]]))).toEqual([[1, 2], [3, 4]]);
    expect(rowsOf(oneHot([2, 0, 1], 3))).toEqual([[0, 1, 0], [0, 0, 1], [1, 0, 0]]);
  });

  it("a plain number size gives a Dyn matrix of that size, checked like any other", () => {
    const n: number = 4;
    const m = zeros(n, 3);
    expect([m.rows, m.cols]).toEqual([4, 3]);
    expect(assertShape(m, 4, 3).rows).toBe(4);
    expect(() => assertShape(m, 5, 3)).toThrow(new ShapeError("assertShape expects 5x3, got 4x3"));
  });

  it("random constructors are reproducible from the seed and have the right moments", () => {
    const a = randomNormal(100, 100, { rng: rng(7) }), b = randomNormal(100, 100, { rng: rng(7) });
    expect(a.data).toEqual(b.data);
    const mean = a.data.reduce((s, v) => s + v, 0) / a.data.length;
    const variance = a.data.reduce((s, v) => s + (v - mean) ** 2, 0) / a.data.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
    const u = randomUniform(50, 50, { rng: rng(1), low: -2, high: 3 });
    expect(Math.min(...u.data)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...u.data)).toBeLessThan(3);
    expect(randomNormal(2, 2, { rng: rng(8) }).data).not.toEqual(randomNormal(2, 2, { rng: rng(7) }).data);
    // The source may also be an Rng or a seed; the Rng is callable as its next().
    expect(randomNormal(3, 3, rng(7)).data).toEqual(randomNormal(3, 3, 7).data);
    expect(randomUniform(2, 2, 5).data).toEqual(randomUniform(2, 2, { rng: rng(5) }).data);
    const r1 = rng(3), r2 = rng(3);
    expect([r1(), r1()]).toEqual([r2.next(), r2.next()]);
    expect(() => randomNormal(2, 2, Number.NaN)).toThrow("randomNormal expects a finite seed, got NaN");
  });
});

describe("bad input is a clear error naming the op, what it expected and what it got", () => {
  const n = (v: number) => v as number; // sizes the compiler cannot see
  const cases: [string, () => unknown, string][] = [
    ["fromArray length", () => fromArray([1, 2, 3], 2, 2), "fromArray expects data of length 4 (2x2), got 3"],
    ["fromArray NaN", () => fromArray([1, Number.NaN, 3, 4], 2, 2), "fromArray expects finite numbers, got NaN at index 1"],
    ["fromArray Infinity", () => fromArray(new Float64Array([1, 2, Infinity, 4]), 2, 2), "fromArray expects finite numbers, got Infinity at index 2"],
    ["zeros negative", () => zeros(n(-1), 3), "zeros expects sizes that are whole numbers 1 or more, got -1"],
    ["zeros fraction", () => zeros(2, n(2.5)), "zeros expects sizes that are whole numbers 1 or more, got 2.5"],
    ["zeros zero", () => zeros(n(0), 1), "zeros expects sizes that are whole numbers 1 or more, got 0"],
    ["ragged fromRows", () => fromRows([[1, 2, 3], [4, 5]] as number[][]), "fromRows expects every row to have 3 numbers, got 2 in row 1"],
    ["fromRows NaN", () => fromRows([[1, Number.NaN]]), "fromRows expects finite numbers, got NaN at row 0 column 1"],
    ["empty fromRows", () => fromRows([] as number[][]), "fromRows expects at least one row, got none"],
    ["oneHot out of range", () => oneHot([0, 3] as number[], 3), "oneHot expects whole-number labels in 0..2, got 3 at index 1"],
    ["oneHot non-integer", () => oneHot([0.5] as number[], 3), "oneHot expects whole-number labels in 0..2, got 0.5 at index 0"],
    ["oneHot negative", () => oneHot([-1] as number[], 3), "oneHot expects whole-number labels in 0..2, got -1 at index 0"],
    ["vector Infinity", () => vector([1, -Infinity]), "vector expects finite numbers, got -Infinity at index 1"],
    ["fill NaN", () => fill(1, 1, Number.NaN), "fill expects finite numbers, got NaN at value"],
    ["assertShape", () => assertShape(widen(zeros(2, 3)), 3, 2), "assertShape expects 3x2, got 2x3"],
  ];
  it.each(cases)("%s", (_name, run, message) => {
    expect(run).toThrow(ShapeError);
    expect(run).toThrow(message);
    try { run(); } catch (e) { expect((e as Error).message).toBe(message); }
  });
});
