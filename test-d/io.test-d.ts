/** Model files, checkpoints and resuming: what the caller expects (sizes, a layer list, "any") types what is loaded. */
import { expectAssignable, expectError, expectType } from "tsd";
import {
  adam, conv2d, dense, fit, dataset, flatten, input, maxPool2d, mlp, modelFromJSON, modelFromSafetensors, modelToJSON, modelToSafetensors, predict,
  relu, rng, rngFromState, sequential, sequentialWith, softmax, widen, zeros,
  type LayerDocument, type LayerParameters, type LoadOptions, type Matrix, type Mlp, type ModelDocument, type ModelDocumentV1, type OptimizerSettings,
  type OptimizerState, type RngState, type RuntimeNetwork, type SafetensorsOptions, type ShuffleState,
  type ExpectedArg, type ExpectedKind, type Loaded, type SafetensorsOptionsFor,
} from "../src/index.js";
import { loadCheckpoint, loadModel, saveCheckpoint, saveModel, type Checkpoint, type ModelFileFormat, type ResumeOptions } from "../src/node.js";

const net = mlp([4, 16, 3], { seed: 1 });
declare const bytes: Uint8Array;

// ---- dense networks, typed by their sizes ----
expectType<Uint8Array>(modelToSafetensors(net));
expectType<Mlp<[4, 16, 3]>>(modelFromSafetensors(modelToSafetensors(net), [4, 16, 3]));
expectType<Mlp<number[]>>(modelFromSafetensors(modelToSafetensors(net)));
const options: SafetensorsOptions = { hidden: "tanh", output: "identity", loss: "meanSquaredError" };
expectType<Mlp<[4, 16, 3]>>(modelFromSafetensors(bytes, [4, 16, 3], options));
expectType<Mlp<[4, 16, 3], "float32">>(modelFromSafetensors(bytes, [4, 16, 3], { dtype: "float32", convert: true }));
expectError(modelToSafetensors({}));
expectError(modelFromSafetensors("text"));
expectError(modelFromSafetensors(bytes, [4, "16", 3]));
expectError(modelFromSafetensors(bytes, [4, 16, 3], { hidden: "softmax" }));
expectError(modelFromSafetensors(bytes, [4, 16, 3], { dtype: "float16" }));
expectType<string>(modelToJSON(net));
expectType<Mlp<[4, 16, 3]>>(modelFromJSON("{}", [4, 16, 3]));
expectType<Mlp<[4, 16, 3], "float32">>(modelFromJSON("{}", [4, 16, 3], { dtype: "float32" }));
expectType<Mlp<number[]>>(modelFromJSON("{}"));
expectError(modelToJSON({ sizes: [4, 3] }));
expectError(modelFromJSON(42));
expectError(modelFromJSON("{}", [4, 16, 3], { convert: "yes" }));
expectAssignable<LoadOptions>({ dtype: "float64", convert: true });
expectAssignable<LoadOptions<"float32">>({ dtype: "float32" });
expectError<LoadOptions<"float32">>({ dtype: "float64" });

