// Issue 10, section 4: every mismatch reports a ShapeError text (or, for the generic backprop
// equations, the two types the caller wrote), on the argument at fault.
import {
  add, adam, createWorkspace, dataset, dense, fit, lossAndGradients, matmul, mlp, predict, relu, sequential, sgd, softmax, toDType,
  weightGradient, zeros, type Matrix,
} from "../../../src/index.js";

// M4.1 an out argument of the wrong shape
{
  void matmul(zeros(3, 4), zeros(4, 5), zeros(3, 4));
  //                                    ^^^^^^^^^^^ matmul expects out of shape 3x5, got out 3x4
  void add(zeros(3, 4), zeros(3, 4), zeros(4, 3));
  //                                 ^^^^^^^^^^^ add expects out of shape 3x4, got out 4x3
  void predict(mlp([4, 8, 3]), zeros(4, 2), zeros(3, 3));
  //                                        ^^^^^^^^^^^ predict expects out of shape 3x2, got out 3x3
}
// M4.2 an optimizer step with another network's gradients
{
  const net = mlp([4, 8, 3]);
  const other = mlp([4, 9, 3]);
  sgd({ learningRate: 0.1 }).step(net, lossAndGradients(other, zeros(4, 2), zeros(3, 2)).gradients);
  //                                   ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ step expects gradients shaped like this network's parameters (from lossAndGradients on it), got those of another network
}
// M4.3 a workspace of another batch size, or of another network
{
  const net = mlp([4, 8, 3]);
  void lossAndGradients(net, zeros(4, 32), zeros(3, 32), createWorkspace(net, 64));
  //                                                     ^^^^^^^^^^^^^^^^^^^^^^^^ lossAndGradients expects a workspace for batches of 32, got one for 64
  void lossAndGradients(net, zeros(4, 32), zeros(3, 32), createWorkspace(mlp([4, 9, 3]), 32));
  //                                                     ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ lossAndGradients expects a workspace created for this network, got one of another network
}
// M4.4 no message blames a type the user never wrote: the backprop equations infer each size once
{
  function layer<B extends number>(delta: Matrix<20, B>, a: Matrix<21, B>, gradient: Matrix<20, 20>) {
    weightGradient(delta, a, gradient);
    //                       ^^^^^^^^ ~ 'Matrix<20, 20, "float64">' is not assignable to parameter of type 'Matrix<20, 21, "float64">'.
  }
  void layer;
  const data = dataset([[1, 2, 3, 4, 5]], [0], { features: 5, classes: 3 });
  void fit(mlp([4, 8, 3]), data, { epochs: 1, optimizer: adam() }); // reported with the sizes written: Dataset<5, 3, number>
  //                       ^^^^ ~ 'Dataset<5, 3, number, "float64">' is not assignable to parameter of type 'Dataset<4, 3, number, "float64">'.
}
// M4.5 sequential: the ShapeError text on the first line, the squiggle on the offending layer
{
  void sequential(dense(784, 128), relu(), dense(127, 10), softmax());
  //                                       ^^^^^^^^^^^^^^ sequential layer 3 expects 127 inputs but layer 1 outputs 128
}
// M4.6 element types never mix: ops, out arguments, a float32 network's inputs and targets
{
  const f32 = mlp([784, 128, 10], { dtype: "float32" });
  void matmul(zeros(3, 4), zeros(4, 5, "float32"));
  //                       ^^^^^^^^^^^^^^^^^^^^^^ matmul expects float64 like the first operand (convert with toDType), got float32
  void add(zeros(3, 4, "float32"), zeros(3, 4));
  //                               ^^^^^^^^^^^ add expects float32 like the first operand (convert with toDType), got float64
  void matmul(zeros(3, 4), zeros(4, 5), zeros(3, 5, "float32"));
  //                                    ^^^^^^^^^^^^^^^^^^^^^^ matmul expects float64 like the first operand (convert with toDType), got float32
  void predict(f32, zeros(784, 32));
  //                ^^^^^^^^^^^^^^ predict expects float32 like the first operand (convert with toDType), got float64
  void lossAndGradients(f32, zeros(784, 32, "float32"), zeros(10, 32));
  //                                                    ^^^^^^^^^^^^^ lossAndGradients expects float32 like the first operand (convert with toDType), got float64
  void lossAndGradients(f32, toDType(zeros(784, 32), "float32"), toDType(zeros(10, 32), "float32"));
  void adam;
}
// M4.7 fit with data of another size (the message of fit's signature, in src/train/, is TypeScript's)
{
  const data = dataset([[1, 2, 3]], [0], { features: 3, classes: 3 });
  void fit(mlp([4, 8, 3]), data, { epochs: 1, optimizer: adam() });
  //                       ^^^^ ~ 'Dataset<3, 3, number, "float64">' is not assignable to parameter of type 'Dataset<4, 3, number, "float64">'.
}
