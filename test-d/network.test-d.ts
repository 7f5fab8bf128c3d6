/** Networks: mlp, sequential, forward, predict, backward, lossAndGradients, workspaces. */
import { expectAssignable, expectError, expectType } from "tsd";
import {
  backward, createWorkspace, dense, forward, identity, lossAndGradients, mlp, oneHot, predict, relu, sequential, sequentialWith,
  sigmoid, softmax, tanh, zeros, initialize,
  type ActivationLayer, type Dense, type Dyn, type ForwardPass, type Gradients, type Matrix, type Mlp, type Workspace,
  type WeightsOf, type BiasesOf, type ActivationsOf, type WeightedSumsOf, type InputSize, type OutputSize, type LayerOutputs, type SizesOf,
} from "../src/index.js";
import { deep, LAST_IN, LAST_OUT } from "./deep-200-layers.js";

// mlp: literal sizes without `as const`; weights and biases typed per layer.
const net = mlp([784, 128, 64, 10], { seed: 1 });
expectType<Mlp<[784, 128, 64, 10]>>(net);
expectType<[Matrix<128, 784>, Matrix<64, 128>, Matrix<10, 64>]>(net.weights);
expectType<[Matrix<128, 1>, Matrix<64, 1>, Matrix<10, 1>]>(net.biases);
expectError(mlp([784, 0, 10]));
expectError(mlp([784, 12.5, 10]));
expectError(mlp([784, 128], { hidden: "gelu" }));
expectError(mlp([784, 128], { seed: "1" }));
expectType<Mlp<[4, 3]>>(initialize(mlp([4, 3]), { seed: 2 }));

// The type-level layout helpers.
expectType<[128, 10]>({} as LayerOutputs<[784, 128, 10]>);
expectType<784>({} as InputSize<[784, 128, 10]>);
expectType<10>({} as OutputSize<[784, 128, 10]>);
expectType<[Matrix<128, 784>, Matrix<10, 128>]>({} as WeightsOf<[784, 128, 10]>);
expectType<[Matrix<128, 1>, Matrix<10, 1>]>({} as BiasesOf<[784, 128, 10]>);
expectType<[Matrix<784, 64>, Matrix<128, 64>, Matrix<10, 64>]>({} as ActivationsOf<[784, 128, 10], 64>);
expectType<[null, Matrix<128, 64>, Matrix<10, 64>]>({} as WeightedSumsOf<[784, 128, 10], 64>);

// Sizes known at run time in the middle (a command line's --hidden) keep literal ends.
declare const hidden: number[];
const cli = mlp([784, ...hidden, 10]);
expectType<Mlp<[784, ...number[], 10]>>(cli);
expectType<784>({} as InputSize<[784, ...number[], 10]>);
expectType<10>({} as OutputSize<[784, ...number[], 10]>);
expectType<Matrix<10, 32>>(predict(cli, zeros(784, 32)));
expectError(predict(cli, zeros(783, 32)));

// A 200-layer definition is fully typed (no TS2589, no widening to number).
expectType<Matrix<typeof LAST_OUT, typeof LAST_IN>>(deep.weights[199]);
expectError<Matrix<1, 1>>(deep.weights[199]);

// sequential: composed layers, checked pairwise; the same Mlp type.
const seq = sequential(dense(784, 128), relu(), dense(128, 10), softmax());
expectType<Mlp<[784, 128, 10]>>(seq);
expectType<Dense<784, 128>>(dense(784, 128));
expectType<ActivationLayer<"relu">>(relu());
expectType<ActivationLayer<"sigmoid">>(sigmoid());
expectType<ActivationLayer<"tanh">>(tanh());
expectType<ActivationLayer<"identity">>(identity());
expectType<ActivationLayer<"softmax">>(softmax());
expectError(sequential(dense(784, 128), relu(), dense(127, 10), softmax()));
expectError(sequential(dense(784, 128), dense(128, 64), relu(), dense(65, 10)));
expectError(sequential(relu(), dense(2, 2)));
expectError(sequential());
expectError(dense(0, 3));
expectType<Mlp<[2, 3, 3, 1]>>(sequential(dense(2, 3), dense(3, 3), tanh(), dense(3, 1)));
expectType<Mlp<[4, 8, 3]>>(sequentialWith({ seed: 1 }, [dense(4, 8), relu(), dense(8, 3), softmax()]));
expectError(sequentialWith({ seed: 1 }, [dense(4, 8), relu(), dense(7, 3)]));
expectType<[784, 128, 10]>({} as SizesOf<[Dense<784, 128>, ActivationLayer<"relu">, Dense<128, 10>]>);

// forward / predict: x is In x B; z^l and a^l typed per layer.
const x = zeros(784, 32);
const pass = forward(net, x);
expectType<ForwardPass<[784, 128, 64, 10], 32>>(pass);
expectType<Matrix<128, 32>>(pass.z[1]);
expectType<null>(pass.z[0]);
expectType<Matrix<784, 32>>(pass.a[0]);
expectType<Matrix<10, 32>>(pass.a[3]);
expectType<Matrix<10, 32>>(predict(net, x));
expectError(forward(net, zeros(783, 32)));
expectError(predict(net, zeros(32, 784)));

// backward / lossAndGradients: targets are Out x B, gradients typed like the parameters.
const t = oneHot(Array.from({ length: 32 }, () => 0) as number[], 10);
const t32 = zeros(10, 32);
expectType<Gradients<[784, 128, 64, 10]>>(backward(net, pass, t32));
expectType<[Matrix<128, 784>, Matrix<64, 128>, Matrix<10, 64>]>(backward(net, pass, t32).weights);
expectError(backward(net, pass, zeros(9, 32)));
expectError(backward(net, pass, zeros(10, 31)));
expectError(backward(mlp([784, 10]), pass, t32));
const lg = lossAndGradients(net, x, t32);
expectType<number>(lg.loss);
expectType<Gradients<[784, 128, 64, 10]>>(lg.gradients);
expectError(lossAndGradients(net, zeros(783, 32), t32)); // wrong feature count
expectError(lossAndGradients(net, x, zeros(9, 32))); // wrong class count
expectError(lossAndGradients(net, x, zeros(10, 16))); // different batch sizes
expectError(lossAndGradients(net, x, t)); // a Dyn batch is not 32 until assertShape says so

// Workspaces belong to one network and one batch size.
const ws = createWorkspace(net, 32);
expectType<Workspace<[784, 128, 64, 10], 32>>(ws);
expectType<Gradients<[784, 128, 64, 10]>>(lossAndGradients(net, x, t32, ws).gradients);
expectError(lossAndGradients(net, x, t32, createWorkspace(net, 16)));
expectError(lossAndGradients(net, x, t32, createWorkspace(mlp([784, 10]), 32)));
expectAssignable<Workspace<[784, 128, 64, 10], Dyn>>(createWorkspace(net, 32 as number));
