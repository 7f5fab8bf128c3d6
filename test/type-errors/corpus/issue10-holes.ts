// Issue 10, section 1: the five holes. Each program compiled before; each is now an error whose
// ShapeError text stands on the first line of the diagnostic, on the argument at fault.
import { createWorkspace, dense, lossAndGradients, matmul, mlp, relu, sequential, sgd, summary, zeros, type Matrix } from "../../../src/index.js";
import { is } from "./expect.js";

declare const flag: boolean;

// H1.1 a size whose type is a union is not a known size
{
  void matmul(zeros(2, flag ? 3 : 4), zeros(flag ? 4 : 3, 5));
  //                   ^^^^^^^^^^^^ zeros expects each size to be one number (write a plain number for a size known at run time, Dyn), got a union of sizes
  //                                  ^^^^^^^^^^^^^^^^^^^^^^ matmul expects each size to be one number (write a plain number for a size known at run time, Dyn), got a union of sizes
  //                                        ^^^^^^^^^^^^ zeros expects each size to be one number (write a plain number for a size known at run time, Dyn), got a union of sizes
}
{
  function b(h: 128 | 256, k: 128 | 256) {
    return sequential(dense(784, h), relu(), dense(k, 10));
    //                           ^ dense expects each size to be one number (write a plain number for a size known at run time, Dyn), got a union of sizes
    //                                             ^ dense expects each size to be one number (write a plain number for a size known at run time, Dyn), got a union of sizes
  }
  void b;
}
{
  void zeros(flag ? 0 : 3, 4);
  //         ^^^^^^^^^^^^ zeros expects each size to be one number (write a plain number for a size known at run time, Dyn), got a union of sizes
  void mlp([784, flag ? -1 : 10]);
  //             ^^^^^^^^^^^^^^ mlp expects each size to be one number (write a plain number for a size known at run time, Dyn), got a union of sizes
  void createWorkspace(mlp([4, 8, 3]), flag ? 32 : 64);
  //                                   ^^^^^^^^^^^^^^ createWorkspace expects each size to be one number (write a plain number for a size known at run time, Dyn), got a union of sizes
}

// H1.2 a union of layers in sequential is refused (no check distributes over a union)
{
  void sequential(flag ? dense(4, 8) : dense(4, 9), dense(8, 3));
  //              ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ sequential layer 1 expects one layer, got a union of layers (choose the layer before the call)
  void sequential(dense(4, 8), flag ? dense(8, 99) : relu(), dense(8, 3));
  //                           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^ sequential layer 2 expects one layer, got a union of layers (choose the layer before the call)
}

// H1.3 invariance cannot be bypassed through a plain object type: only the library makes a Matrix
{
  const s1: { readonly rows: 3; readonly cols: 4 | 5; readonly data: Float64Array } = zeros(3, 4);
  const a: Matrix<3, 4 | 5> = s1;
  //    ^ ~ is missing the following properties from type 'Matrix<3, 4 | 5, "float64">': dtype, [matrixBrand]
  void a;
}

// H1.4 network tuples are read-only
{
  const net = mlp([4, 8, 3]);
  net.weights.reverse();
  //          ^^^^^^^ ~ Property 'reverse' does not exist on type 'readonly [
  net.weights.fill(net.weights[0]);
  //          ^^^^ ~ Property 'fill' does not exist on type 'readonly [
  net.sizes.reverse();
  //        ^^^^^^^ ~ Property 'reverse' does not exist on type 'readonly [
  lossAndGradients(net, zeros(4, 2), zeros(3, 2)).gradients.weights.reverse();
  //                                                                ^^^^^^^ ~ Property 'reverse' does not exist on type 'readonly [
}

// H1.5 counts and summaries of sizes not known while compiling are number, never a wrong literal
{
  const sizes: number[] = [784, 128, 10];
  is<number>()(summary(mlp(sizes)).params);
  is<number>()(summary(mlp(sizes)).layers[0]!.layer);
  const hidden: number[] = [128];
  is<number>()(summary(mlp([784, ...hidden, 10])).params);
  is<number>()(summary(mlp([784, ...hidden, 10])).layers[0].layer);
  void sgd;
}
