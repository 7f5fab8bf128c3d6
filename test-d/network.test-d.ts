/** Networks: mlp, sequential, forward, predict, backward, lossAndGradients, workspaces, read-only parameters. */
import { expectAssignable, expectError, expectNotAssignable, expectType } from "tsd";
import {
  backward, createWorkspace, dense, dispose, flatten, forgetSizes, forward, identity, initialize, input, lossAndGradients, mlp, oneHot, predict, relu,
  sequential, sequentialWith, sigmoid, softmax, tanh, widen, zeros,
  type ActivationLayer, type ActivationsOf, type AnyMlp, type AnyNetwork, type BiasesOf, type Built, type CheckAt, type CheckLayers, type Dense,
  type DenseLayers, type Dyn, type ForgetSizes, type ForwardPass, type Gradients, type InputSize, type InputSizeOf, type InputsArg, type Layer,
  type LayerArg, type LayerOutputs, type LossAndGradients, type Matrix, type Mlp, type Network, type NetworkFrom, type OutputSize,
  type OutputSizeOf, type Params, type ParamsOf, type ShapeError, type Sizes, type SizesArg, type SizesOf, type TargetsArg, type WeightedSumsOf,
  type WeightsOf, type Workspace, type WorkspaceArg, type AnyLayer, type LossArg, type PassArg,
} from "../src/index.js";
import { deep, LAST_IN, LAST_OUT } from "./deep-200-layers.js";

declare const flag: boolean;

// mlp: literal sizes without `as const`; weights and biases typed per layer, in read-only tuples.
const net = mlp([784, 128, 64, 10], { seed: 1 });
expectType<Mlp<[784, 128, 64, 10]>>(net);
expectType<readonly [Matrix<128, 784>, Matrix<64, 128>, Matrix<10, 64>]>(net.weights);
expectType<readonly [Matrix<128, 1>, Matrix<64, 1>, Matrix<10, 1>]>(net.biases);
expectType<readonly [784, 128, 64, 10]>(net.sizes);
expectType<Layer<"dense", [784], [128], [128, 784]>>(net.layers[0]);
expectType<Mlp<[784, 128, 10]>>(mlp([784, 128, 10] as const));
const SIZES = [784, 128, 10] as const;
expectType<Mlp<[784, 128, 10]>>(mlp(SIZES));
expectError(mlp([784, 0, 10]));
expectError(mlp([784, 12.5, 10]));
expectError(mlp([784, -1, 10]));
expectError(mlp([784, flag ? -1 : 10])); // a union with a bad size: refused, not checked as `boolean`
expectError(mlp([784, flag ? 128 : 256, 10]));
expectError(mlp([784]));
expectError(mlp([]));
expectError(mlp([784, 128], { hidden: "gelu" }));
expectError(mlp([784, 128], { hidden: "softmax" }));
expectError(mlp([784, 128], { seed: "1" }));
expectError(mlp([784, 128], { dtype: "float16" }));
// The loss must fit the output (cross-entropy needs softmax, mean squared error anything else).
expectType<Mlp<[4, 3]>>(mlp([4, 3], { output: "identity", loss: "meanSquaredError" }));
expectType<Mlp<[4, 3]>>(mlp([4, 3], { loss: "crossEntropy" }));
expectType<Mlp<[4, 3]>>(mlp([4, 3], { output: "sigmoid" }));
expectError(mlp([4, 3], { output: "relu", loss: "crossEntropy" }));
expectError(mlp([4, 3], { loss: "meanSquaredError" }));
expectError(mlp([4, 3], { output: flag ? "relu" : "softmax", loss: "meanSquaredError" }));
expectError(mlp([4, 3], { loss: flag ? "crossEntropy" : "meanSquaredError" }));
expectType<"meanSquaredError">({} as LossArg<"identity", "meanSquaredError">);
expectType<ShapeError<"mlp expects a softmax output for crossEntropy, got relu">>({} as LossArg<"relu", "crossEntropy">);
expectType<Mlp<[4, 3]>>(initialize(mlp([4, 3]), { seed: 2 }));
expectError(initialize(mlp([4, 3]), { init: "xavier" }));
expectType<readonly [784] & ShapeError<"mlp expects at least two sizes (inputs and outputs), got 1">>({} as SizesArg<readonly [784], "mlp">);

// Read-only tuples: the parameters cannot be reordered or replaced (the optimizers change numbers in place).
expectError(net.weights.reverse());
expectError(net.weights.fill(net.weights[0]));
expectError(net.biases.sort());
expectError(net.sizes.reverse());
expectError(net.layers.reverse());
expectError((net.weights[0] = net.weights[0]));
expectError((net.sizes[0] = 784));
expectError(lossAndGradients(net, zeros(784, 2), zeros(10, 2)).gradients.weights.reverse());
expectError(createWorkspace(net, 2).a.reverse());
expectNotAssignable<Matrix<Dyn, Dyn>[]>(net.weights);
expectNotAssignable<number[]>(net.sizes);

