/** fit, evaluate and datasets: data must have the network's input and output sizes. */
import { expectError, expectType } from "tsd";
import {
  adam, dataset, evaluate, fit, mlp, split, subset, shuffled, labelsOf, size, modelFromJSON, modelToJSON, ModelFormatError, ShapeError, TrainingError,
  type Dataset, type Dyn, type Evaluation, type History, type Mlp,
} from "../src/index.js";

const net = mlp([4, 16, 3], { seed: 1 });
const data = dataset([[1, 2, 3, 4]], [2], { features: 4, classes: 3 });
expectType<Dataset<4, 3, Dyn>>(data);
const h = fit(net, data, { epochs: 2, batchSize: 8, optimizer: adam(), validation: data, onEpochEnd: (e) => e.epoch < 5 });
expectType<History>(h);
expectType<number[]>(h.loss);
expectType<Evaluation>(evaluate(net, data));

const wrongFeatures = dataset([[1, 2, 3]], [0], { features: 3, classes: 3 });
const wrongClasses = dataset([[1, 2, 3, 4]], [0], { features: 4, classes: 2 });
expectError(fit(net, wrongFeatures, { epochs: 1, optimizer: adam() }));
expectError(fit(net, wrongClasses, { epochs: 1, optimizer: adam() }));
expectError(fit(net, data, { epochs: 1, optimizer: adam(), validation: wrongClasses }));
expectError(fit(net, data, { epochs: 1 }));
expectError(fit(net, data, { epochs: 1, optimizer: adam(), onBatchEnd: (b: string) => b }));
expectError(evaluate(net, wrongFeatures));
expectError(dataset([[1]], [0], { features: 0, classes: 3 }));

const parts = split(data, { testFraction: 0.2, seed: 1 });
expectType<Dataset<4, 3, Dyn>>(parts.train);
expectError(split(data, { seed: 1 }));
expectType<Dataset<4, 3, Dyn>>(subset(data, [0]));
expectType<Dataset<4, 3, Dyn>>(shuffled(data, 1));
expectType<Int32Array>(labelsOf(data));
expectType<Dyn>(size(data));

// Model files: the expected sizes type the loaded network.
expectType<Mlp<[4, 16, 3]>>(modelFromJSON(modelToJSON(net), [4, 16, 3]));
expectType<Mlp<number[]>>(modelFromJSON(modelToJSON(net)));
expectError(modelToJSON({}));
expectType<string>(new ModelFormatError("x").message);
expectType<"a">(new ShapeError("a").message);
expectType<number>(new TrainingError(1, 2, "loss").epoch);

// ---- float32 datasets: typed by their element type, taken by fit / evaluate for any network ----
const data32 = dataset([[1, 2, 3, 4]], [2], { features: 4, classes: 3, dtype: "float32" });
expectType<Dataset<4, 3, Dyn, "float32">>(data32);
expectType<Float32Array>(data32.inputs.data);
expectType<History>(fit(net, data32, { epochs: 1, optimizer: adam(), validation: data32 }));
expectType<History>(fit(mlp([4, 16, 3], { dtype: "float32" }), data, { epochs: 1, optimizer: adam(), validation: data32 }));
expectType<Evaluation>(evaluate(net, data32));
expectType<{ train: Dataset<4, 3, Dyn, "float32">; test: Dataset<4, 3, Dyn, "float32"> }>(split(data32, { testFraction: 0.5 }));
expectType<Dataset<4, 3, Dyn, "float32">>(subset(data32, [0]));
expectError(dataset([[1, 2, 3, 4]], [2], { features: 4, classes: 3, dtype: "float16" }));
expectError(fit(net, dataset([[1, 2, 3]], [2], { features: 3, classes: 3, dtype: "float32" }), { epochs: 1, optimizer: adam() }));
