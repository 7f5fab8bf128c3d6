// Audit: correct programs an over-eager checker might refuse; each compiles with the stated type.
import {
  adam, argmax, assertShape, backward, conv2d, createWorkspace, dataset, dense, evaluate, fit, fitAsync, flatten, forward, hcat, identity,
  initialize, input, lossAndGradients, matmul, matmulTransA, mlp, modelFromJSON, modelToJSON, momentum, oneHot, predict, relu, reshape,
  sequential, sequentialWith, sgd, softmax, split, summary, tanh, toDType, transpose, vcat, zeros,
  type Dyn, type Evaluation, type History, type LayerArg, type Matrix, type Mlp, type Layer, type Workspace,
} from "../../../../src/index.js";
import { is } from "../expect.js";

declare const flag: boolean;

// K01 predict into an out buffer, twice with the same buffer
{
  const net = mlp([4, 8, 3]);
  const out = zeros(3, 16);
  is<Matrix<3, 16>>()(predict(net, zeros(4, 16), out));
  is<Matrix<3, 16>>()(predict(net, zeros(4, 16), out));
}
// K02 a layer by hand, generic over the batch
{
  function layer<B extends number>(w: Matrix<8, 4>, x: Matrix<4, B>) {
    return relu(matmul(w, x));
  }
  is<Matrix<8, 10>>()(layer(zeros(8, 4), zeros(4, 10)));
}
// K03 dataset, split, fit, evaluate
{
  const data = dataset([[1, 2, 3, 4], [4, 3, 2, 1]], [0, 2], { features: 4, classes: 3 });
  const { train, test } = split(data, { testFraction: 0.5, seed: 1 });
  const net = mlp([4, 8, 3]);
  is<History>()(fit(net, train, { epochs: 1, optimizer: adam(), validation: test }));
  is<Evaluation>()(evaluate(net, test));
}
// K04 a model file round trip, typed by the sizes asked for
{
  const net = mlp([4, 8, 3]);
  is<Mlp<[4, 8, 3]>>()(modelFromJSON(modelToJSON(net), [4, 8, 3]));
}
// K05 a float32 network from sequentialWith, fed float32 matrices
{
  const net = sequentialWith({ dtype: "float32" }, [dense(4, 8), tanh(), dense(8, 2), identity()]);
  is<Matrix<2, 5, "float32">>()(predict(net, zeros(4, 5, "float32")));
}
// K06 one-hot targets of a literal batch
{
  const net = mlp([4, 8, 3]);
  is<number>()(lossAndGradients(net, zeros(4, 2), oneHot([2, 0], 3)).loss);
}
// K07 a batch known at run time, narrowed by assertShape
{
  const labels: number[] = [0, 1, 2, 1];
  const t = assertShape(oneHot(labels, 3), 3, 4);
  is<number>()(lossAndGradients(mlp([4, 8, 3]), zeros(4, 4), t).loss);
}
// K08 a workspace for a batch known only at run time, with inputs of that batch
{
  const b: number = 8;
  const net = mlp([4, 8, 3]);
  const ws = createWorkspace(net, b);
  is<Workspace<Mlp<[4, 8, 3]>, Dyn>>()(ws);
  is<number>()(lossAndGradients(net, zeros(4, b), zeros(3, b), ws).loss);
}
// K09 the summary of a deep network
{
  is<1100>()(summary(mlp([10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10])).params);
//<<< cannot place (column 3) ~ Expected 2 arguments, but got 1.
}
// K10 flatten an image matrix and reshape it back
{
  is<Matrix<28, 28>>()(reshape(reshape(zeros(28, 28), 784, 1), 28, 28));
}
// K11 concatenate rows and columns
{
  is<Matrix<5, 9>>()(hcat(vcat(zeros(3, 4), zeros(2, 4)), zeros(5, 5)));
}
// K12 a regression network: tanh hidden, identity output, mean squared error
{
  const net = mlp([3, 16, 1], { hidden: "tanh", output: "identity", loss: "meanSquaredError" });
  is<Matrix<1, 7>>()(predict(net, zeros(3, 7)));
}
// K13 float64 data converted for a float32 network
{
  const net = mlp([4, 8, 3], { dtype: "float32" });
  is<Matrix<3, 2, "float32">>()(predict(net, toDType(zeros(4, 2), "float32")));
}
// K14 forward and backward inside code generic over the batch
{
  function step<B extends number>(net: Mlp<[4, 8, 3]>, x: Matrix<4, B>, t: Matrix<3, B>) {
    return backward(net, forward(net, x), t);
  }
  is<Matrix<3, 8>>()(step(mlp([4, 8, 3]), zeros(4, 2), zeros(3, 2)).weights[1]);
}
// K15 fitAsync with validation data
{
  const data = dataset([[1, 2, 3, 4]], [1], { features: 4, classes: 3 });
  is<Promise<History>>()(fitAsync(mlp([4, 8, 3]), data, { epochs: 1, optimizer: sgd({ learningRate: 0.1 }), validation: data }));
}
// K16 a readonly sizes list kept in a variable
{
  const SIZES = [784, 32, 10] as const;
  const net = mlp(SIZES);
  is<readonly [784, 32, 10]>()(net.sizes);
  is<25450>()(summary(net).params);
}
// K17 a convolution with stride 2 and no pooling
{
  const net = sequential(input(1, 28, 28), conv2d(4, 3, { stride: 2 }), relu(), flatten(), dense(10), softmax());
  is<Layer<"conv2d", [1, 28, 28], [4, 13, 13], [4, 9]>>()(net.layers[0]);
  is<Matrix<10, 3>>()(predict(net, zeros(784, 3)));
}
// K18 predict on a union of networks that agree
{
  const net = flag ? mlp([4, 8, 3]) : mlp([4, 5, 5, 3]);
  is<Matrix<3, 1>>()(predict(net, zeros(4, 1)));
}
// K19 argmax into an Int32Array
{
  is<Int32Array<ArrayBuffer>>()(argmax(zeros(10, 4), new Int32Array(4)));
}
// K20 transpose twice
{
  is<Matrix<3, 4>>()(transpose(transpose(zeros(3, 4))));
}
// K21 W^T delta with a network's own weights
{
  const net = mlp([784, 128, 10]);
  is<Matrix<128, 32>>()(matmulTransA(net.weights[1], zeros(10, 32)));
}
// K22 the same step with each optimizer
{
  const net = mlp([4, 8, 3]);
  const g = lossAndGradients(net, zeros(4, 2), zeros(3, 2)).gradients;
  for (const opt of [sgd({ learningRate: 0.1 }), momentum({ learningRate: 0.1, beta: 0.9 }), adam()]) opt.step(net, g);
}
// K23 initialize returns the network, typed as it was
{
  is<Mlp<[4, 8, 3]>>()(initialize(mlp([4, 8, 3]), { seed: 3, init: "glorot" }));
}
// K24 one workspace reused for every batch of a loop
{
  const net = mlp([4, 8, 3]);
  const ws = createWorkspace(net, 16);
  const batches: { x: Matrix<4, 16>; t: Matrix<3, 16> }[] = [];
  for (const { x, t } of batches) adam().step(net, lossAndGradients(net, x, t, ws).gradients);
}
// K25 a network built from a list made at run time, used with matrices of run-time shape
{
  const list: [LayerArg, ...LayerArg[]] = [dense(4, 8), relu(), dense(8, 3)];
  const net = sequential(...list);
  is<Matrix<Dyn, 2>>()(predict(net, zeros(4 as number, 2)));
}
// K26 the summary of a union of two networks: the union of their counts, never a mix of the two
{
  is<67 | 139>()(summary(flag ? mlp([4, 8, 3]) : mlp([4, 8, 8, 3])).params);
}
