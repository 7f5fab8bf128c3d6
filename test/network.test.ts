import { describe, expect, it } from "vitest";
import {
  adam, backward, createWorkspace, dense, forward, fromRows, initialize, lossAndGradients, mlp, momentum, oneHot, predict,
  layerForward, relu, sequential, sequentialWith, sgd, softmax, tanh, transpose, widen, zeros, ShapeError, type AnyMlp,
} from "../src/index.js";
import { naiveMatmul, randomRows, rowsOf, type Rows } from "./helpers.js";

/** The notes' forward pass written from scratch with nested arrays: z = W a + b, ReLU, softmax. */
function naiveForward(weights: Rows[], biases: number[][], x: Rows): Rows {
  let a = x; // features x batch
  weights.forEach((w, l) => {
    const z = naiveMatmul(w, a).map((row, k) => row.map((v) => v + biases[l]![k]!));
    const last = l === weights.length - 1;
    a = last
      ? z[0]!.map((_, j) => {
        const col = z.map((r) => r[j]!), max = Math.max(...col), e = col.map((v) => Math.exp(v - max)), s = e.reduce((p, q) => p + q);
        return e.map((v) => v / s);
      }).reduce<Rows>((out, col, j) => (col.forEach((v, k) => ((out[k] ??= [])[j] = v)), out), [])
      : z.map((row) => row.map((v) => Math.max(0, v)));
  });
  return a;
}

describe("mlp", () => {
  it("has one weight matrix (size of l) x (size of l-1) and one zero bias column per layer", () => {
    const net = mlp([784, 128, 64, 10], { seed: 1 });
    expect(net.weights.map((w) => [w.rows, w.cols])).toEqual([[128, 784], [64, 128], [10, 64]]);
    expect(net.biases.map((b) => [b.rows, b.cols])).toEqual([[128, 1], [64, 1], [10, 1]]);
    expect(net.biases.every((b) => b.data.every((v) => v === 0))).toBe(true);
    expect(net.activations).toEqual(["relu", "relu", "softmax"]);
    expect(net.loss).toBe("crossEntropy");
  });

  it("He initialisation: mean 0, variance 2 / fan-in; reproducible from the seed; Glorot as an option", () => {
    const w = mlp([784, 256, 10], { seed: 3 }).weights[0].data;
    const mean = w.reduce((s, v) => s + v, 0) / w.length;
    const variance = w.reduce((s, v) => s + (v - mean) ** 2, 0) / w.length;
    expect(Math.abs(mean)).toBeLessThan(0.002);
    expect(variance / (2 / 784)).toBeCloseTo(1, 1);
    expect(mlp([4, 3, 2], { seed: 3 }).weights[0].data).toEqual(mlp([4, 3, 2], { seed: 3 }).weights[0].data);
    const g = mlp([100, 50, 10], { seed: 3, init: "glorot" }).weights[0].data;
    const limit = Math.sqrt(6 / 150);
    expect(Math.max(...g.map(Math.abs))).toBeLessThanOrEqual(limit);
    expect(Math.max(...g.map(Math.abs))).toBeGreaterThan(0.9 * limit);
  });

  it("rejects structures the engine cannot run", () => {
    expect(() => mlp([3] as number[])).toThrow("mlp expects at least two sizes (inputs and outputs), got 1");
    expect(() => mlp([3, 0, 2] as number[])).toThrow("mlp expects sizes that are whole numbers 1 or more, got 0");
    expect(() => mlp([3, 2], { output: "relu", loss: "crossEntropy" as never })).toThrow("mlp expects a softmax output for crossEntropy, got relu");
    expect(() => mlp([3, 4, 2], { hidden: "softmax" as never })).toThrow("mlp expects hidden to be relu, sigmoid, tanh or identity, got string 'softmax'");
  });
});

