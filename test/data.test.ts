import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { dataset, labelsOf, rng, shuffled, split, subset } from "../src/index.js";
import { gatherExamples } from "../src/train/batches.js";

const labels = Array.from({ length: 100 }, (_, i) => (i < 70 ? 0 : i < 90 ? 1 : 2));
const data = dataset(labels.map((l, i) => [i, l]), labels, { features: 2, classes: 3 });

describe("datasets", () => {
  it("stores one example per column with one-hot targets", () => {
    expect([data.inputs.rows, data.inputs.cols, data.targets.rows]).toEqual([2, 100, 3]);
    expect(data.inputs.data[5]).toBe(5); // feature 0 of example 5
    expect(Array.from(labelsOf(data))).toEqual(labels);
  });

  it("split is stratified, disjoint, complete and reproducible", () => {
    const { train, test } = split(data, { testFraction: 0.2, seed: 3 });
    const count = (d: typeof train, c: number) => Array.from(labelsOf(d)).filter((l) => l === c).length;
    expect([count(test, 0), count(test, 1), count(test, 2)]).toEqual([14, 4, 2]);
    expect([count(train, 0), count(train, 1), count(train, 2)]).toEqual([56, 16, 8]);
    const ids = (d: typeof train) => Array.from({ length: d.inputs.cols }, (_, j) => d.inputs.data[j]!);
    expect(new Set([...ids(train), ...ids(test)]).size).toBe(100);
    expect(ids(split(data, { testFraction: 0.2, seed: 3 }).test)).toEqual(ids(test));
    expect(ids(split(data, { testFraction: 0.2, seed: 4 }).test)).not.toEqual(ids(test));
    expect(() => split(data, { testFraction: 1 })).toThrow("split expects testFraction a number in (0, 1), got 1");
  });

  it("subset keeps examples and targets together; shuffled permutes them", () => {
    const s = subset(data, [99, 0]);
    expect(Array.from(s.inputs.data)).toEqual([99, 0, 2, 0]);
    expect(Array.from(labelsOf(s))).toEqual([2, 0]);
    const sh = shuffled(data, 1);
    for (let j = 0; j < 100; j++) expect(labelsOf(sh)[j]).toBe(sh.inputs.data[100 + j]); // feature 1 is the label
    expect(() => subset(data, [100])).toThrow("subset expects indices in 0..99, got 100 at 0");
  });

  it("rejects a different number of labels and examples", () => {
    expect(() => dataset([[1], [2]], [0], { features: 1, classes: 2 })).toThrow("dataset expects 2 labels (one per example), got 1");
  });
});

describe("batches", () => {
  it("covers every example once, in seeded order, with a smaller last batch", async () => {
    const { batches } = await import("../src/index.js");
    const seen: number[] = [];
    const sizes: number[] = [];
    for (const b of batches(data, 30, { seed: 2 })) {
      sizes.push(b.inputs.cols);
      for (let j = 0; j < b.inputs.cols; j++) seen.push(b.inputs.data[j]!);
    }
    expect(sizes).toEqual([30, 30, 30, 10]);
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(seen).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
    const inOrder = [...batches(data, 50)].map((b) => b.inputs.data[0]);
    expect(inOrder).toEqual([0, 50]);
    expect(() => [...batches(data, 0)]).toThrow("batches expects a size that is a whole number of 1 or more, got 0");
  });
});

describe("gatherExamples (fit's batch gather: rows of examples into columns)", () => {
  it("equals the definition out[i][b] = examples[order[start + b]][i] for every batch size, offset and element type", () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 40 }), fc.nat(), fc.boolean(), (features, n, seed, f32) => {
      const r = rng(seed), examples = Float32Array.from({ length: n * features }, () => r.next());
      const order = Array.from({ length: n }, (_, i) => i);
      r.shuffle(order);
      const start = r.int(n), count = 1 + r.int(n - start);
      const out = f32 ? new Float32Array(features * count) : new Float64Array(features * count);
      gatherExamples(examples, features, order, start, count, out);
      for (let b = 0; b < count; b++) for (let i = 0; i < features; i++) expect(out[i * count + b]).toBe(examples[order[start + b]! * features + i]);
    }));
  });
});
