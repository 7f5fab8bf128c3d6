/**
 * The notes' equations, one function each, generic over the layer sizes (In, Out), the batch size B
 * and the element type D. Because they are generic, the compiler checks every product of the
 * derivation for all sizes at once: W a, W^T delta and delta a^T do not compile when the shapes
 * disagree (test-d/backprop.test-d.ts mis-wires each one). The dense layer kind calls them.
 *
 * Notation: layer l has Out neurons (index k), layer l-1 has In (index j); B examples are columns.
 *
 * Each size is inferred from one argument only (the first that has it: W for Out and In, a^(l-1) or
 * delta for B); every later position is `NoInfer`, so a mismatch names the two types the caller
 * wrote (`'Matrix<20, 20>' is not assignable to 'Matrix<20, 21>'`) rather than an inferred union
 * (`'Matrix<21 | 20, 5>'`).
 */
import type { DType, Matrix, MatrixLike } from "../shape/matrix.js";
import { checkMatrix, dtypeOf } from "../shape/matrix.js";
import { ShapeError, addBiasMessage } from "../shape/errors.js";
import { result } from "../ops/out.js";
import { matmul, matmulTransA, matmulTransBScaled } from "../ops/matmul.js";
import { addBias, scale, sub, sumColumns } from "../ops/elementwise.js";
import type { ActivationName, AddBiasThenF, LayerActivation } from "./activations/index.js";
import { activations } from "./activations/index.js";


/**
 * z^l = W^l a^(l-1) + b^l. With `addBiasThenF` (ReLU's), also a^l = f(z^l) in the same pass over z;
 * returns true when it wrote a^l.
 */
export function weightedInput<Out extends number, In extends number, B extends number, D extends DType>(
  weights: Matrix<Out, In, D>, bias: Matrix<Out, 1, D>, aPrev: Matrix<In, B, D>, z: Matrix<Out, B, D>, a: Matrix<Out, B, D>,
  addBiasThenF: AddBiasThenF | null,
): boolean {
  matmul(weights, aPrev, z); //                         W^l a^(l-1)
  if (addBiasThenF === null) {
    addBias(z, bias, z); //                             + b^l
    return false;
  }
  checkBias("layerForward", z, bias);
  result("layerForward", z.rows, z.cols, dtypeOf(z.data), a); // a^l: checked like any op's out
  addBiasThenF(z.data, z.rows, z.cols, bias.data, a.data); //  + b^l, then a^l = f(z^l)
  return true;
}

/** z^l = W^l a^(l-1) + b^l, then a^l = f(z^l) (softmax on the output): one layer's forward step. */
export function layerForward<Out extends number, In extends number, B extends number, D extends DType>(
  f: LayerActivation, weights: Matrix<Out, In, D>, bias: Matrix<NoInfer<Out>, 1, NoInfer<D>>, aPrev: Matrix<NoInfer<In>, B, NoInfer<D>>,
  z: Matrix<NoInfer<Out>, NoInfer<B>, NoInfer<D>>, a: Matrix<NoInfer<Out>, NoInfer<B>, NoInfer<D>>,
): void {
  const activation = activations[f];
  if (!weightedInput(weights, bias, aPrev, z, a, activation.addBiasThenF)) activation.f(z.data, a.data, z.rows, z.cols);
}

/** delta^L = a^L - t: softmax with cross-entropy, dE/dz_k^L = a_k^L - t_k. */
export function outputDeltaCrossEntropy<K extends number, B extends number, D extends DType>(
  a: Matrix<K, B, D>, targets: Matrix<NoInfer<K>, NoInfer<B>, NoInfer<D>>, delta: Matrix<NoInfer<K>, NoInfer<B>, NoInfer<D>>,
): void {
  sub(a, targets, delta);
}