// The type-level layout helpers.
expectType<[128, 10]>({} as LayerOutputs<[784, 128, 10]>);
expectType<784>({} as InputSize<[784, 128, 10]>);
expectType<10>({} as OutputSize<[784, 128, 10]>);
expectType<readonly [Matrix<128, 784>, Matrix<10, 128>]>({} as WeightsOf<[784, 128, 10]>);
expectType<readonly [Matrix<128, 1, "float32">, Matrix<10, 1, "float32">]>({} as BiasesOf<[784, 128, 10], "float32">);
expectType<readonly [Matrix<784, 64>, Matrix<128, 64>, Matrix<10, 64>]>({} as ActivationsOf<[784, 128, 10], 64>);
expectType<readonly [null, Matrix<128, 64>, Matrix<10, 64>]>({} as WeightedSumsOf<[784, 128, 10], 64>);
expectType<readonly [Layer<"dense", [784], [128], [128, 784]>, Layer<"dense", [128], [10], [10, 128]>]>({} as DenseLayers<[784, 128, 10]>);
expectType<784>({} as InputSizeOf<typeof net>);
expectType<10>({} as OutputSizeOf<typeof net>);
expectAssignable<Sizes>([1, 2] as const);

// Sizes known at run time in the middle (a command line's --hidden) keep literal ends.
declare const hidden: number[];
const cli = mlp([784, ...hidden, 10]);
expectType<Mlp<[784, ...number[], 10]>>(cli);
expectType<784>({} as InputSize<[784, ...number[], 10]>);
expectType<10>({} as OutputSize<[784, ...number[], 10]>);
expectType<Matrix<10, 32>>(predict(cli, zeros(784, 32)));
expectError(predict(cli, zeros(783, 32)));
// All sizes at run time: Mlp<number[]>, every shape Dyn.
declare const sizes: number[];
const any = mlp(sizes);
expectType<Mlp<number[]>>(any);
expectType<AnyMlp>(any);
expectType<Matrix<Dyn, 32>>(predict(any, widen(zeros(784, 32)) as Matrix<Dyn, 32>));
expectError(predict(any, zeros(784, 32))); // a literal 784 is not known to be the network's input size

// A 200-layer definition is fully typed (no TS2589, no widening to number).
expectType<Matrix<typeof LAST_OUT, typeof LAST_IN>>(deep.weights[199]);
expectError<Matrix<1, 1>>(deep.weights[199]);

// sequential: composed layers, checked argument by argument; dense-only gives exactly the Mlp type.
const seq = sequential(dense(784, 128), relu(), dense(128, 10), softmax());
expectType<Mlp<[784, 128, 10]>>(seq);
expectType<Mlp<[2, 3, 3, 1]>>(sequential(dense(2, 3), dense(3, 3), tanh(), dense(3, 1)));
expectType<Mlp<[4, 8, 3]>>(sequential(input(4), dense(8), relu(), dense(3)));
expectType<Mlp<[4, 8, 3]>>(sequentialWith({ seed: 1 }, [dense(4, 8), relu(), dense(8, 3), softmax()]));
expectType<Mlp<[4, 8, 3], "float32">>(sequentialWith({ dtype: "float32" }, [dense(4, 8), sigmoid(), dense(8, 3), identity()]));
expectError(sequential(dense(784, 128), relu(), dense(127, 10), softmax()));
expectError(sequential(dense(784, 128), dense(128, 64), relu(), dense(65, 10)));
expectError(sequentialWith({ seed: 1 }, [dense(4, 8), relu(), dense(7, 3)]));
expectError(sequentialWith({ seed: "1" }, [dense(4, 8), relu(), dense(8, 3)]));
expectError(sequential());
// Structure: softmax only last, an activation only after a layer with weights, input only first, some weights.
expectError(sequential(dense(4, 8), softmax(), dense(8, 3)));
expectError(sequential(dense(4, 8), relu(), relu(), dense(8, 3)));
expectError(sequential(relu(), dense(2, 2)));
expectError(sequential(input(4)));
expectError(sequential(dense(4, 8), input(8), dense(8, 3)));
expectError(sequential(dense(10)));
// A union of layers is refused: every check is non-distributive.
expectError(sequential(flag ? dense(4, 8) : dense(4, 9), dense(8, 3)));
expectError(sequential(dense(4, 8), flag ? dense(8, 99) : relu(), dense(8, 3)));
expectError(sequential(dense(4, 8), relu(), flag ? dense(8, 3) : dense(8, 3, ), flag ? softmax() : relu()));
// Spreads: a const tuple is checked like written arguments; a list of unknown length at run time.
const layers = [dense(4, 8), relu(), dense(9, 3)] as const;
expectError(sequential(...layers));
const good = [dense(4, 8), relu(), dense(8, 3)] as const;
expectType<Mlp<[4, 8, 3]>>(sequential(...good));
declare const list: [LayerArg, ...LayerArg[]];
expectType<Network<readonly AnyLayer[]>>(sequential(...list));
expectError(predict(sequential(...list), zeros(4, 2))); // its input size is Dyn: known at run time
expectType<[784, 128, 10]>({} as SizesOf<[Dense<784, 128>, ActivationLayer<"relu">, Dense<128, 10>]>);
expectType<Mlp<[784, 128, 10]>>({} as NetworkFrom<[Dense<784, 128>, ActivationLayer<"relu">, Dense<128, 10>]>);
expectType<readonly [Dense<4, 8>, ActivationLayer<"relu">, Dense<8, 3>]>({} as CheckLayers<readonly [Dense<4, 8>, ActivationLayer<"relu">, Dense<8, 3>]>);
expectType<ShapeError<"sequential layer 3 expects 7 inputs but layer 1 outputs 8">>({} as CheckLayers<[Dense<4, 8>, ActivationLayer<"relu">, Dense<7, 3>]>[2]);
expectType<true>({} as CheckAt<[Dense<4, 8>, Dense<8, 3>], "1">);
expectType<ShapeError<"sequential layer 2 expects 7 inputs but layer 1 outputs 8">>({} as CheckAt<[Dense<4, 8>, Dense<7, 3>], "1">);
expectType<[Layer<"dense", [4], [8], [8, 4]>, Layer<"dense", [8], [3], [3, 8]>]>({} as Built<[Dense<4, 8>, ActivationLayer<"relu">, Dense<8, 3>]>);

