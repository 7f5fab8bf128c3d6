/**
 * The notes' equations as generic functions: each accepts exactly the shapes of its equation and
 * rejects a mis-wired call (W a, W^T delta, delta a^T with the wrong operand).
 */
import { expectError, expectType } from "tsd";
import {
  backpropagate, biasGradient, deltaPrevious, layerForward, outputDeltaCrossEntropy, outputDeltaSquaredError, weightGradient, zeros,
  type Matrix,
} from "../src/index.js";

const W = zeros(128, 784), b = zeros(128, 1), a0 = zeros(784, 64), z1 = zeros(128, 64), a1 = zeros(128, 64);
const delta1 = zeros(128, 64), gW = zeros(128, 784), gb = zeros(128, 1), delta0 = zeros(784, 64);

// z^l = W^l a^(l-1) + b^l, a^l = f(z^l)
expectType<void>(layerForward("relu", W, b, a0, z1, a1));
expectError(layerForward("relu", W, b, zeros(783, 64), z1, a1)); // W a with a of the wrong size
expectError(layerForward("relu", W, zeros(64, 1), a0, z1, a1)); // bias of another layer
expectError(layerForward("relu", W, b, a0, zeros(128, 32), a1)); // z for another batch size
expectError(layerForward("gelu", W, b, a0, z1, a1));

// delta^L = a^L - t
expectType<void>(outputDeltaCrossEntropy(zeros(10, 64), zeros(10, 64), zeros(10, 64)));
expectError(outputDeltaCrossEntropy(zeros(10, 64), zeros(9, 64), zeros(10, 64)));
expectType<void>(outputDeltaSquaredError("identity", zeros(3, 8), zeros(3, 8), zeros(3, 8), zeros(3, 8)));
expectError(outputDeltaSquaredError("identity", zeros(3, 8), zeros(3, 8), zeros(3, 8), zeros(8, 3)));

// delta^(l-1) = f'(z^(l-1)) (.) (W^l)^T delta^l
expectType<void>(deltaPrevious("relu", W, delta1, zeros(784, 64), zeros(784, 64), delta0));
expectError(deltaPrevious("relu", W, zeros(784, 64), zeros(784, 64), zeros(784, 64), delta0)); // delta of the wrong layer
expectError(deltaPrevious("relu", zeros(784, 128), delta1, zeros(784, 64), zeros(784, 64), delta0)); // W instead of W^T

// dE/dW^l = delta^l (a^(l-1))^T and dE/db^l = delta^l
expectType<void>(weightGradient(delta1, a0, gW));
expectError(weightGradient(delta1, a0, zeros(784, 128))); // gradient shaped like W^T
expectError(weightGradient(delta1, zeros(784, 32), gW)); // a from another batch
expectType<void>(biasGradient(delta1, gb));
expectError(biasGradient(delta1, zeros(64, 1)));

// (W^l)^T delta^l alone
expectType<void>(backpropagate(W, delta1, delta0));
expectError(backpropagate(W, delta1, zeros(128, 64))); // out shaped like delta, not like a^(l-1)
expectError(backpropagate(W, zeros(784, 64), delta0));

// Element types: one equation, one element type.
expectError(weightGradient(delta1, zeros(784, 64, "float32"), gW));
expectError(layerForward("relu", zeros(128, 784, "float32"), b, a0, z1, a1));
expectType<void>(weightGradient(zeros(128, 64, "float32"), zeros(784, 64, "float32"), zeros(128, 784, "float32")));

// Generic over every size: each is inferred once (from W, or from a^(l-1) for B), so a mismatch names
// the types the caller wrote and is still caught when the sizes are type parameters.
function generic<Out extends number, In extends number, B extends number>(d: Matrix<Out, B>, a: Matrix<In, B>, g: Matrix<Out, In>, w: Matrix<Out, In>) {
  expectType<void>(weightGradient(d, a, g));
  expectType<void>(backpropagate(w, d, a));
  expectError(weightGradient(d, a, w as unknown as Matrix<In, Out>));
  expectError(backpropagate(w, a as unknown as Matrix<In, B>, d as unknown as Matrix<In, B>));
}
function wrongSize<B extends number>(d: Matrix<20, B>, a: Matrix<21, B>, g: Matrix<20, 20>) {
  expectError(weightGradient(d, a, g));
}
void [generic, wrongSize];
