/**
 * Float32 datasets: `dataset(..., { dtype: "float32" })` holds the numbers rounded to float32, and
 * fit / evaluate take it for a network of either element type, converting each batch as they
 * gather it. The reference: the same run on a float64 dataset of the rounded numbers (Math.fround),
 * which must give the same parameters and measurements bit for bit.
 */
import { describe, expect, it } from "vitest";
import { adam, dataset, evaluate, fit, mlp, rng, shuffled, split, subset, type Dataset, type DType, type Dyn } from "../src/index.js";

const r = rng(7);
const examples = Array.from({ length: 60 }, () => Array.from({ length: 6 }, () => r.next() * 3 - 1.5));
const labels = examples.map((x) => (x[0]! + x[1]! > 0 ? 1 : x[2]! > 0 ? 2 : 0));
const rounded = examples.map((x) => x.map(Math.fround));

describe("dataset(..., { dtype: \"float32\" })", () => {
  it("holds every number rounded to float32, the one-hot targets too", () => {
    const d = dataset(examples, labels, { features: 6, classes: 3, dtype: "float32" });
    expect(d.inputs.data).toBeInstanceOf(Float32Array);
    expect(d.targets.data).toBeInstanceOf(Float32Array);
    expect([d.inputs.dtype, d.targets.dtype]).toEqual(["float32", "float32"]);
    const d64 = dataset(rounded, labels, { features: 6, classes: 3 });
    expect(Array.from(d.inputs.data)).toEqual(Array.from(d64.inputs.data));
    expect(Array.from(d.targets.data)).toEqual(Array.from(d64.targets.data));
  });

  it("refuses a finite number beyond float32's range, naming it; and a dtype it does not know", () => {
    expect(() => dataset([[1, 1e39]], [0], { features: 2, classes: 2, dtype: "float32" })).toThrow(
      "dataset expects numbers within float32's range (a float32 dataset), got 1e+39 in example 0 feature 1",
    );
    expect(dataset([[1, 1e39]], [0], { features: 2, classes: 2 }).inputs.data[1]).toBe(1e39);
    expect(() => dataset([[1]], [0], { features: 1, classes: 2, dtype: "float16" as "float32" })).toThrow(/dataset/);
  });

  it("split, subset and shuffled keep the element type", () => {
    const d = dataset(examples, labels, { features: 6, classes: 3, dtype: "float32" });
    const { train, test } = split(d, { testFraction: 0.25, seed: 1 });
    for (const part of [train, test, subset(d, [3, 1]), shuffled(d, 2)]) {
      expect(part.inputs.data).toBeInstanceOf(Float32Array);
      expect(part.targets.data).toBeInstanceOf(Float32Array);
    }
    // examples 3 and 1, feature by feature (one example per column)
    expect(Array.from(subset(d, [3, 1]).inputs.data)).toEqual(Array.from({ length: 6 }, (_, i) => [Math.fround(examples[3]![i]!), Math.fround(examples[1]![i]!)]).flat());
  });
});

describe("fit and evaluate on a float32 dataset", () => {
  it.each(["float64", "float32"] as const)("a %s network trains exactly as on the float64 dataset of the rounded numbers", (dtype) => {
    const run = <D extends DType>(data: Dataset<6, 3, Dyn, D>) => {
      const net = mlp([6, 8, 3], { seed: 3, dtype });
      const validation = subset(data, [0, 5, 9, 20]);
      const { loss, accuracy, validationLoss, validationAccuracy } = fit(net, data, { epochs: 3, batchSize: 16, seed: 1, optimizer: adam({ learningRate: 0.01 }), validation });
      return { loss, accuracy, validationLoss, validationAccuracy, weights: net.weights.map((w) => Array.from(w.data)), evaluation: evaluate(net, data, { batchSize: 7 }) };
    };
    const runs = [
      run(dataset(examples, labels, { features: 6, classes: 3, dtype: "float32" })),
      run(dataset(rounded, labels, { features: 6, classes: 3 })),
    ];
    expect(runs[0]).toEqual(runs[1]);
    expect(runs[0]!.loss[2]).toBeLessThan(runs[0]!.loss[0]!); // it did train
  });

  it("refuses inputs and targets of different element types (a plain-JavaScript caller), naming both", () => {
    const d = dataset(examples, labels, { features: 6, classes: 3, dtype: "float32" });
    const d64 = dataset(examples, labels, { features: 6, classes: 3 });
    const mixed = { inputs: d.inputs, targets: d64.targets };
    const net = mlp([6, 8, 3], { seed: 3 });
    expect(() => fit(net, mixed as unknown as typeof d, { epochs: 1, optimizer: adam() })).toThrow(
      "fit expects a dataset whose inputs and targets have one element type, got float32 inputs and float64 targets",
    );
    expect(() => evaluate(net, mixed as unknown as typeof d)).toThrow("evaluate expects a dataset whose inputs and targets have one element type");
  });
});
