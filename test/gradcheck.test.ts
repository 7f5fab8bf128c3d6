/**
 * Backpropagation against central finite differences, dE/dp ~ (E(p + h) - E(p - h)) / 2h, in
 * float64, for every weight and bias of several architectures: one to four hidden layers, batch 1
 * and batch > 1, both losses, every activation.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setBackend } from "../src/index.js";
import {
  dense, fromArray, identity, lossAndGradients, mlp, oneHot, relu, rng, sequential, sigmoid, softmax, tanh, widen,
  type AnyMlp, type AnyMatrix,
} from "../src/index.js";

function meanLoss(net: AnyMlp, x: AnyMatrix, t: AnyMatrix): number {
  return lossAndGradients(net, x, t).loss;
}

/** Backpropagation's gradients, weights then biases, copied out of the workspace. */
function backpropGradients(net: AnyMlp, x: AnyMatrix, t: AnyMatrix): Float64Array[] {
  const { gradients } = lossAndGradients(net, x, t);
  return [...gradients.weights, ...gradients.biases].map((g) => Float64Array.from(g.data));
}

/**
 * Largest |analytic - finite difference| / max(|analytic|, |finite difference|, floor) over all
 * parameters; `analytic` is backpropagation's gradient unless a test passes another.
 */
function worstRelativeError(net: AnyMlp, x: AnyMatrix, t: AnyMatrix, analytic = backpropGradients(net, x, t)): number {
  const params = [...net.weights, ...net.biases];
  const h = 1e-5, floor = 1e-7; // h balances truncation (h^2) against round-off (eps / h)
  let worst = 0;
  params.forEach((p, m) => {
    for (let i = 0; i < p.data.length; i++) {
      const keep = p.data[i]!;
      p.data[i] = keep + h;
      const up = meanLoss(net, x, t);
      p.data[i] = keep - h;
      const down = meanLoss(net, x, t);
      p.data[i] = keep;
      const numeric = (up - down) / (2 * h);
      const exact = analytic[m]![i]!;
      worst = Math.max(worst, Math.abs(numeric - exact) / Math.max(Math.abs(numeric), Math.abs(exact), floor));
    }
  });
  return worst;
}

function inputs(features: number, batch: number, seed: number): AnyMatrix {
  const r = rng(seed);
  return widen(fromArray(Array.from({ length: features * batch }, () => 2 * r.next() - 1), features, batch));
}

function classTargets(classes: number, batch: number, seed: number): AnyMatrix {
  const r = rng(seed);
  return widen(oneHot(Array.from({ length: batch }, () => r.int(classes)), classes));
}

function regressionTargets(outputs: number, batch: number, seed: number): AnyMatrix {
  const r = rng(seed);
  return widen(fromArray(Array.from({ length: outputs * batch }, () => r.next()), outputs, batch));
}

/** Biases moved off zero so that every path, and the bias gradients, are exercised. */
function jiggleBiases(net: AnyMlp, seed: number): AnyMlp {
  const r = rng(seed);
  for (const b of net.biases) for (let i = 0; i < b.data.length; i++) b.data[i] = 0.1 * (2 * r.next() - 1);
  return net;
}

const cases: [string, () => { net: AnyMlp; x: AnyMatrix; t: AnyMatrix }][] = [
  ["1 hidden ReLU, softmax + cross-entropy, batch 1", () => ({
    net: jiggleBiases(mlp([3, 5, 4] as number[], { seed: 1 }), 1), x: inputs(3, 1, 2), t: classTargets(4, 1, 3),
  })],
  ["2 hidden tanh, softmax + cross-entropy, batch 5", () => ({
    net: jiggleBiases(mlp([4, 6, 5, 3] as number[], { seed: 2, hidden: "tanh" }), 2), x: inputs(4, 5, 4), t: classTargets(3, 5, 5),
  })],
  ["3 hidden sigmoid, sigmoid output + mean squared error, batch 3", () => ({
    net: jiggleBiases(mlp([3, 4, 5, 4, 2] as number[], { seed: 3, hidden: "sigmoid", output: "sigmoid" }), 3), x: inputs(3, 3, 6), t: regressionTargets(2, 3, 7),
  })],
  ["4 hidden ReLU, identity output + mean squared error, batch 4", () => ({
    net: jiggleBiases(mlp([2, 5, 4, 4, 3, 2] as number[], { seed: 4, output: "identity" }), 4), x: inputs(2, 4, 8), t: regressionTargets(2, 4, 9),
  })],
  ["sequential mixing every activation, tanh output + mean squared error, batch 2", () => ({
    net: jiggleBiases(sequential(dense(3, 4), sigmoid(), dense(4, 4), relu(), dense(4, 5), identity(), dense(5, 2), tanh()) as unknown as AnyMlp, 5),
    x: inputs(3, 2, 10), t: regressionTargets(2, 2, 11),
  })],
  ["sequential, softmax + cross-entropy, soft targets, batch 3", () => ({
    net: jiggleBiases(sequential(dense(4, 6), tanh(), dense(6, 3), softmax()) as unknown as AnyMlp, 6),
    x: inputs(4, 3, 12), t: widen(fromArray([0.2, 0.5, 0.1, 0.3, 0.25, 0.6, 0.5, 0.25, 0.3], 3, 3)),
  })],
];

describe.each(["js", "wasm"] as const)("backprop equals central finite differences (%s kernels)", (backend) => {
  beforeAll(() => void setBackend(backend));
  afterAll(() => void setBackend("auto"));
  it.each(cases)("%s", (_name, make) => {
    const { net, x, t } = make();
    expect(worstRelativeError(net, x, t)).toBeLessThan(1e-6);
  });

  it.each([
    ["one weight 0.1% too large", (g: Float64Array[]): void => { g[0]![3]! *= 1.001; }],
    ["one bias gradient left out", (g: Float64Array[]): void => { g[g.length - 1]![1] = 0; }],
    ["a layer's weight gradient transposed", (g: Float64Array[]): void => { // 6x4 read as 4x6, the classic slip
      const w = g[0]!, rows = 6, cols = 4, copy = Float64Array.from(w);
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) w[c * rows + r] = copy[r * cols + c]!;
    }],
  ] as const)("the check can fail: backprop's gradient with %s fails it", (_name, corrupt) => {
    const { net, x, t } = cases[1]![1](); // 4-6-5-3, tanh, batch 5
    const gradients = backpropGradients(net, x, t);
    expect(worstRelativeError(net, x, t, gradients)).toBeLessThan(1e-6); // the same check passes uncorrupted
    corrupt(gradients);
    expect(worstRelativeError(net, x, t, gradients)).toBeGreaterThan(1e-4);
  });
});