// forward / predict: x is In x B; z^l and a^l typed per layer.
const x = zeros(784, 32);
const pass = forward(net, x);
expectType<ForwardPass<Mlp<[784, 128, 64, 10]>, 32>>(pass);
expectType<Matrix<128, 32>>(pass.z[1]);
expectType<null>(pass.z[0]);
expectType<Matrix<784, 32>>(pass.a[0]);
expectType<Matrix<10, 32>>(pass.a[3]);
expectType<Matrix<10, 32>>(predict(net, x));
expectType<Matrix<10, 32>>(predict(net, x, zeros(10, 32)));
expectError(predict(net, x, zeros(10, 31)));
expectError(forward(net, zeros(783, 32)));
expectError(predict(net, zeros(32, 784)));
expectError(predict(net, zeros(784, 32, "float32")));
expectError(predict({ sizes: [784, 10] }, x));
expectType<Matrix<784, 32>>({} as InputsArg<typeof net, "predict", 784, 32, "float64">);
expectType<ShapeError<"predict expects x with 784 rows (one column per example), got 783x32">>({} as InputsArg<typeof net, "predict", 783, 32, "float64">);

// backward / lossAndGradients: targets are Out x B, gradients typed like the parameters.
const t32 = zeros(10, 32);
expectType<ParamsOf<Mlp<[784, 128, 64, 10]>>>(backward(net, pass, t32));
expectType<readonly [Matrix<128, 784>, Matrix<64, 128>, Matrix<10, 64>]>(backward(net, pass, t32).weights);
expectError(backward(net, pass, zeros(9, 32)));
expectError(backward(net, pass, zeros(10, 31)));
expectError(backward(mlp([784, 10]), pass, t32));
expectError(backward(flag ? net : mlp([784, 10]), pass, t32));
expectType<ForwardPass<typeof net, 32>>({} as PassArg<typeof net, typeof net, 32>);
expectType<ShapeError<"backward expects the forward pass of this network, got the pass of another network">>({} as PassArg<typeof net, Mlp<[784, 10]>, 32>);
const lg = lossAndGradients(net, x, t32);
expectType<LossAndGradients<Mlp<[784, 128, 64, 10]>>>(lg);
expectType<number>(lg.loss);
expectType<Gradients<[784, 128, 64, 10]>>(lg.gradients);
expectType<Params<[784, 128, 64, 10]>>(lg.gradients);
expectError(lossAndGradients(net, zeros(783, 32), t32)); // wrong feature count
expectError(lossAndGradients(net, x, zeros(9, 32))); // wrong class count
expectError(lossAndGradients(net, x, zeros(10, 16))); // different batch sizes
expectError(lossAndGradients(net, x, oneHot([0, 1] as number[], 10))); // a Dyn batch is not 32 until assertShape says so
expectType<Matrix<10, 32>>({} as TargetsArg<typeof net, "fit", 32, 10, 32, "float64">);
expectType<ShapeError<"fit expects targets of shape 10x32 (outputs x examples), got 9x32">>({} as TargetsArg<typeof net, "fit", 32, 9, 32, "float64">);

