/** Every op's shape law, accepted and rejected, including inside code generic over the batch size. */
import { expectError, expectType } from "tsd";
import {
  add, addBias, argmax, hadamard, logSoftmax, map, matmul, matmulTransA, matmulTransB, relu, reluDerivative, scale, softmax,
  sub, sumColumns, transpose, zeros, sigmoid, tanh, oneHot, widen,
  type ArgmaxOut, type Dyn, type LabelsArg, type Matrix, type OutArg, type ShapeError, type MatmulMessage,
} from "../src/index.js";

const a = zeros(3, 4), b = zeros(4, 5);

// matmul: (R x K)(K x C) -> R x C
expectType<Matrix<3, 5>>(matmul(a, b));
expectError(matmul(a, zeros(5, 5)));
expectError(matmul(b, a));
expectType<Matrix<3, 5>>(matmul(a, b, zeros(3, 5)));
expectError(matmul(a, b, zeros(5, 3)));
// The rejected argument's type IS the message: hover shows it, the compiler prints it.
expectType<"matmul expects b.rows = a.cols = 4, got 3x4 times 5x5">({} as MatmulMessage<3, 4, 5, 5>);
expectError<Matrix<5, 5>>({} as ShapeError<MatmulMessage<3, 4, 5, 5>>);

// matmulTransA: (K x R)^T (K x C) -> R x C, backprop's W^T delta
expectType<Matrix<784, 64>>(matmulTransA(zeros(128, 784), zeros(128, 64)));
expectError(matmulTransA(zeros(128, 784), zeros(784, 64)));
// matmulTransB: (R x K)(C x K)^T -> R x C, backprop's delta a^T
expectType<Matrix<128, 784>>(matmulTransB(zeros(128, 64), zeros(784, 64)));
expectError(matmulTransB(zeros(128, 64), zeros(64, 784)));
expectType<Matrix<4, 3>>(transpose(a));
expectError(transpose(a, zeros(3, 4)));

// element-wise ops: both operands of one shape
expectType<Matrix<3, 4>>(add(a, zeros(3, 4)));
expectType<Matrix<3, 4>>(sub(a, zeros(3, 4)));
expectType<Matrix<3, 4>>(hadamard(a, zeros(3, 4)));
expectError(add(a, zeros(4, 3)));
expectError(sub(a, zeros(3, 5)));
expectError(hadamard(a, b));
expectType<Matrix<3, 4>>(scale(a, 2));
expectError(scale(a, "2"));
expectType<Matrix<3, 4>>(map(a, (x) => x * 2));
expectError(map(a, (x: string) => x));

// addBias: (R x B) + (R x 1); sumColumns: (R x B) -> R x 1
expectType<Matrix<3, 4>>(addBias(a, zeros(3, 1)));
expectError(addBias(a, zeros(4, 1)));
expectError(addBias(a, zeros(3, 2)));
expectType<Matrix<3, 1>>(sumColumns(a));
expectError(sumColumns(a, zeros(4, 1)));

// activations, per column
expectType<Matrix<3, 4>>(relu(a));
expectType<Matrix<3, 4>>(reluDerivative(a));
expectType<Matrix<3, 4>>(softmax(a));
expectType<Matrix<3, 4>>(logSoftmax(a));
expectType<Matrix<3, 4>>(sigmoid(a));
expectType<Matrix<3, 4>>(tanh(a));
expectType<number[]>(argmax(a));
expectType<Int32Array<ArrayBuffer>>(argmax(a, new Int32Array(4)));
expectType<number[]>(argmax(a, [0, 0, 0, 0]));
expectError(argmax(zeros(10, 32), [0, 0, 0, 0, 0])); // a literal out of the wrong length: the types can tell
expectError(relu(a, zeros(4, 3)));
expectError(softmax(a, zeros(3, 5)));
expectError(argmax([1, 2]));

