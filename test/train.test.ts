import { describe, expect, it } from "vitest";
import {
  adam, dataset, evaluate, fit, fromArray, lossAndGradients, mlp, momentum, oneHot, rng, sgd, ShapeError, TrainingError, widen,
  type Dataset, type Dyn, type EpochLog,
} from "../src/index.js";

/** Two interleaved spirals, 2 classes (a classic problem a linear model cannot fit). */
function spirals(perClass: number, seed: number): Dataset<2, 2, Dyn> {
  const r = rng(seed);
  const xs: number[][] = [], ys: number[] = [];
  for (let c = 0; c < 2; c++) {
    for (let i = 0; i < perClass; i++) {
      const t = (i / perClass) * 3 * Math.PI + 0.3;
      const radius = t / (3 * Math.PI + 0.3), angle = t + c * Math.PI;
      xs.push([radius * Math.cos(angle) + 0.02 * r.normal(), radius * Math.sin(angle) + 0.02 * r.normal()]);
      ys.push(c);
    }
  }
  return dataset(xs, ys, { features: 2, classes: 2 });
}

const xor = dataset([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0], { features: 2, classes: 2 });

describe("training reaches 97% on small synthetic problems with every optimizer", () => {
  const optimizers = [
    ["sgd", () => sgd({ learningRate: 0.1 }), 600],
    ["momentum", () => momentum({ learningRate: 0.05, beta: 0.9 }), 300],
    ["adam", () => adam({ learningRate: 0.01 }), 300],
  ] as const;
  it.each(optimizers)("two spirals with %s", (_name, make, epochs) => {
    const data = spirals(100, 1);
    const net = mlp([2, 32, 32, 2], { seed: 1 });
    const before = evaluate(net, data).accuracy;
    const history = fit(net, data, { epochs, batchSize: 20, optimizer: make(), seed: 2 });
    expect(before).toBeLessThan(0.8);
    expect(history.accuracy.at(-1)!).toBeGreaterThanOrEqual(0.97);
    expect(evaluate(net, data).accuracy).toBeGreaterThanOrEqual(0.97);
  });
  it.each(optimizers)("XOR with %s", (_name, make) => {
    const net = mlp([2, 8, 2], { seed: 1 });
    fit(net, xor, { epochs: 400, batchSize: 4, optimizer: make() });
    expect(evaluate(net, xor).accuracy).toBe(1);
  });
});

