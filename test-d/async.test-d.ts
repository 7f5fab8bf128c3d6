/** fitAsync and the worker helper: the same shape rules as fit, promises, signals, endpoints of both kinds. */
import { expectAssignable, expectError, expectNotAssignable, expectType } from "tsd";
import { Worker as NodeWorker, parentPort } from "node:worker_threads";
import {
  adam, dataset, fitAsync, mlp, serveTraining, trainInWorker,
  type AbortSignalLike, type AnyDataset, type Dataset, type Dyn, type Endpoint, type FitAsyncOptions, type History,
  type MessageEventLike, type NamedData, type NodeEndpoint, type OptimizerSpec, type ParameterBuffers, type PostedData,
  type ServeOptions, type TrainInWorkerOptions, type WebEndpoint, type WorkerFitOptions,
} from "../src/index.js";

const net = mlp([4, 16, 3], { seed: 1 });
const data = dataset([[1, 2, 3, 4]], [2], { features: 4, classes: 3 });
const wrongFeatures = dataset([[1, 2, 3]], [0], { features: 3, classes: 3 });

// fitAsync: fit's options, async callbacks, a signal; a promise of the same History.
expectType<Promise<History>>(fitAsync(net, data, { epochs: 1, optimizer: adam() }));
expectType<Promise<History>>(fitAsync(net, data, {
  epochs: 2, optimizer: adam(), validation: data, signal: new AbortController().signal,
  onBatchEnd: async (b) => { await Promise.resolve(b.loss); }, onEpochEnd: async (e) => e.epoch < 2,
}));
expectError(fitAsync(net, wrongFeatures, { epochs: 1, optimizer: adam() }));
expectError(fitAsync(net, data, { epochs: 1 }));
expectError(fitAsync(net, data, { epochs: 1, optimizer: adam(), signal: "stop" }));
expectError(fitAsync(net, data, { epochs: 1, optimizer: adam(), onEpochEnd: async () => "stop" }));
expectAssignable<AbortSignalLike>(AbortSignal.abort());
expectAssignable<FitAsyncOptions<4, 3>>({ epochs: 1, optimizer: adam() });

// trainInWorker: a Web Worker or a worker_threads Worker; data of the net's sizes or named.
declare const webWorker: Worker;
declare const nodeWorker: NodeWorker;
const spec: OptimizerSpec = { name: "adam", learningRate: 1e-3 };
expectType<Promise<History>>(trainInWorker(webWorker, net, data, { epochs: 1, optimizer: spec }));
expectType<Promise<History>>(trainInWorker(nodeWorker, net, { named: "train" }, {
  epochs: 1, optimizer: { name: "sgd", learningRate: 0.1 }, validation: { named: "test" }, backend: "wasm",
  signal: new AbortController().signal, onBatchEnd: (log, extra) => { expectType<number>(log.loss); expectType<unknown>(extra); },
}));
expectError(trainInWorker(webWorker, net, wrongFeatures, { epochs: 1, optimizer: spec }));
expectError(trainInWorker(webWorker, net, data, { epochs: 1, optimizer: adam() }));
expectError(trainInWorker(webWorker, net, data, { epochs: 1, optimizer: { name: "rmsprop" } }));
expectError(trainInWorker({}, net, data, { epochs: 1, optimizer: spec }));
expectAssignable<TrainInWorkerOptions<4, 3>>({ epochs: 1, optimizer: spec });
expectAssignable<WorkerFitOptions>({ epochs: 1, optimizer: { name: "momentum", learningRate: 0.1, beta: 0.9 } });
expectNotAssignable<WorkerFitOptions>({ epochs: 1, optimizer: { name: "sgd" } });
expectAssignable<NamedData>({ named: "train" });
expectAssignable<PostedData>({ inputs: { rows: 1, cols: 1, data: new Float64Array(1) }, targets: { rows: 1, cols: 1, data: new Float64Array(1) } });
expectAssignable<ParameterBuffers>({ weights: [new Float64Array(2)], biases: [new Float64Array(1)] });

// serveTraining: inside a worker, with named datasets and hooks.
declare const scope: WebEndpoint;
expectType<() => void>(serveTraining(scope));
expectType<() => void>(serveTraining(parentPort!, { datasets: { train: () => data as unknown as AnyDataset }, onBatchEnd: (n) => n.sizes.length }));
expectError(serveTraining(parentPort));
expectError(serveTraining(scope, { datasets: { train: 3 } }));
expectAssignable<Endpoint>(webWorker);
expectAssignable<NodeEndpoint>(nodeWorker);
expectAssignable<MessageEventLike>({ data: 1 });
expectAssignable<ServeOptions>({});
expectType<Dataset<Dyn, Dyn, Dyn>>({} as AnyDataset);