// Inside code generic over the batch size B, a mismatch is still an error...
function badLayer<B extends number>(w: Matrix<10, 20>, x: Matrix<21, B>) {
  expectError(matmul(w, x));
}
// ...and a match keeps B in the result.
function layer<B extends number>(w: Matrix<10, 20>, x: Matrix<20, B>, bias: Matrix<10, 1>) {
  expectType<Matrix<10, B>>(addBias(matmul(w, x), bias));
  expectError(addBias(matmul(w, x), zeros(20, 1)));
}
// Fully generic code: the products of backprop type-check for all sizes at once.
function backpropProducts<Out extends number, In extends number, B extends number>(w: Matrix<Out, In>, delta: Matrix<Out, B>, aPrev: Matrix<In, B>) {
  expectType<Matrix<Out, B>>(matmul(w, aPrev));
  expectType<Matrix<In, B>>(matmulTransA(w, delta));
  expectType<Matrix<Out, In>>(matmulTransB(delta, aPrev));
  expectError(matmul(w, delta));
  expectError(matmulTransB(aPrev, delta, w));
}
// Element types never mix: every operand, and every out argument, of the first operand's type.
const f32 = zeros(3, 4, "float32");
expectType<Matrix<3, 4, "float32">>(add(f32, zeros(3, 4, "float32")));
expectType<Matrix<3, 5, "float32">>(matmul(f32, zeros(4, 5, "float32")));
expectError(add(f32, zeros(3, 4)));
expectError(add(a, f32));
expectError(sub(f32, a));
expectError(hadamard(a, f32));
expectError(matmul(f32, zeros(4, 5)));
expectError(matmul(a, zeros(4, 5, "float32")));
expectError(matmulTransA(zeros(3, 4, "float32"), zeros(3, 5)));
expectError(matmulTransB(zeros(3, 4, "float32"), zeros(5, 4)));
expectError(addBias(f32, zeros(3, 1)));
expectError(matmul(a, b, zeros(3, 5, "float32"))); // out of the other element type
expectError(add(a, a, zeros(3, 4, "float32")));
expectError(relu(a, zeros(3, 4, "float32")));
expectError(scale(f32, 2, zeros(3, 4)));
expectError(transpose(f32, zeros(4, 3)));
expectError(sumColumns(f32, zeros(3, 1)));
expectType<Matrix<3, 4, "float32">>(relu(f32, zeros(3, 4, "float32")));

// out arguments: the result's shape, else a ShapeError naming the op.
expectType<Matrix<3, 5>>(matmul(a, b, zeros(3, 5)));
expectError(matmul(a, b, zeros(3, 4)));
expectError(matmul(a, b, widen(zeros(3, 5)))); // a Dyn out is not known to be 3x5
expectType<Matrix<3, 4>>(add(a, a, a)); // out may be an input
expectType<Matrix<3, 5>>({} as OutArg<"matmul", 3, 5, "float64", 3, 5, "float64">);
expectType<ShapeError<"matmul expects out of shape 3x5, got out 3x4">>({} as OutArg<"matmul", 3, 5, "float64", 3, 4, "float64">);
expectType<number[]>({} as ArgmaxOut<4, number[]>);
expectType<[0, 0]>({} as ArgmaxOut<2, [0, 0]>);
expectType<ShapeError<"argmax expects out of length 4 (one per column), got 2">>({} as ArgmaxOut<4, [0, 0]>);
expectType<readonly [0, 2]>({} as LabelsArg<readonly [0, 2], 3>);
expectType<ShapeError<"oneHot expects at least one label, got none">>({} as LabelsArg<readonly [], 3>);
expectType<Matrix<3, 2>>(oneHot([0, 2], 3));

// Unions of sizes never meet in an op, even when they reach it through the caller's generic code.
declare const flag: boolean;
function rowsOf<N extends number>(n: N) {
  return zeros(n, 4);
}
function colsOf<N extends number>(n: N) {
  return zeros(4, n);
}
expectError(matmul(colsOf(flag ? 2 : 3), rowsOf(flag ? 3 : 2)));
expectError(add(rowsOf(flag ? 2 : 3), rowsOf(flag ? 3 : 2)));
expectError(addBias(rowsOf(flag ? 2 : 3), zeros(flag ? 3 : 2, 1)));
expectType<Matrix<4, 4>>(matmul(colsOf(2), rowsOf(2)));

declare const dyn: Matrix<Dyn, Dyn>;
expectType<Matrix<Dyn, Dyn>>(matmul(dyn, dyn));
expectError(add(dyn, a));
expectType<Matrix<Dyn, Dyn>>(add(dyn, dyn));
// Generic over the element type too.
function typed<D extends "float64" | "float32", B extends number>(w: Matrix<10, 20, D>, x: Matrix<20, B, D>) {
  expectType<Matrix<10, B, D>>(matmul(w, x));
  expectType<Matrix<10, B, D>>(relu(matmul(w, x)));
  expectError(matmul(w, zeros(20, 3)));
}
void [badLayer, layer, backpropProducts, typed];
