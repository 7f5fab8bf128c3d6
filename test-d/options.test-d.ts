/** Option and result types of the public API, and the rejected cases of the remaining functions. */
import { expectAssignable, expectError, expectNotAssignable, expectType } from "tsd";
import {
  adam, dataset, dense, fit, initialize, labelsOf, lossAndGradients, logSoftmax, mlp, modelFromJSON, momentum, randomUniform, reluDerivative, relu,
  rng, sgd, shuffled, sigmoid, size, split, subset, summary, tanh, vector, widen, zeros,
  type ActivationName, type AdamOptions, type AnyMlp, type BatchLog, type DatasetOptions, type Dense, type Mlp, type AnyLayer, type Monitor,
  type EarlyStopping, type EpochLog, type FitOptions, type InitName, type InputsArg, type Layer, type LayerActivation, type LayerParams,
  type LossAndGradients, type LossName, type Matrix, type MlpOptions, type ModelSummary, type MomentumOptions, type Params, type RandomOptions,
  type SgdOptions, type ShapeError, type SplitOptions, type TargetsArg, type ActivationLayer, type Dyn, type RandomSource,
} from "../src/index.js";

// Options
expectAssignable<MlpOptions>({ seed: 1, hidden: "tanh", output: "softmax", loss: "crossEntropy", init: "glorot" });
expectNotAssignable<MlpOptions>({ hidden: "softmax" });
expectAssignable<InitName>("he");
expectNotAssignable<InitName>("xavier");
expectAssignable<LossName>("meanSquaredError");
expectNotAssignable<LossName>("hinge");
expectAssignable<ActivationName>("sigmoid");
expectNotAssignable<ActivationName>("softmax");
expectAssignable<LayerActivation>("softmax");
expectAssignable<RandomOptions>({ rng: rng(1) });
expectAssignable<RandomSource<{ mean?: number }>>(7);
expectAssignable<RandomSource<{ mean?: number }>>({ rng: rng(1), mean: 2 });
expectNotAssignable<RandomSource<{ mean?: number }>>({ mean: 2 });
expectNotAssignable<RandomOptions>({});
expectAssignable<SgdOptions>({ learningRate: 0.1 });
expectNotAssignable<SgdOptions>({});
expectAssignable<MomentumOptions>({ learningRate: 0.1, beta: 0.9 });
expectAssignable<AdamOptions>({ beta1: 0.9, beta2: 0.999, epsilon: 1e-7 });
expectNotAssignable<AdamOptions>({ learningRate: "0.1" });
expectAssignable<SplitOptions>({ testFraction: 0.2, seed: 1, stratify: false });
expectNotAssignable<SplitOptions>({ seed: 1 });
expectAssignable<EarlyStopping>({ patience: 3, monitor: "validationLoss", minDelta: 1e-3, restoreBest: true });
expectAssignable<EarlyStopping>({ monitor: "accuracy", patience: 1 });
expectNotAssignable<EarlyStopping>({ monitor: "val_loss", patience: 1 });
expectAssignable<FitOptions<4, 3>>({ epochs: 1, optimizer: sgd({ learningRate: 0.1 }) });
expectNotAssignable<FitOptions<4, 3>>({ epochs: 1 });
expectAssignable<DatasetOptions<4, 3>>({ features: 4, classes: 3 });
expectNotAssignable<DatasetOptions<4, 3>>({ features: 4 });

// Results and logs
const net = mlp([4, 8, 3], { seed: 1 });
expectType<LossAndGradients<Mlp<[4, 8, 3]>>>(lossAndGradients(net, zeros(4, 2), zeros(3, 2)));
expectType<Params<[4, 8, 3]>>(lossAndGradients(net, zeros(4, 2), zeros(3, 2)).gradients);
expectType<ModelSummary<Mlp<[4, 8, 3]>>>(summary(net));
expectType<40>({} as LayerParams<4, 8>);
expectAssignable<AnyMlp>(mlp([4, 8, 3] as number[]));
expectNotAssignable<AnyMlp>(net);
const data = dataset([[1, 2, 3, 4]], [0], { features: 4, classes: 3 });
fit(net, data, {
  epochs: 1, optimizer: momentum({ learningRate: 0.1 }),
  onBatchEnd: (b) => expectType<BatchLog>(b),
  onEpochEnd: (e) => void expectType<EpochLog>(e),
});
expectAssignable<AnyLayer>({} as Layer<"dense", [2], [2], [2, 2]>);
expectNotAssignable<AnyLayer>({ kind: "pooling" });
expectAssignable<Monitor>("validationAccuracy");
expectNotAssignable<Monitor>("val_loss");
expectType<Dense<2, 3>>(dense(2, 3));
expectType<ActivationLayer<"tanh">>(tanh());

// Helper types of the checks
expectType<Matrix<4, 2>>({} as InputsArg<Mlp<[4, 8, 3]>, "predict", 4, 2, "float64">);
expectAssignable<ShapeError>({} as InputsArg<Mlp<[4, 8, 3]>, "predict", 5, 2, "float64">);
expectAssignable<ShapeError>({} as InputsArg<Mlp<[4, 8, 3]>, "predict", 4, 2, "float32">);
expectType<Matrix<3, 2>>({} as TargetsArg<Mlp<[4, 8, 3]>, "fit", 2, 3, 2, "float64">);
expectAssignable<ShapeError>({} as TargetsArg<Mlp<[4, 8, 3]>, "fit", 2, 3, 3, "float64">);

// Rejected cases of the remaining functions
expectType<Matrix<3, 1>>(vector([1, 2, 3]));
expectError(vector("123"));
expectType<Matrix<2, 2>>(randomUniform(2, 2, { rng: rng(1) }));
expectError(randomUniform(2, 2));
expectError(widen([1, 2]));
expectError(reluDerivative(zeros(2, 2), zeros(2, 3)));
expectError(logSoftmax(zeros(2, 2), zeros(3, 2)));
expectError(sigmoid(zeros(2, 2), zeros(1, 2)));
expectError(tanh(zeros(2, 2), zeros(2, 1)));
expectError(initialize(net, { init: "xavier" }));
expectError(subset(data, "0"));
expectError(size(zeros(2, 2)));
expectError(labelsOf([0, 1]));
expectError(shuffled(data));
expectError(modelFromJSON({}));
expectError(modelFromJSON("{}", [4, "8"]));
expectType<Dyn>(size(split(data, { testFraction: 0.5 }).train));
expectError(adam({ beta1: "0.9" }));