// Workspaces belong to one network and one batch size.
const ws = createWorkspace(net, 32);
expectType<Workspace<Mlp<[784, 128, 64, 10]>, 32>>(ws);
expectType<Matrix<64, 32>>(ws.delta[2]);
expectType<Gradients<[784, 128, 64, 10]>>(lossAndGradients(net, x, t32, ws).gradients);
expectError(lossAndGradients(net, x, t32, createWorkspace(net, 16)));
expectError(lossAndGradients(net, x, t32, createWorkspace(mlp([784, 10]), 32)));
expectError(createWorkspace(net, 0));
expectError(createWorkspace(net, flag ? 32 : 64));
expectError(createWorkspace(zeros(2, 2), 32));
expectType<Workspace<Mlp<[784, 128, 64, 10]>, Dyn>>(createWorkspace(net, 32 as number));
expectType<Workspace<typeof net, 32>>({} as WorkspaceArg<typeof net, 32, typeof net, 32>);
expectType<ShapeError<"lossAndGradients expects a workspace for batches of 32, got one for 16">>({} as WorkspaceArg<typeof net, 32, typeof net, 16>);

// A union of two networks: accepted where both agree, refused where either could be the wrong one.
const small = mlp([4, 8, 3]);
const either = flag ? small : mlp([4, 9, 3]);
expectType<Matrix<3, 2>>(predict(either, zeros(4, 2)));
expectError(predict(flag ? small : mlp([5, 8, 3]), zeros(4, 2)));
expectError(lossAndGradients(either, zeros(4, 2), zeros(3, 2), createWorkspace(small, 2)));

// Element types: a float32 network takes float32 inputs and targets only.
const f32 = mlp([4, 8, 3], { dtype: "float32" });
expectType<Mlp<[4, 8, 3], "float32">>(f32);
expectType<readonly [Matrix<8, 4, "float32">, Matrix<3, 8, "float32">]>(f32.weights);
expectType<Matrix<3, 2, "float32">>(predict(f32, zeros(4, 2, "float32")));
expectError(predict(f32, zeros(4, 2)));
expectError(predict(small, zeros(4, 2, "float32")));
expectError(predict(f32, zeros(4, 2, "float32"), zeros(3, 2)));
expectType<number>(lossAndGradients(f32, zeros(4, 2, "float32"), zeros(3, 2, "float32")).loss);
expectError(lossAndGradients(f32, zeros(4, 2), zeros(3, 2, "float32")));
expectError(lossAndGradients(f32, zeros(4, 2, "float32"), zeros(3, 2)));
expectError(lossAndGradients(f32, zeros(4, 2, "float32"), zeros(3, 2, "float32"), createWorkspace(small, 2)));
expectType<Matrix<8, 2, "float32">>(forward(f32, zeros(4, 2, "float32")).a[1]);
expectError(forward(f32, zeros(4, 2)));
expectError(backward(f32, forward(f32, zeros(4, 2, "float32")), zeros(3, 2)));

// forgetSizes: a network's literal sizes forgotten on purpose, as widen does for a matrix.
expectType<Mlp<number[]>>(forgetSizes(small));
expectType<AnyMlp<"float32">>(forgetSizes(f32));
const anyNets: AnyMlp[] = [forgetSizes(small), forgetSizes(net)];
expectType<Matrix<Dyn, 2>>(predict(anyNets[0]!, widen(zeros(4, 2)) as Matrix<Dyn, 2>));
expectError(predict(forgetSizes(small), zeros(4, 2))); // its sizes are Dyn now: a literal 4 must be widened too
expectNotAssignable<AnyMlp>(small); // without forgetSizes a literal network is not an Mlp<number[]>
expectType<Network<readonly AnyLayer[]>>(forgetSizes(sequential(input(1, 4, 4), flatten(), dense(3))));
expectType<AnyMlp>({} as ForgetSizes<typeof small>);
expectError(forgetSizes(zeros(2, 2)));
expectAssignable<AnyNetwork>(small);
expectAssignable<AnyNetwork>(forgetSizes(small));

// ---- dispose: a network's long-lived memory back to the kernel heap ----
expectType<void>(dispose(mlp([4, 8, 3])));
expectType<void>(dispose(sequential(input(1, 4, 4), flatten(), dense(3))));
expectError(dispose(zeros(4, 8))); // a matrix is not a network
expectError(dispose());