describe("fit", () => {
  it("is reproducible from its seeds and reports history and callbacks", () => {
    const run = () => {
      const net = mlp([2, 16, 2], { seed: 3 });
      const batches: number[] = [], epochs: EpochLog[] = [];
      const history = fit(net, spirals(30, 2), {
        epochs: 3, batchSize: 16, optimizer: adam({ learningRate: 0.01 }), seed: 5, validation: spirals(10, 9),
        onBatchEnd: (b) => batches.push(b.batch), onEpochEnd: (e) => void epochs.push(e),
      });
      return { history, batches, epochs, weights: Array.from(net.weights[0].data) };
    };
    const a = run(), b = run();
    expect(a.history.loss).toEqual(b.history.loss);
    expect(a.weights).toEqual(b.weights);
    expect(a.batches).toEqual([1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4]); // 60 examples in batches of 16
    expect(a.epochs.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(a.history.validationAccuracy).toHaveLength(3);
    expect(a.history.loss[2]!).toBeLessThan(a.history.loss[0]!);
  });

  it("stops when onEpochEnd returns false, and by early stopping", () => {
    const net = mlp([2, 8, 2], { seed: 1 });
    const h = fit(net, xor, { epochs: 50, batchSize: 4, optimizer: sgd({ learningRate: 0.1 }), onEpochEnd: (e) => e.epoch < 3 });
    expect(h.epochs).toHaveLength(3);
    expect(h.stoppedEarly).toBe(true);
    // A learning rate this small cannot improve the loss by minDelta: stops after `patience` epochs.
    const stalled = fit(mlp([2, 8, 2], { seed: 1 }), xor, {
      epochs: 50, batchSize: 4, optimizer: sgd({ learningRate: 1e-9 }), earlyStopping: { patience: 2, minDelta: 1e-3 },
    });
    expect(stalled.epochs).toHaveLength(3);
    expect(stalled.stoppedEarly).toBe(true);
  });

  it("early stopping puts back the parameters of the best epoch", () => {
    const net = mlp([2, 8, 2], { seed: 1 });
    const afterEpoch: number[][] = [];
    fit(net, xor, {
      epochs: 50, batchSize: 4, optimizer: sgd({ learningRate: 1e-9 }), earlyStopping: { patience: 2, minDelta: 1e-3 },
      onEpochEnd: () => void afterEpoch.push(Array.from(net.weights[0].data)),
    });
    expect(afterEpoch).toHaveLength(3);
    expect(afterEpoch[2]).not.toEqual(afterEpoch[0]); // the steps did move the weights, a little
    expect(Array.from(net.weights[0].data)).toEqual(afterEpoch[0]); // epoch 1 was the best
  });

  it("stops with an error naming the epoch and batch when the loss blows up, keeping the parameters from before that step", () => {
    // A linear network with a huge step size diverges geometrically until the numbers overflow.
    const net = mlp([2, 8, 2], { seed: 1, hidden: "identity", output: "identity" });
    let last: number[][] = [];
    let error: unknown;
    try {
      fit(net, spirals(40, 3), {
        epochs: 50, batchSize: 8, optimizer: sgd({ learningRate: 1e3 }),
        onBatchEnd: () => (last = [...net.weights, ...net.biases].map((m) => Array.from(m.data))),
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TrainingError);
    expect((error as Error).message).toMatch(/^fit stopped at epoch \d+ batch \d+: the (loss|gradient) became NaN or infinite; the parameters from before this step are kept/);
    expect((error as TrainingError).epoch).toBeGreaterThanOrEqual(1);
    const now = [...net.weights, ...net.biases].map((m) => Array.from(m.data));
    expect(last.length).toBeGreaterThan(0);
    expect(now).toEqual(last);
    for (const v of now.flat()) expect(Number.isNaN(v)).toBe(false);
  });
});

describe("bad input is rejected before any parameter changes", () => {
  const net = () => mlp([2, 4, 3], { seed: 1 });
  const snapshot = (n: ReturnType<typeof net>) => [...n.weights, ...n.biases].map((m) => Array.from(m.data));

  it("data whose feature count or class count does not match the network", () => {
    const n = net(), before = snapshot(n);
    const wrongFeatures = dataset([[1, 2, 3]], [0], { features: 3, classes: 3 });
    expect(() => fit(n, wrongFeatures as never, { epochs: 1, optimizer: sgd({ learningRate: 0.1 }) }))
      .toThrow(new ShapeError("fit expects inputs with 2 rows (one column per example), got 3x1"));
    const wrongClasses = dataset([[1, 2]], [0], { features: 2, classes: 2 });
    expect(() => fit(n, wrongClasses as never, { epochs: 1, optimizer: sgd({ learningRate: 0.1 }) }))
      .toThrow(new ShapeError("fit expects targets of shape 3x1, got 2x1"));
    expect(snapshot(n)).toEqual(before);
  });

  it("labels out of range, non-integer labels and NaN features", () => {
    expect(() => dataset([[1, 2]], [3], { features: 2, classes: 3 })).toThrow("dataset expects whole-number labels in 0..2, got 3 for example 0");
    expect(() => dataset([[1, 2]], [1.5], { features: 2, classes: 3 })).toThrow("dataset expects whole-number labels in 0..2, got 1.5 for example 0");
    expect(() => dataset([[1, Number.NaN]], [1], { features: 2, classes: 3 })).toThrow("dataset expects finite numbers, got NaN in example 0 feature 1");
    expect(() => dataset([[1, 2, 3]], [1], { features: 2, classes: 3 })).toThrow("dataset expects 2 features per example, got 3 in example 0");
    const n = net(), before = snapshot(n);
    const x = widen(fromArray([1, 2], 2, 1));
    x.data[1] = Number.NaN; // as if a buffer were filled from a file after construction
    expect(() => lossAndGradients(n, x as never, widen(oneHot([0], 3)) as never)).toThrow("lossAndGradients expects finite numbers, got NaN at index 1");
    expect(snapshot(n)).toEqual(before);
  });

  it.each([0, -0.1, Number.NaN, Infinity, "0.1"])("learning rate %s", (lr) => {
    expect(() => sgd({ learningRate: lr as number })).toThrow(/^sgd expects learningRate a finite number in \(0, Infinity\), got/);
    expect(() => momentum({ learningRate: lr as number })).toThrow(RangeError);
    expect(() => adam({ learningRate: lr as number })).toThrow(RangeError);
  });

  it("epochs and batch size", () => {
    expect(() => fit(net(), dataset([[1, 2]], [0], { features: 2, classes: 3 }), { epochs: 0, optimizer: sgd({ learningRate: 0.1 }) }))
      .toThrow("fit expects epochs a whole number of 1 or more, got 0");
    expect(() => fit(net(), dataset([[1, 2]], [0], { features: 2, classes: 3 }), { epochs: 1, batchSize: 2.5, optimizer: sgd({ learningRate: 0.1 }) }))
      .toThrow("fit expects batchSize a whole number of 1 or more, got 2.5");
  });
});
