// Audit: unions of sizes, layers, element types, networks; each one where it enters and where it meets.
import {
  add, addBias, assertShape, conv2d, createWorkspace, dense, fromArray, hcat, input, lossAndGradients, matmul, maxPool2d, mlp,
  oneHot, predict, relu, reshape, sequential, sgd, vcat, widen, zeros, type Matrix, type Mlp,
} from "../../../../src/index.js";
import { is } from "../expect.js";

declare const flag: boolean;
declare const other: boolean;
function rows<N extends number>(n: N) {
  return zeros(n, 4);
}
function cols<N extends number>(n: N) {
  return zeros(4, n);
}

// U01 a union of row counts at a constructor
{
  void zeros(flag ? 3 : 4, 2);
  //         ^^^^^^^^^^^^ zeros expects each size to be one number (write a plain number for a size known at run time, Dyn), got a union of sizes
}
// U02 a union in fromArray
{
  void fromArray([1, 2, 3, 4], flag ? 2 : 4, 2);
  //                           ^^^^^^^^^^^^ fromArray expects each size to be one number (write a plain number for a size known at run time, Dyn), got a union of sizes
}
// U03 a single literal from a conditional whose branches agree is one size
{
  is<Matrix<3, 2>>()(zeros(flag ? 3 : 3, 2));
}
// U04 a union in reshape
{
  void reshape(zeros(3, 4), flag ? 2 : 3, 6);
  //                        ^^^^^^^^^^^^ reshape expects each size to be one number (write a plain number for a size known at run time, Dyn), got a union of sizes
}
// U05 a union laundered through the caller's generic function meets another in matmul
{
  void matmul(cols(flag ? 2 : 3), rows(other ? 3 : 2));
  //                              ^^^^^^^^^^^^^^^^^^^ matmul expects each size to be one number (write a plain number for a size known at run time, Dyn), got a union of sizes
}
// U06 ... in add
{
  void add(rows(flag ? 2 : 3), rows(other ? 3 : 2));
  //                           ^^^^^^^^^^^^^^^^^^^ add expects each size to be one number (write a plain number for a size known at run time, Dyn), got a union of sizes
}
// U07 ... in vcat and hcat
{
  void vcat(cols(flag ? 2 : 3), cols(other ? 3 : 2));
  //                            ^^^^^^^^^^^^^^^^^^^ vcat expects each size to be one number (write a plain number for a size known at run time, Dyn), got a union of sizes
  void hcat(rows(flag ? 2 : 3), rows(other ? 3 : 2));
  //                            ^^^^^^^^^^^^^^^^^^^ hcat expects each size to be one number (write a plain number for a size known at run time, Dyn), got a union of sizes
}
// U08 a laundered union used alone keeps its (honest) union type
{
  is<Matrix<2 | 3, 4>>()(rows(flag ? 2 : 3));
}
// U09 one matrix of a laundered union size added to itself: refused too (conservative: the types cannot
// tell both operands are one matrix; a size known only at run time is a plain number, Dyn)
{
  const r = rows(flag ? 2 : 3);
  void add(r, r);
  //          ^ add expects each size to be one number (write a plain number for a size known at run time, Dyn), got a union of sizes
}
// U10 a union kernel, a union pair, a union of pairs
{
  void conv2d(8, flag ? 3 : 5);
  //             ^^^^^^^^^^^^ conv2d expects each size to be one number (write a plain number for a size known at run time, Dyn), got a union of sizes
  void conv2d(8, [3, flag ? 3 : 5]);
  //             ^^^^^^^^^^^^^^^^^ conv2d expects each size to be one number (write a plain number for a size known at run time, Dyn), got a union of sizes
  void conv2d(8, flag ? [3, 3] : [5, 5]);
  //             ^^^^^^^^^^^^^^^^^^^^^^ conv2d expects one [height, width] pair, got a union of pairs
}
// U11 a union pooling window and stride
{
  void maxPool2d(flag ? 2 : 3);
  //             ^^^^^^^^^^^^ maxPool2d expects each size to be one number (write a plain number for a size known at run time, Dyn), got a union of sizes
  void maxPool2d(2, flag ? 1 : 2);
  //                ^^^^^^^^^^^^ maxPool2d expects each size to be one number (write a plain number for a size known at run time, Dyn), got a union of sizes
}
// U12 a union in input()
{
  void input(1, flag ? 28 : 32, 28);
  //            ^^^^^^^^^^^^^^ input expects each size to be one number (write a plain number for a size known at run time, Dyn), got a union of sizes
}
// U13 a union batch for a workspace
{
  void createWorkspace(mlp([4, 8, 3]), flag ? 32 : 64);
  //                                   ^^^^^^^^^^^^^^ createWorkspace expects each size to be one number (write a plain number for a size known at run time, Dyn), got a union of sizes
}
// U14 a union in assertShape
{
  void assertShape(widen(zeros(3, 4)), flag ? 3 : 4, 4);
  //                                   ^^^^^^^^^^^^ assertShape expects each size to be one number (write a plain number for a size known at run time, Dyn), got a union of sizes
}
// U15 a union number of classes
{
  void oneHot([0, 1], flag ? 2 : 3);
  //                  ^^^^^^^^^^^^ oneHot expects each size to be one number (write a plain number for a size known at run time, Dyn), got a union of sizes
}
// U16 a union in both sizes of dense
{
  void dense(flag ? 4 : 5, flag ? 8 : 9);
  //         ^^^^^^^^^^^^ dense expects each size to be one number (write a plain number for a size known at run time, Dyn), got a union of sizes
}
// U17 a union of two networks that agree on input and output: predict is fine
{
  const net = flag ? mlp([4, 8, 3]) : mlp([4, 16, 3]);
  is<Matrix<3, 2>>()(predict(net, zeros(4, 2)));
}
// U18 a union of two networks that disagree on the input size
{
  void predict(flag ? mlp([4, 8, 3]) : mlp([5, 8, 3]), zeros(4, 2));
  //                                                   ^^^^^^^^^^^ ~ 'ShapeError<"predict expects x with 4 rows (one column per example), got 4x2" | "predict expects x with 5 rows
}
// U19 a union of networks given one network's workspace
{
  const small = mlp([4, 8, 3]);
  void lossAndGradients(flag ? small : mlp([4, 9, 3]), zeros(4, 2), zeros(3, 2), createWorkspace(small, 2));
  //                                                                             ^^^^^^^^^^^^^^^^^^^^^^^^^ lossAndGradients expects a workspace created for this network, got one of another network
}
// U20 a union of networks given one network's gradients
{
  const small = mlp([4, 8, 3]);
  const g = lossAndGradients(small, zeros(4, 2), zeros(3, 2)).gradients;
  sgd({ learningRate: 0.1 }).step(flag ? small : mlp([4, 9, 3]), g);
  //                                                             ^ step expects gradients shaped like this network's parameters (from lossAndGradients on it), got those of another network
}
// U21 a union of layers in a const tuple spread into sequential
{
  const layers = [dense(4, 8), flag ? relu() : dense(8, 8), dense(8, 3)] as const;
  void sequential(...layers);
  //              ^^^^^^^^^ sequential layer 2 expects one layer, got a union of layers (choose the layer before the call)
}
// U22 a union of element types: each matrix is one or the other, and nothing compares them at compile time
{
  const a = zeros(3, 4, flag ? "float32" : "float64");
  const b = zeros(3, 4, other ? "float32" : "float64");
  void add(a, b); // HOLE: a union of element types is not refused (a generic element type looks the same to TypeScript); mixing is thrown at run time
}
// U23 a union laundered into a network's input size: the network is consistent and keeps the union...
{
  function net<H extends number>(h: H) {
    return sequential(input(h), dense(3));
  }
  is<Mlp<[4 | 8, 3]>>()(net(flag ? 4 : 8));
}
// U25 ...but no input is known to fit it
{
  function net<H extends number>(h: H) {
    return sequential(input(h), dense(3));
  }
  void predict(net(flag ? 4 : 8), zeros(4, 2));
  //                              ^^^^^^^^^^^ ~ 'ShapeError<"predict expects x with 4 rows (one column per example), got 4x2" | "predict expects x with 8 rows (one colum
  void predict(net(flag ? 4 : 8), rows(flag ? 4 : 8));
  //                              ^^^^^^^^^^^^^^^^^^ predict expects each size to be one number (write a plain number for a size known at run time, Dyn), got a union of sizes
}
// U24 two matrices from one union-sized constructor call, multiplied where the inner sizes agree
{
  const n = flag ? 3 : 4;
  void matmul(zeros(2, n), zeros(n, 5));
  //                   ^ zeros expects each size to be one number (write a plain number for a size known at run time, Dyn), got a union of sizes
  //                       ^^^^^^^^^^^ matmul expects each size to be one number (write a plain number for a size known at run time, Dyn), got a union of sizes
  //                             ^ zeros expects each size to be one number (write a plain number for a size known at run time, Dyn), got a union of sizes
}
