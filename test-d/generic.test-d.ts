/**
 * Code generic over sizes compiles with the stated types (issue 10, section 3, verbatim where
 * written there), and shape equalities are still checked inside it: only checks that need a
 * literal value (a size of 1 or more) move to run time for a generic size.
 */
import { expectError, expectType } from "tsd";
import {
  adam, createWorkspace, dense, lossAndGradients, matmul, mlp, modelFromJSON, predict, relu, sequential, softmax, zeros, conv2d,
  type Matrix, type Mlp, type Sizes, type Workspace, type LossAndGradients, type Dense,
} from "../src/index.js";

// function make<N extends number>(k: N) { return zeros(k, 3); } is Matrix<N, 3>
function make<N extends number>(k: N) {
  return zeros(k, 3);
}
expectType<Matrix<7, 3>>(make(7));
expectType<Matrix<number, 3>>(make(7 as number));
// function block<H extends number>(h: H) { return sequential(dense(4, h), relu(), dense(h, 3)); }
function block<H extends number>(h: H) {
  return sequential(dense(4, h), relu(), dense(h, 3));
}
expectType<Mlp<[4, 16, 3]>>(block(16));
// Shape equalities are checked generically: two different generic sizes do not match.
function blockBad<H extends number, K extends number>(h: H, k: K) {
  expectError(sequential(dense(4, h), relu(), dense(k, 3)));
  expectError(sequential(dense(4, h), relu(), dense(5, 3)));
}
// function ws<S extends Sizes, B extends number>(net: Mlp<S>, b: B) { return createWorkspace(net, b); }
function ws<S extends Sizes, B extends number>(net: Mlp<S>, b: B) {
  return createWorkspace(net, b);
}
expectType<Workspace<Mlp<[4, 8, 3]>, 32>>(ws(mlp([4, 8, 3]), 32));
// function make<const S extends number[]>(sizes: S) { return mlp(sizes); } returning Mlp<S>
function makeMlp<const S extends number[]>(sizes: S) {
  return mlp(sizes);
}
expectType<Mlp<[4, 8, 3]>>(makeMlp([4, 8, 3]));
// as const lists, including modelFromJSON(text, SIZES) with const SIZES = [784, 128, 10] as const
const SIZES = [784, 128, 10] as const;
expectType<Mlp<[784, 128, 10]>>(mlp(SIZES));
expectType<Mlp<[784, 128, 10]>>(mlp([784, 128, 10] as const));
declare const text: string;
expectType<Mlp<[784, 128, 10]>>(modelFromJSON(text, [784, 128, 10]));

// Generic batch sizes: lossAndGradients and createWorkspace inside code generic over B.
function step<B extends number>(net: Mlp<[4, 8, 3]>, x: Matrix<4, B>, t: Matrix<3, B>, w: Workspace<Mlp<[4, 8, 3]>, B>, x5: Matrix<5, B>) {
  expectType<LossAndGradients<Mlp<[4, 8, 3]>>>(lossAndGradients(net, x, t, w));
  expectType<LossAndGradients<Mlp<[4, 8, 3]>>>(lossAndGradients(net, x, t));
  expectType<Matrix<3, B>>(predict(net, x));
  expectError(lossAndGradients(net, x, zeros(3, 5), w)); // a literal batch is not B
  expectError(lossAndGradients(net, x5, t)); // 5 features, not 4
  adam().step(net, lossAndGradients(net, x, t, w).gradients);
}
function makeWorkspace<B extends number>(net: Mlp<[4, 8, 3]>, b: B) {
  const w = createWorkspace(net, b);
  expectType<Workspace<Mlp<[4, 8, 3]>, B>>(w);
  return w;
}
expectType<Workspace<Mlp<[4, 8, 3]>, 16>>(makeWorkspace(mlp([4, 8, 3]), 16));
function batchMismatch<B extends number, C extends number>(net: Mlp<[4, 8, 3]>, x: Matrix<4, B>, t: Matrix<3, C>) {
  expectError(lossAndGradients(net, x, t)); // B and C may differ
}
// Generic layer sizes inside a network: the flow checks them against each other.
function head<In extends number>(inputs: In) {
  return sequential(dense(inputs, 10), softmax());
}
expectType<Mlp<[64, 10]>>(head(64));
function kernel<K extends number>(k: K) {
  return conv2d(8, k);
}
expectType<number>(kernel(3).filters + kernel(3).kernel[0]);
function dense2<A extends number, B extends number>(a: A, b: B): Dense<A, B> {
  return dense(a, b);
}
expectType<Dense<3, 4>>(dense2(3, 4));
function backprop<Out extends number, In extends number, B extends number>(w: Matrix<Out, In>, a: Matrix<In, B>) {
  expectType<Matrix<Out, B>>(matmul(w, a));
  expectError(matmul(a, w));
}
void [blockBad, step, batchMismatch, backprop];