/** delta^L = dE/dz^L for the mean squared error E = (1/K) sum_k (a_k - t_k)^2: (2/K)(a^L - t) (.) f'(z^L). */
export function outputDeltaSquaredError<K extends number, B extends number, D extends DType>(
  f: ActivationName, z: Matrix<K, B, D>, a: Matrix<NoInfer<K>, NoInfer<B>, NoInfer<D>>,
  targets: Matrix<NoInfer<K>, NoInfer<B>, NoInfer<D>>, delta: Matrix<NoInfer<K>, NoInfer<B>, NoInfer<D>>,
): void {
  sub(a, targets, delta);
  scale(delta, 2 / a.rows, delta);
  activations[f].timesDerivative!(z.data, a.data, delta.data);
}

/** (W^l)^T delta^l: how the error of layer l reaches the activations of layer l-1. */
export function backpropagate<Out extends number, In extends number, B extends number, D extends DType>(
  weights: Matrix<Out, In, D>, delta: Matrix<NoInfer<Out>, B, NoInfer<D>>, out: Matrix<NoInfer<In>, NoInfer<B>, NoInfer<D>>,
): void {
  matmulTransA(weights, delta, out);
}

/** delta^(l-1) = f'(z^(l-1)) (.) (W^l)^T delta^l. */
export function deltaPrevious<Out extends number, In extends number, B extends number, D extends DType>(
  f: ActivationName, weights: Matrix<Out, In, D>, delta: Matrix<NoInfer<Out>, B, NoInfer<D>>,
  zPrev: Matrix<NoInfer<In>, NoInfer<B>, NoInfer<D>>, aPrev: Matrix<NoInfer<In>, NoInfer<B>, NoInfer<D>>,
  deltaPrev: Matrix<NoInfer<In>, NoInfer<B>, NoInfer<D>>,
): void {
  backpropagate(weights, delta, deltaPrev); //                     (W^l)^T delta^l
  activations[f].timesDerivative!(zPrev.data, aPrev.data, deltaPrev.data); // (.) f'(z^(l-1))
}

/** dE/dW^l = delta^l (a^(l-1))^T; over a batch the product sums the examples, and 1/B makes it the mean. */
export function weightGradient<Out extends number, In extends number, B extends number, D extends DType>(
  delta: Matrix<Out, B, D>, aPrev: Matrix<In, NoInfer<B>, NoInfer<D>>, gradient: Matrix<NoInfer<Out>, NoInfer<In>, NoInfer<D>>,
): void {
  // (1/B) delta^l (a^(l-1))^T: the kernel applies 1/B as it writes each block of the product, which
  // spares a second pass over dE/dW (the largest matrix of a step).
  matmulTransBScaled(delta, aPrev, meanFactor(delta.cols), gradient);
}

/** dE/db^l = delta^l, summed over the batch's columns and divided by B (the mean loss). */
export function biasGradient<Out extends number, B extends number, D extends DType>(delta: Matrix<Out, B, D>, gradient: Matrix<NoInfer<Out>, 1, NoInfer<D>>): void {
  sumColumns(delta, gradient);
  if (delta.cols > 1) scale(gradient, meanFactor(delta.cols), gradient);
}

/**
 * 1/B, the mean's factor, kept once per batch size: a 1/B computed on each call is a new heap
 * number (16 bytes) wherever it is passed to a function V8 did not inline, and a training step
 * should allocate nothing (measured by test/cnn-allocation.test.ts). A Map holds its values as
 * references, so passing one on allocates nothing.
 */
const meanFactors = new Map<number, number>();
function meanFactor(batch: number): number {
  let factor = meanFactors.get(batch);
  if (factor === undefined) meanFactors.set(batch, (factor = 1 / batch));
  return factor;
}

/** The check `addBias` makes, for the fused pass: a bias column with z's row count and element type. */
function checkBias(op: string, z: MatrixLike, bias: unknown): void {
  checkMatrix(op, bias);
  if (bias.rows !== z.rows || bias.cols !== 1) throw new ShapeError(addBiasMessage(z.rows, z.cols, bias.rows, bias.cols));
  result(op, z.rows, 1, dtypeOf(z.data), bias);
}