describe("forward, predict, backward", () => {
  const net = mlp([5, 7, 6, 3], { seed: 2 });
  net.biases.forEach((b, l) => b.data.forEach((_, i) => (b.data[i] = 0.05 * (i - l))));
  const xRows = randomRows(5, 4, 9);
  const x = fromRows(xRows as [number[], number[], number[], number[], number[]]);

  it("the output equals a from-scratch forward pass (nested arrays, no library code)", () => {
    const want = naiveForward(net.weights.map(rowsOf), net.biases.map((b) => Array.from(b.data)), xRows);
    const got = rowsOf(predict(net, widen(x) as never));
    got.forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(want[i]![j]!, 12)));
  });

  it("keeps z^l and a^l for every layer, with a[0] = x and a^l = f(z^l)", () => {
    const pass = forward(net, widen(x) as never);
    expect(pass.z[0]).toBeNull();
    expect(pass.a[0].data).toEqual(x.data);
    expect(pass.a[1].data).toEqual(pass.z[1]!.data.map((v) => Math.max(0, v)));
    expect(pass.a.map((m) => [m.rows, m.cols])).toEqual([[5, 4], [7, 4], [6, 4], [3, 4]]);
  });

  it("layerForward's fused bias and ReLU equals addBias then relu, and checks its shapes at run time", () => {
    const W = fromRows(randomRows(3, 4, 5) as never), aPrev = fromRows(randomRows(4, 6, 6) as never);
    const bias = fromRows([[0.5], [-0.25], [0]] as never);
    const z = widen(zeros(3, 6)), a = widen(zeros(3, 6));
    layerForward("relu", widen(W), widen(bias) as never, widen(aPrev), z, a);
    const wantZ = naiveMatmul(randomRows(3, 4, 5), randomRows(4, 6, 6)).map((row, i) => row.map((v) => v + [0.5, -0.25, 0][i]!));
    rowsOf(z).forEach((row, i) => row.forEach((v, j) => expect(v).toBeCloseTo(wantZ[i]![j]!, 12)));
    expect(rowsOf(a)).toEqual(rowsOf(z).map((row) => row.map((v) => Math.max(0, v))));
    expect(() => layerForward("relu", widen(W), widen(zeros(4, 1)) as never, widen(aPrev), z, a)).toThrow("addBias expects a bias of shape 3x1, got 3x6 plus 4x1");
    expect(() => layerForward("relu", widen(W), widen(bias) as never, widen(aPrev), z, widen(zeros(3, 5)))).toThrow("layerForward expects out of shape 3x6, got out 3x5");
  });

  it("backward(forward) gives the gradients of lossAndGradients", () => {
    const t = widen(oneHot([0, 2, 1, 1], 3));
    const g1 = backward(net, forward(net, widen(x) as never), t as never);
    const g2 = lossAndGradients(net, widen(x) as never, t as never).gradients;
    g1.weights.forEach((g, l) => expect(g.data).toEqual(g2.weights[l]!.data));
    g1.biases.forEach((g, l) => expect(g.data).toEqual(g2.biases[l]!.data));
  });

  it("a workspace is reused: the gradients live in it and are overwritten by the next call", () => {
    const t = widen(oneHot([0, 2, 1, 1], 3));
    const ws = createWorkspace(net, 4);
    const first = lossAndGradients(net, widen(x) as never, t as never, ws as never);
    expect(first.gradients).toBe(ws.gradients);
    expect(first).toBe(ws.result); // the result object itself is reused: no allocation per step
    expect(lossAndGradients(net, widen(x) as never, t as never, ws as never)).toBe(first);
    const copy = Float64Array.from(ws.gradients.weights[0].data);
    const fresh = lossAndGradients(net, widen(x) as never, t as never);
    expect(ws.gradients.weights[0].data).toEqual(copy);
    expect(fresh.gradients.weights[0].data).toEqual(copy);
    expect(() => lossAndGradients(net, widen(x) as never, t as never, createWorkspace(net, 5) as never))
      .toThrow("lossAndGradients expects a workspace for batches of 4, got one for 5");
  });

  it("checks x and targets at run time for callers the compiler cannot see", () => {
    expect(() => predict(net, widen(fromRows([[1], [2]])) as never)).toThrow(new ShapeError("predict expects x with 5 rows (one column per example), got 2x1"));
    expect(() => lossAndGradients(net, widen(x) as never, widen(oneHot([0, 1, 2], 3)) as never))
      .toThrow(new ShapeError("lossAndGradients expects targets of shape 3x4 (outputs x examples), got 3x3"));
  });
});

