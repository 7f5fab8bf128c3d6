// Audit: networks given to the wrong optimizer step, workspace, forward pass, dataset or state.
import {
  adam, backward, createWorkspace, dataset, evaluate, fit, forgetSizes, forward, lossAndGradients, mlp, predict, sgd, split, widen, zeros,
  type Matrix, type Mlp, type Workspace,
} from "../../../../src/index.js";
import { is } from "../expect.js";

const net = mlp([4, 8, 3]);
const wide = mlp([4, 9, 3]);
const data = dataset([[1, 2, 3, 4]], [2], { features: 4, classes: 3 });

// W01 a step with another network's gradients
{
  adam().step(net, lossAndGradients(wide, zeros(4, 2), zeros(3, 2)).gradients);
  //               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ step expects gradients shaped like this network's parameters (from lossAndGradients on it), got those of another network
}
// W02 a step with its own gradients
{
  adam().step(net, lossAndGradients(net, zeros(4, 2), zeros(3, 2)).gradients);
}
// W03 a workspace for another batch size
{
  void lossAndGradients(net, zeros(4, 8), zeros(3, 8), createWorkspace(net, 16));
  //                                                   ^^^^^^^^^^^^^^^^^^^^^^^^ lossAndGradients expects a workspace for batches of 8, got one for 16
}
// W04 a workspace of another network of other sizes
{
  void lossAndGradients(net, zeros(4, 8), zeros(3, 8), createWorkspace(wide, 8));
  //                                                   ^^^^^^^^^^^^^^^^^^^^^^^^ lossAndGradients expects a workspace created for this network, got one of another network
}
// W05 a workspace of this network and batch size
{
  const ws = createWorkspace(net, 8);
  is<Workspace<Mlp<[4, 8, 3]>, 8>>()(ws);
  is<number>()(lossAndGradients(net, zeros(4, 8), zeros(3, 8), ws).loss);
}
// W06 a workspace of another network object of the same sizes: the types cannot tell them apart
{
  void lossAndGradients(net, zeros(4, 8), zeros(3, 8), createWorkspace(mlp([4, 8, 3]), 8)); // HOLE: same sizes, same type; checkWorkspace throws "a workspace created for this network"
}
// W07 fit with a dataset of another feature count
{
  const other = dataset([[1, 2, 3]], [0], { features: 3, classes: 3 });
  void fit(net, other, { epochs: 1, optimizer: adam() });
  //            ^^^^^ ~ 'Dataset<3, 3, number, "float64">' is not assignable to parameter of type 'Dataset<4, 3, number, "float64">'
}
// W08 fit with a dataset of another class count
{
  const other = dataset([[1, 2, 3, 4]], [0], { features: 4, classes: 2 });
  void fit(net, other, { epochs: 1, optimizer: adam() });
  //            ^^^^^ ~ 'Dataset<4, 2, number, "float64">' is not assignable to parameter of type 'Dataset<4, 3, number, "float64">'
}
// W09 validation data of another size
{
  const other = dataset([[1, 2, 3]], [0], { features: 3, classes: 3 });
  void fit(net, data, { epochs: 1, optimizer: adam(), validation: other });
  //                                                  ^^^^^^^^^^ ~ 'Dataset<3, 3, number, "float64">' is not assignable to type 'Dataset<4, 3, number, "float64">'
}
// W10 fit, split and evaluate on matching data
{
  const { train, test } = split(data, { testFraction: 0.5, seed: 1 });
  fit(net, train, { epochs: 1, optimizer: sgd({ learningRate: 0.1 }), validation: test });
  is<number>()(evaluate(net, test).accuracy);
}
// W11 evaluate on data of another size
{
  void evaluate(wide, dataset([[1, 2]], [0], { features: 2, classes: 3 }));
  //                  ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ ~ 'Dataset<2, 3, number, "float64">' is not assignable to parameter of type 'Dataset<4, 3, number, "float64">'
}
// W12 an optimizer's state for another network
{
  const opt = adam();
  opt.setState(net, opt.getState(wide));
  //                ^^^^^^^^^^^^^^^^^^ ~ 'OptimizerState<Mlp<[4, 9, 3], "float64">>' is not assignable to parameter of type 'OptimizerState<NoInfer<Mlp<[4, 8, 3], "float64">>>'
}
// W13 backward with another network's forward pass
{
  void backward(wide, forward(net, zeros(4, 2)), zeros(3, 2));
  //                  ^^^^^^^^^^^^^^^^^^^^^^^^^ backward expects the forward pass of this network, got the pass of another network
}
// W14 backward with targets of another batch size than the pass
{
  void backward(net, forward(net, zeros(4, 2)), zeros(3, 5));
  //                                            ^^^^^^^^^^^ backward expects targets of shape 3x2 (outputs x examples), got 3x5
}
// W15 forward, then backward, with the same network and batch
{
  const pass = forward(net, zeros(4, 2));
  is<Matrix<8, 4>>()(backward(net, pass, zeros(3, 2)).weights[0]);
}
// W16 a float32 network given a float64 workspace's network
{
  const f32 = mlp([4, 8, 3], { dtype: "float32" });
  void lossAndGradients(f32, zeros(4, 2, "float32"), zeros(3, 2, "float32"), createWorkspace(net, 2));
  //                                                                         ^^^^^^^^^^^^^^^^^^^^^^^ lossAndGradients expects a workspace created for this network, got one of another network
}
// W17 a float32 network with float64 inputs
{
  void predict(mlp([4, 8, 3], { dtype: "float32" }), zeros(4, 2));
  //                                                 ^^^^^^^^^^^ predict expects float32 like the first operand (convert with toDType), got float64
}
// W18 a network with forgotten sizes and a workspace of the literal network
{
  const any = forgetSizes(net);
  void lossAndGradients(any, widen(zeros(4, 2)), widen(zeros(3, 2)), createWorkspace(net, 2));
  //                                                                 ^^^^^^^^^^^^^^^^^^^^^^^ lossAndGradients expects a workspace created for this network, got one of another network
}
// W19 a network with forgotten sizes: its own workspace and gradients
{
  const any = forgetSizes(net);
  const x = widen(zeros(4, 2)), t = widen(zeros(3, 2));
  const ws = createWorkspace(any, x.cols);
  adam().step(any, lossAndGradients(any, x, t, ws).gradients);
}
// W20 the gradients of a literal network given to its forgotten-sizes view
{
  const any = forgetSizes(net);
  adam().step(any, lossAndGradients(net, zeros(4, 2), zeros(3, 2)).gradients);
  //               ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ step expects gradients shaped like this network's parameters (from lossAndGradients on it), got those of another network
}