// ---- any network, typed by its layer list: the same Network that sequential(...) of the list is ----
const cnn = sequential(input(1, 28, 28), conv2d(8, 5), relu(), maxPool2d(2), conv2d(16, 5, { padding: "same" }), relu(), maxPool2d(2), flatten(), dense(10), softmax());
const loaded = loadModel("model.safetensors", [input(1, 28, 28), conv2d(8, 5), relu(), maxPool2d(2), conv2d(16, 5, { padding: "same" }), relu(), maxPool2d(2), flatten(), dense(10), softmax()]);
expectType<typeof cnn>(loaded);
expectType<Matrix<8, 25>>(loaded.weights[0]);
expectType<null>(loaded.weights[1]);
expectType<Matrix<10, 576>>(loaded.weights[5]);
expectType<readonly [784, 4608, 1152, 2304, 576, 576, 10]>(loaded.sizes);
expectType<Matrix<10, 2>>(predict(loaded, zeros(784, 2)));
expectError(predict(loaded, zeros(783, 2)));
expectType<typeof cnn>(modelFromJSON(modelToJSON(cnn), [input(1, 28, 28), conv2d(8, 5), relu(), maxPool2d(2), conv2d(16, 5, { padding: "same" }), relu(), maxPool2d(2), flatten(), dense(10), softmax()]));
expectType<typeof cnn>(modelFromSafetensors(modelToSafetensors(cnn), [input(1, 28, 28), conv2d(8, 5), relu(), maxPool2d(2), conv2d(16, 5, { padding: "same" }), relu(), maxPool2d(2), flatten(), dense(10), softmax()]));
// float32: the element type asked for is the one returned
const small = sequentialWith({ dtype: "float32" }, [input(2, 6, 6), conv2d(3, 3), relu(), flatten(), dense(4), softmax()]);
expectType<typeof small>(loadModel("small.json", [input(2, 6, 6), conv2d(3, 3), relu(), flatten(), dense(4), softmax()], { dtype: "float32" }));
expectType<Matrix<3, 18, "float32">>(loadModel("small.json", [input(2, 6, 6), conv2d(3, 3), relu(), flatten(), dense(4), softmax()], { dtype: "float32" }).weights[0]);
// a mis-wired list does not compile, as in sequential: dense(575, 10) after a flatten of 576, a conv after flatten, a dense before flatten
expectError(loadModel("model.json", [input(1, 28, 28), conv2d(8, 5), relu(), maxPool2d(2), conv2d(16, 5, { padding: "same" }), relu(), maxPool2d(2), flatten(), dense(575, 10), softmax()]));
expectError(modelFromJSON("{}", [input(1, 28, 28), flatten(), conv2d(8, 5), relu()]));
expectError(modelFromSafetensors(bytes, [input(1, 28, 28), conv2d(8, 5), relu(), dense(10)]));
expectError(modelFromJSON("{}", [input(1, 28, 28), conv2d(8, 5), relu()], { hidden: "tanh" }));

// ---- "any": a network of run-time shapes (every size Dyn); inputs are widened matrices ----
const any = loadModel("model.json", "any");
expectType<RuntimeNetwork<"float64">>(any);
expectType<readonly number[]>(any.sizes);
expectType<Matrix<number, number>>(predict(any, widen(zeros(784, 3))));
expectType<RuntimeNetwork<"float32">>(modelFromJSON("{}", "any", { dtype: "float32" }));
expectType<RuntimeNetwork<"float64">>(modelFromSafetensors(bytes, "any"));
expectError(loadModel("model.json", "all"));
expectError(loadModel("model.json", "any", { hidden: "relu" }));

// ---- files (shapegrad/node) ----
expectType<void>(saveModel(net, "model.safetensors"));
expectType<void>(saveModel(cnn, "cnn.json"));
expectType<Mlp<[4, 16, 3]>>(loadModel("model.safetensors", [4, 16, 3]));
expectType<Mlp<[4, 16, 3]>>(loadModel("model.safetensors", [4, 16, 3], { hidden: "sigmoid" }));
expectType<Mlp<number[]>>(loadModel("model.json"));
expectError(saveModel(net));
expectError(saveModel({ layers: [] }, "model.json"));
expectError(loadModel(42));
const format: ModelFileFormat = "safetensors";
expectError<ModelFileFormat>("onnx");
void format;

// ---- the JSON documents ----
expectAssignable<LayerDocument>({ kind: "flatten" });
expectAssignable<LayerDocument>({ kind: "maxPool2d", size: [2, 2], stride: [2, 2] });
expectAssignable<LayerDocument>({ kind: "conv2d", filters: 8, kernel: [5, 5], stride: [1, 1], padding: "same", activation: "relu", weights: [[0]], bias: [0] });
expectError<LayerDocument>({ kind: "conv2d", filters: 8, kernel: [5, 5], stride: [1, 1], padding: "same", activation: "relu" });
expectError<LayerDocument>({ kind: "avgPool2d", size: [2, 2] });
expectAssignable<LayerParameters>({ weights: [[1, 2]], bias: [0] });
expectType<2>(({} as ModelDocument).version);
expectType<1>(({} as ModelDocumentV1).version);
expectType<number[]>(({} as ModelDocument).input);

