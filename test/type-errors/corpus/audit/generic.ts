// Audit: code generic over sizes and element types; correct generic code compiles with its types,
// mistakes inside it are still errors.
import {
  add, adam, conv2d, createWorkspace, dense, input, lossAndGradients, matmul, matmulTransA, matmulTransB, mlp, predict, relu, sequential,
  softmax, summary, zeros, type AnyNetwork, type DType, type InputSizeOf, type Matrix, type Mlp, type OutputSizeOf, type ParamsOf, type Sizes,
  type Workspace,
} from "../../../../src/index.js";
import { is } from "../expect.js";

// G01 a constructor with a generic size
{
  function make<N extends number>(k: N) {
    return zeros(k, 3);
  }
  is<Matrix<7, 3>>()(make(7));
}
// G02 a dense block with a generic hidden size
{
  function block<H extends number>(h: H) {
    return sequential(dense(4, h), relu(), dense(h, 3));
  }
  is<Mlp<[4, 32, 3]>>()(block(32));
}
// G03 two generic sizes that need not be equal
{
  function block<H extends number, K extends number>(h: H, k: K) {
    return sequential(dense(4, h), relu(), dense(k, 3));
    //                                     ^^^^^^^^^^^ ~ 'Dense<K, 3>' is not assignable to parameter of type 'Checked<Dense<K, 3>, Same<H, K, [[3], [3, K]], `sequential 
  }
  void block;
}
// G04 a generic size against a literal one
{
  function block<H extends number>(h: H) {
    return sequential(dense(4, h), relu(), dense(8, 3));
    //                                     ^^^^^^^^^^^ ~ 'Dense<8, 3>' is not assignable to parameter of type 'Checked<Dense<8, 3>, Same<H, 8, [[3], [3, 8]], `sequential 
  }
  void block;
}
// G05 a training step generic over the batch size
{
  function step<B extends number>(net: Mlp<[4, 8, 3]>, x: Matrix<4, B>, t: Matrix<3, B>, w: Workspace<Mlp<[4, 8, 3]>, B>) {
    adam().step(net, lossAndGradients(net, x, t, w).gradients);
    return predict(net, x);
  }
  is<Matrix<3, 16>>()(step(mlp([4, 8, 3]), zeros(4, 16), zeros(3, 16), createWorkspace(mlp([4, 8, 3]), 16)));
}
// G06 a generic batch against a literal workspace
{
  function step<B extends number>(net: Mlp<[4, 8, 3]>, x: Matrix<4, B>, t: Matrix<3, B>) {
    return lossAndGradients(net, x, t, createWorkspace(net, 16));
    //                                 ^^^^^^^^^^^^^^^^^^^^^^^^ ~ 'Workspace<Mlp<[4, 8, 3], "float64">, 16>' is not assignable to parameter of type 'Fits<16, B, Workspace<Mlp<[4, 8, 3], "float64">, 16>, Shape
  }
  void step;
}
// G07 generic inputs and targets of different batch sizes
{
  function step<B extends number, C extends number>(net: Mlp<[4, 8, 3]>, x: Matrix<4, B>, t: Matrix<3, C>) {
    return lossAndGradients(net, x, t);
    //                              ^ ~ 'Matrix<3, C, "float64">' is not assignable to parameter of type 'Fits2<3, C, 3, B, Matrix<3, C, "float64">, ShapeError<`loss
  }
  void step;
}
// G08 the three products of backprop, generic over every size
{
  function products<Out extends number, In extends number, B extends number>(w: Matrix<Out, In>, delta: Matrix<Out, B>, a: Matrix<In, B>) {
    is<Matrix<Out, B>>()(matmul(w, a));
    is<Matrix<In, B>>()(matmulTransA(w, delta));
    is<Matrix<Out, In>>()(matmulTransB(delta, a));
  }
  void products;
}
// G09 a product with the operands swapped, generic
{
  function products<Out extends number, In extends number, B extends number>(w: Matrix<Out, In>, a: Matrix<In, B>) {
    return matmul(a, w);
    //               ^ ~ 'Matrix<Out, In, "float64">' is not assignable to parameter of type 'Fits<Out, B, Matrix<Out, In, "float64">, ShapeError<`matmul
  }
  void products;
}
// G10 a size parameter constrained to a literal union, used as one size throughout (refused: such a parameter
// looks to TypeScript like the union it may be; write N extends number)
{
  function layer<N extends 3 | 4>(a: Matrix<2, N>, b: Matrix<N, 5>) {
    return matmul(a, b);
    //               ^ ~ 'Matrix<N, 5, "float64">' is not assignable to parameter of type 'Fits<N, N, Matrix<N, 5, "float64">, ShapeError<`matmul expe
  }
  void layer;
}
// G11 such a function called with two different sizes
{
  function layer<N extends number>(a: Matrix<2, N>, b: Matrix<N, 5>) {
    return matmul(a, b);
  }
  void layer(zeros(2, 3), zeros(4, 5));
  //         ^^^^^^^^^^^ ~ 'Matrix<2, 3, "float64">' is not assignable to parameter of type 'Matrix<2, 3 | 4, "float64">'.
}
// G12 generic over the element type
{
  function affine<D extends DType, B extends number>(w: Matrix<10, 20, D>, x: Matrix<20, B, D>, b: Matrix<10, B, D>) {
    return add(matmul(w, x), b);
  }
  is<Matrix<10, 5, "float32">>()(affine(zeros(10, 20, "float32"), zeros(20, 5, "float32"), zeros(10, 5, "float32")));
}
// G13 generic over the element type, mixed with a fixed one
{
  function affine<D extends DType>(w: Matrix<10, 20, D>, x: Matrix<20, 5>) {
    return matmul(w, x);
    //               ^ ~ 'Matrix<20, 5, "float64">' is not assignable to parameter of type 'SameDType<"matmul", D, "float64", Matrix<20, 5, "float64">>
  }
  void affine;
}
// G14 a function over any network, reading its sizes with the library's own helpers
{
  function run<N extends AnyNetwork, B extends number>(net: N, x: Matrix<InputSizeOf<N>, B, N["dtype"]>): Matrix<OutputSizeOf<N>, B, N["dtype"]> {
    return predict(net, x);
  }
  is<Matrix<3, 7>>()(run(mlp([4, 8, 3]), zeros(4, 7)));
}
// G15 such a function given data of another size
{
  function run<N extends AnyNetwork, B extends number>(net: N, x: Matrix<InputSizeOf<N>, B, N["dtype"]>) {
    return predict(net, x);
  }
  void run(mlp([4, 8, 3]), zeros(5, 7));
  //                       ^^^^^^^^^^^ ~ 'Matrix<5, 7, "float64">' is not assignable to parameter of type 'Matrix<4, 7, "float64">'.
}
// G16 a function over any network's gradients
{
  function update<N extends AnyNetwork>(net: N, g: ParamsOf<N>) {
    adam().step(net, g);
  }
  const net = mlp([4, 8, 3]);
  update(net, lossAndGradients(net, zeros(4, 2), zeros(3, 2)).gradients);
}
// G17 a const generic list of sizes
{
  function make<const S extends readonly number[]>(sizes: S) {
    return mlp(sizes);
  }
  is<Mlp<[784, 64, 10]>>()(make([784, 64, 10]));
  is<Mlp<[784, 64, 10]>>()(make([784, 64, 10] as const));
}
// G18 a workspace generic over its network's sizes
{
  function ws<S extends Sizes, B extends number>(net: Mlp<S>, b: B) {
    return createWorkspace(net, b);
  }
  is<Workspace<Mlp<[2, 2]>, 5>>()(ws(mlp([2, 2]), 5));
}
// G19 a generic kernel size inside sequential (refused: the window arithmetic on a type parameter stays
// unresolved, so the layers after it cannot be checked; a kernel known at run time is a plain number)
{
  function features<K extends number>(k: K) {
    return sequential(input(1, 28, 28), conv2d(4, k), relu(), conv2d(4, [k, k]), relu());
    //                                                ^^^^^^ ~ 'ActivationLayer<"relu">' is not assignable to parameter of type 'Checked<ActivationLayer<"relu">, ((PaddedWindow<28, 28, Fir
  }
  void features;
}
// G20 a generic summary
{
  function count<N extends AnyNetwork>(net: N) {
    return summary(net).params;
  }
  is<67>()(count(mlp([4, 8, 3])));
  void softmax;
}
