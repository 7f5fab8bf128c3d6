/**
 * 04: one training step of a tiny network (2 inputs, 3 ReLU neurons, 2 softmax outputs), written
 * out equation by equation in the notes' notation, with every matrix typed. Then the same step by
 * the library (lossAndGradients), which must agree. Run: npx tsx examples/04-backprop-by-hand.ts
 *
 * Shapes for a batch of B = 2 examples (columns):
 *   a^0 = x: 2x2   W^1: 3x2  b^1: 3x1  z^1, a^1, delta^1: 3x2
 *                  W^2: 2x3  b^2: 2x1  z^2, a^2, delta^2: 2x2   t: 2x2
 */
import {
  biasGradient, deltaPrevious, fromRows, layerForward, lossAndGradients, mlp, oneHot, outputDeltaCrossEntropy, sgd, toRows,
  weightGradient, zeros, type Matrix,
} from "../src/index.js";
import { isMain } from "./is-main.js";

const show = <R extends number, C extends number>(m: Matrix<R, C>) => toRows(m).map((r) => r.map((v) => v.toFixed(4)).join(" ")).join(" | ");

export function main(log: (...args: unknown[]) => void = console.log): number {
  const net = mlp([2, 3, 2], { seed: 4 });
  const [W1, W2] = net.weights; //                    Matrix<3, 2>, Matrix<2, 3>
  const [b1, b2] = net.biases; //                     Matrix<3, 1>, Matrix<2, 1>
  const x = fromRows([[0.5, -1], [1.5, 0.25]]); //   a^0: Matrix<2, 2>, example j is column j
  const t = oneHot([1, 0], 2); //                     t: Matrix<2, 2>, one-hot targets

  // Forward: z^l = W^l a^(l-1) + b^l, a^l = f(z^l)
  const z1 = zeros(3, 2), a1 = zeros(3, 2), z2 = zeros(2, 2), a2 = zeros(2, 2);
  layerForward("relu", W1, b1, x, z1, a1);
  layerForward("softmax", W2, b2, a1, z2, a2);
  log("z^1 =", show(z1));
  log("a^1 = relu(z^1) =", show(a1));
  log("z^2 =", show(z2));
  log("a^2 = softmax(z^2) =", show(a2));

  // Cross-entropy per example: E = -sum_d t_d log a_d^L
  const E = [0, 1].map((j) => -[0, 1].reduce((sum, d) => sum + t.data[d * 2 + j]! * Math.log(a2.data[d * 2 + j]!), 0));
  log("E per example =", E.map((e) => e.toFixed(4)).join(" "), " mean =", ((E[0]! + E[1]!) / 2).toFixed(4));

  // Backward, the four equations (gradients of the mean over the batch):
  const delta2 = zeros(2, 2), delta1 = zeros(3, 2);
  const dW2 = zeros(2, 3), db2 = zeros(2, 1), dW1 = zeros(3, 2), db1 = zeros(3, 1);
  outputDeltaCrossEntropy(a2, t, delta2); //          delta^2 = a^2 - t
  weightGradient(delta2, a1, dW2); //                 dE/dW^2 = delta^2 (a^1)^T
  biasGradient(delta2, db2); //                       dE/db^2 = delta^2
  deltaPrevious("relu", W2, delta2, z1, a1, delta1); // delta^1 = relu'(z^1) (.) (W^2)^T delta^2
  weightGradient(delta1, x, dW1); //                  dE/dW^1 = delta^1 (a^0)^T
  biasGradient(delta1, db1); //                       dE/db^1 = delta^1
  log("delta^2 = a^2 - t =", show(delta2));
  log("dE/dW^2 =", show(dW2), "  dE/db^2 =", show(db2));
  log("delta^1 =", show(delta1));
  log("dE/dW^1 =", show(dW1), "  dE/db^1 =", show(db1));

  // The library's engine runs the same equations; the two must agree.
  const { loss, gradients } = lossAndGradients(net, x, t);
  const pairs = [[dW1.data, gradients.weights[0].data], [dW2.data, gradients.weights[1].data], [db1.data, gradients.biases[0].data], [db2.data, gradients.biases[1].data]];
  const diff = Math.max(...pairs.flatMap(([mine, library]) => Array.from(mine!, (v, k) => Math.abs(v - library![k]!))));
  log("lossAndGradients: loss", loss.toFixed(4), " largest difference from the hand-written gradients", diff.toExponential(1));

  // Gradient descent: W <- W - epsilon dE/dW. The loss goes down.
  sgd({ learningRate: 0.5 }).step(net, gradients);
  const after = lossAndGradients(net, x, t).loss;
  log("after one SGD step (epsilon = 0.5): loss", after.toFixed(4));
  return diff;
}

if (isMain(import.meta.url)) main();