// ---- RNG state ----
const state: RngState = rng(1).state();
expectType<readonly [number, number, number, number]>(state.sfc32);
expectType<number | null>(state.spare);
expectType<number>(rngFromState(state).next());
expectError(rngFromState(42));
expectError(rngFromState({ sfc32: [1, 2, 3], spare: null }));

// ---- optimizer state: typed like the network's parameters ----
const opt = adam();
const s: OptimizerState<Mlp<[4, 16, 3]>> = opt.getState(net);
expectType<OptimizerState<Mlp<[4, 16, 3]>>>(s);
expectType<"sgd" | "momentum" | "adam">(s.name);
expectType<OptimizerSettings>(s.settings);
expectType<number>(s.steps);
expectType<void>(opt.setState(net, s));
expectError(opt.setState(mlp([4, 17, 3]), s));
expectError(opt.getState());

// ---- fit: resuming, and the shuffling state after each epoch ----
const data = dataset([[1, 2, 3, 4]], [2], { features: 4, classes: 3 });
fit(net, data, {
  epochs: 4, optimizer: opt, initialEpoch: 2,
  onEpochEnd: (log, shuffle) => {
    expectType<ShuffleState>(shuffle);
    expectType<RngState>(shuffle.rng);
    expectType<readonly number[]>(shuffle.order);
    return log.epoch < 4;
  },
});
expectError(fit(net, data, { epochs: 4, optimizer: opt, initialEpoch: "2" }));
expectError(fit(net, data, { epochs: 4, optimizer: opt, shuffleState: { order: [0] } }));

// ---- checkpoints: typed as loadModel types the network ----
expectType<void>(saveCheckpoint("out", { net, optimizer: opt, epoch: 2, fit: { epochs: 4, batchSize: 8, seed: 1 } }));
expectType<void>(saveCheckpoint("out", { net: cnn, optimizer: opt, epoch: 2, fit: { epochs: 4 } }));
const c = loadCheckpoint("out", [4, 16, 3]);
expectType<Checkpoint<Mlp<[4, 16, 3]>>>(c);
expectType<Mlp<[4, 16, 3]>>(c.net);
expectType<ResumeOptions>(c.fitOptions);
fit(c.net, data, { ...c.fitOptions, validation: data });
expectType<Checkpoint<Mlp<number[]>>>(loadCheckpoint("out"));
expectType<typeof cnn>(loadCheckpoint("out", [input(1, 28, 28), conv2d(8, 5), relu(), maxPool2d(2), conv2d(16, 5, { padding: "same" }), relu(), maxPool2d(2), flatten(), dense(10), softmax()]).net);
expectType<Checkpoint<RuntimeNetwork<"float32">>>(loadCheckpoint("out", "any", { dtype: "float32" }));
expectError(saveCheckpoint("out", { net, optimizer: opt, epoch: 2 }));
expectError(loadCheckpoint("out", [4, "16"]));
expectError(loadCheckpoint("out", [input(1, 28, 28), flatten(), conv2d(8, 5)]));

// ---- the loaders' one signature: what the second argument may be, how it is checked, what it gives ----
expectAssignable<ExpectedKind>([784, 128, 10] as const);
expectAssignable<ExpectedKind>("any" as const);
expectType<"any">({} as ExpectedArg<"any", "loadModel">);
expectAssignable<ExpectedArg<readonly [784, 128, 10], "loadModel">>([784, 128, 10] as const);
expectError<ExpectedArg<readonly [784, 0, 10], "loadModel">>([784, 0, 10] as const);
expectType<Mlp<[784, 128, 10], "float32">>({} as Loaded<readonly [784, 128, 10], "float32">);
expectType<RuntimeNetwork<"float64">>({} as Loaded<"any", "float64">);
expectType<SafetensorsOptions<"float64">>({} as SafetensorsOptionsFor<readonly [784, 10], "float64">);
expectType<LoadOptions<"float64">>({} as SafetensorsOptionsFor<"any", "float64">);
expectError(modelFromJSON("{}", [784, 0, 10])); // one signature: the error is the size's ShapeError
