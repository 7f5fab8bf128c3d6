/** Model files, checkpoints and resuming: the expected sizes type what is loaded. */
import { expectError, expectType } from "tsd";
import {
  adam, fit, dataset, mlp, modelFromSafetensors, modelToSafetensors, rng, rngFromState,
  type Mlp, type OptimizerSettings, type OptimizerState, type RngState, type SafetensorsOptions, type ShuffleState,
} from "../src/index.js";
import { loadCheckpoint, loadModel, saveCheckpoint, saveModel, type Checkpoint, type ModelFileFormat, type ResumeOptions } from "../src/node.js";

const net = mlp([4, 16, 3], { seed: 1 });

// safetensors in memory (browser-safe)
expectType<Uint8Array>(modelToSafetensors(net));
expectType<Mlp<[4, 16, 3]>>(modelFromSafetensors(modelToSafetensors(net), [4, 16, 3]));
expectType<Mlp<number[]>>(modelFromSafetensors(modelToSafetensors(net)));
const options: SafetensorsOptions = { hidden: "tanh", output: "identity", loss: "meanSquaredError" };
expectType<Mlp<[4, 16, 3]>>(modelFromSafetensors(new Uint8Array(8), [4, 16, 3], options));
expectError(modelToSafetensors({}));
expectError(modelFromSafetensors("text"));
expectError(modelFromSafetensors(new Uint8Array(8), [4, "16", 3]));
expectError(modelFromSafetensors(new Uint8Array(8), [4, 16, 3], { hidden: "softmax" }));

// files (shapegrad/node)
expectType<void>(saveModel(net, "model.safetensors"));
expectType<Mlp<[4, 16, 3]>>(loadModel("model.safetensors", [4, 16, 3]));
expectType<Mlp<[4, 16, 3]>>(loadModel("model.safetensors", [4, 16, 3], { hidden: "sigmoid" }));
expectType<Mlp<number[]>>(loadModel("model.json"));
expectError(saveModel(net));
expectError(loadModel(42));
const format: ModelFileFormat = "safetensors";
expectError<ModelFileFormat>("onnx");
void format;

// RNG state
const state: RngState = rng(1).state();
expectType<readonly [number, number, number, number]>(state.sfc32);
expectType<number | null>(state.spare);
expectType<number>(rngFromState(state).next());
expectError(rngFromState(42));
expectError(rngFromState({ sfc32: [1, 2, 3], spare: null }));

// optimizer state: typed like the network's parameters
const opt = adam();
const s: OptimizerState<Mlp<[4, 16, 3]>> = opt.getState(net);
expectType<OptimizerState<Mlp<[4, 16, 3]>>>(s);
expectType<"sgd" | "momentum" | "adam">(s.name);
expectType<OptimizerSettings>(s.settings);
expectType<number>(s.steps);
expectType<void>(opt.setState(net, s));
expectError(opt.setState(mlp([4, 17, 3]), s));
expectError(opt.getState());

// fit: resuming, and the shuffling state after each epoch
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

// checkpoints
expectType<void>(saveCheckpoint("out", { net, optimizer: opt, epoch: 2, fit: { epochs: 4, batchSize: 8, seed: 1 } }));
const c = loadCheckpoint("out", [4, 16, 3]);
expectType<Checkpoint<[4, 16, 3]>>(c);
expectType<Mlp<[4, 16, 3]>>(c.net);
expectType<ResumeOptions>(c.fitOptions);
fit(c.net, data, { ...c.fitOptions, validation: data });
expectType<Checkpoint<number[]>>(loadCheckpoint("out"));
expectError(saveCheckpoint("out", { net, optimizer: opt, epoch: 2 }));
expectError(loadCheckpoint("out", [4, "16"]));
