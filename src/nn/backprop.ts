/**
 * The notes' equations, one function each, generic over the layer sizes (In, Out) and the batch
 * size B. Because they are generic, the compiler checks every product of the derivation for all
 * sizes at once: W a, W^T delta and delta a^T do not compile when the shapes disagree
 * (test-d/backprop.test-d.ts mis-wires each one).
 *
 * Notation: layer l has Out neurons (index k), layer l-1 has In (index j); B examples are columns.
 */
import type { Matrix } from "../shape/matrix.js";
import { matmul, matmulTransA, matmulTransBScaled } from "../ops/matmul.js";
import { addBias, scale, sub, sumColumns } from "../ops/elementwise.js";
import { softmax } from "../ops/activations.js";
import type { ActivationName, LayerActivation } from "./activation.js";
import { addBiasRelu, applyActivation, timesDerivative } from "./activation.js";

/** z^l = W^l a^(l-1) + b^l, then a^l = f(z^l) (softmax on the output). */
export function layerForward<Out extends number, In extends number, B extends number>(
  f: LayerActivation, weights: Matrix<Out, In>, bias: Matrix<Out, 1>, aPrev: Matrix<In, B>,
  z: Matrix<Out, B>, a: Matrix<Out, B>,
): void {
  matmul(weights, aPrev, z); //     W^l a^(l-1)
  if (f === "relu") return addBiasRelu(z, bias, a); // + b^l, and a^l = max(z^l, 0) in the same pass
  addBias(z, bias, z); //           + b^l
  if (f === "softmax") softmax(z, a); // a^L = e^(z_k - max) / sum_c e^(z_c - max)
  else applyActivation(f, z, a); // a^l = f(z^l)
}

/** delta^L = a^L - t: softmax with cross-entropy, dE/dz_k^L = a_k^L - t_k. */
export function outputDeltaCrossEntropy<K extends number, B extends number>(
  a: Matrix<K, B>, targets: Matrix<K, B>, delta: Matrix<K, B>,
): void {
  sub(a, targets, delta);
}

/** delta^L = dE/dz^L for the mean squared error E = (1/K) sum_k (a_k - t_k)^2: (2/K)(a^L - t) (.) f'(z^L). */
export function outputDeltaSquaredError<K extends number, B extends number>(
  f: ActivationName, z: Matrix<K, B>, a: Matrix<K, B>, targets: Matrix<K, B>, delta: Matrix<K, B>,
): void {
  sub(a, targets, delta);
  scale(delta, 2 / a.rows, delta);
  timesDerivative(f, z, a, delta);
}

/** delta^(l-1) = f'(z^(l-1)) (.) (W^l)^T delta^l. */
export function deltaPrevious<Out extends number, In extends number, B extends number>(
  f: ActivationName, weights: Matrix<Out, In>, delta: Matrix<Out, B>,
  zPrev: Matrix<In, B>, aPrev: Matrix<In, B>, deltaPrev: Matrix<In, B>,
): void {
  matmulTransA(weights, delta, deltaPrev); // (W^l)^T delta^l
  timesDerivative(f, zPrev, aPrev, deltaPrev); // (.) f'(z^(l-1))
}

/** dE/dW^l = delta^l (a^(l-1))^T; over a batch the product sums the examples, and 1/B makes it the mean. */
export function weightGradient<Out extends number, In extends number, B extends number>(
  delta: Matrix<Out, B>, aPrev: Matrix<In, B>, gradient: Matrix<Out, In>,
): void {
  // (1/B) delta^l (a^(l-1))^T: the kernel applies 1/B as it writes each block of the product, which
  // spares a second pass over dE/dW (the largest matrix of a step).
  matmulTransBScaled(delta, aPrev, 1 / delta.cols, gradient);
}

/** dE/db^l = delta^l, summed over the batch's columns and divided by B (the mean loss). */
export function biasGradient<Out extends number, B extends number>(delta: Matrix<Out, B>, gradient: Matrix<Out, 1>): void {
  sumColumns(delta, gradient);
  if (delta.cols > 1) scale(gradient, 1 / delta.cols, gradient);
}