describe("sequential", () => {
  it("builds the same network as mlp and runs on the same engine", () => {
    const seq = sequentialWith({ seed: 4 }, [dense(3, 5), relu(), dense(5, 2), softmax()]);
    const net = mlp([3, 5, 2], { seed: 4 });
    expect(seq.sizes).toEqual([3, 5, 2]);
    expect(seq.activations).toEqual(["relu", "softmax"]);
    expect(seq.weights[0].data).toEqual(net.weights[0].data);
    const x = widen(transpose(fromRows([[0.1, 0.2, 0.3], [1, -1, 0.5]])));
    expect(predict(seq, x as never).data).toEqual(predict(net, x as never).data);
  });

  it("a dense layer without an activation is linear; the last activation picks the loss", () => {
    const s = sequential(dense(2, 3), dense(3, 3), tanh(), dense(3, 1));
    expect(s.activations).toEqual(["identity", "tanh", "identity"]);
    expect(s.loss).toBe("meanSquaredError");
    const before = Array.from(s.weights[0].data);
    initialize(s, { seed: 9 });
    expect(Array.from(s.weights[0].data)).not.toEqual(before);
  });

  it("rejects mis-wired layers at run time with the compile-time text", () => {
    const layers = [dense(784, 128), relu(), dense(127, 10), softmax()];
    expect(() => sequential(...(layers as [never]))).toThrow(new ShapeError("sequential layer 3 expects 127 inputs but layer 1 outputs 128"));
    expect(() => sequential(...([relu(), dense(2, 2)] as unknown as [never]))).toThrow("sequential layer 1 expects relu() right after a dense or conv2d layer, got it first");
    expect(() => sequential(...([dense(2, 2), relu(), relu()] as unknown as [never]))).toThrow("sequential layer 3 expects relu() right after a dense or conv2d layer, got two activations in a row");
    expect(() => sequential(...([dense(2, 2), softmax(), dense(2, 2)] as unknown as [never]))).toThrow("sequential layer 2 expects softmax() only as the last layer, got softmax at layer 2 of 3");
  });
});

describe("optimizers against hand-computed updates", () => {
  const setup = () => {
    const net: AnyMlp = mlp([2, 2] as number[], { seed: 1 });
    net.weights[0]!.data.set([1, 2, 3, 4]);
    net.biases[0]!.data.set([0.5, -0.5]);
    const grads = { weights: [widen(fromRows([[0.1, -0.2], [0.3, 0.4]]))], biases: [widen(fromRows([[1], [-1]]))] };
    return { net, grads };
  };
  it("sgd: W - epsilon dE/dW", () => {
    const { net, grads } = setup();
    sgd({ learningRate: 0.5 }).step(net, grads as never);
    expect(Array.from(net.weights[0]!.data)).toEqual([1 - 0.05, 2 + 0.1, 3 - 0.15, 4 - 0.2]);
    expect(Array.from(net.biases[0]!.data)).toEqual([0, 0]);
  });
  it("momentum: v = beta v + g; W -= epsilon v, over two steps", () => {
    const { net, grads } = setup();
    const opt = momentum({ learningRate: 0.1, beta: 0.9 });
    opt.step(net, grads as never);
    opt.step(net, grads as never);
    // v1 = g, v2 = 0.9 g + g = 1.9 g; W = W0 - 0.1 (g + 1.9 g) = W0 - 0.29 g
    expect(net.weights[0]!.data[0]).toBeCloseTo(1 - 0.29 * 0.1, 14);
    expect(net.biases[0]!.data[1]).toBeCloseTo(-0.5 + 0.29, 14);
  });
  it("adam: the first step moves each parameter by about the learning rate against its gradient's sign", () => {
    const { net, grads } = setup();
    adam({ learningRate: 0.01 }).step(net, grads as never);
    // m_hat = g, v_hat = g^2 after bias correction: step = lr g / (|g| + eps)
    expect(net.weights[0]!.data[0]).toBeCloseTo(1 - 0.01 * 0.1 / (0.1 + 1e-7), 12);
    expect(net.weights[0]!.data[1]).toBeCloseTo(2 + 0.01 * 0.2 / (0.2 + 1e-7), 12);
  });
  it("a gradient of another shape is rejected at run time and nothing changes", () => {
    const { net } = setup();
    const before = Array.from(net.weights[0]!.data);
    const wrong = { weights: [widen(fromRows([[1, 2, 3], [4, 5, 6]]))], biases: [widen(fromRows([[1], [2]]))] };
    for (const opt of [sgd({ learningRate: 0.1 }), momentum({ learningRate: 0.1 }), adam()]) {
      expect(() => opt.step(net, wrong as never)).toThrow(`${opt.name} expects gradient 0 of shape 2x2, got 2x3`);
    }
    expect(Array.from(net.weights[0]!.data)).toEqual(before);
  });
});
