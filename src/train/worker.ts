/**
 * `trainInWorker(worker, net, data, options)`: `fit` in a Web Worker or a `worker_threads` worker
 * that runs `serveTraining`, for any network (dense or convolutional), posted once as a safetensors
 * file. The page's thread only receives small progress logs; at the end the worker transfers the
 * trained parameters (no copy on the way) and they are written into `net`.
 */
import type { Dyn } from "../shape/dims.js";
import type { Backend } from "../kernels/backend.js";
import type { AnyNetwork } from "../nn/network.js";
import type { InputSizeOf, OutputSizeOf } from "../nn/api.js";
import { layerBiases, layerWeights } from "../nn/network.js";
import { modelToSafetensors } from "../io/model-safetensors.js";
import type { Dataset } from "../data/dataset.js";
import { checkDataset } from "../data/dataset.js";
import type { BatchLog, EpochLog, History } from "./fit.js";
import type { AbortSignalLike } from "./fit-async.js";
import type { Endpoint, NamedData, ParameterBuffers, PostedData, WorkerFitOptions, WorkerReply } from "./worker-protocol.js";
import { buffersOf, isProtocolMessage, listen, post } from "./worker-protocol.js";

/** Options of `trainInWorker`: the fit options that can be posted, progress callbacks, a stop signal. */
export interface TrainInWorkerOptions<In extends number, Out extends number, V extends number = Dyn> extends WorkerFitOptions {
  /** Examples measured after every epoch: a dataset (posted once) or one the worker holds by name. */
  readonly validation?: Dataset<In, Out, V> | NamedData;
  /** Kernel backend in the worker (default "auto"). */
  readonly backend?: Backend | "auto";
  /** Once training has started in the worker, with the backend it uses. */
  readonly onStart?: (info: { readonly backend: Backend }) => void;
  /** After each step (a notification: the worker does not wait). `extra` is the worker hook's result. */
  readonly onBatchEnd?: (log: BatchLog, extra: unknown) => void;
  readonly onEpochEnd?: (log: EpochLog, extra: unknown) => void;
  /** Aborting stops the worker after its current step; the parameters of the last completed step are written into `net` and the promise rejects with the signal's reason. */
  readonly signal?: AbortSignalLike & { addEventListener(type: "abort", listener: () => void): void; removeEventListener(type: "abort", listener: () => void): void };
}

let nextId = 1;

/**
 * `await trainInWorker(worker, net, train, { epochs: 1, optimizer: { name: "adam", learningRate: 1e-3 } })`:
 * trains `net` in the worker and writes the trained parameters into it; resolves to the History.
 * `data` is a dataset (posted once) or `{ named: "train" }`, one the worker's `serveTraining` holds.
 */
export function trainInWorker<Net extends AnyNetwork, N extends number, V extends number = Dyn>(
  worker: Endpoint, net: Net, data: Dataset<InputSizeOf<Net>, OutputSizeOf<Net>, N> | NamedData,
  options: TrainInWorkerOptions<InputSizeOf<Net>, OutputSizeOf<Net>, V>,
): Promise<History> {
  const sizes = net.sizes;
  const features = sizes[0]!, classes = sizes[sizes.length - 1]!;
  const id = nextId++;
  const { epochs, optimizer, batchSize, seed, shuffle, earlyStopping } = options;
  const fitOptions: WorkerFitOptions = {
    epochs, optimizer,
    ...(batchSize === undefined ? {} : { batchSize }), ...(seed === undefined ? {} : { seed }),
    ...(shuffle === undefined ? {} : { shuffle }), ...(earlyStopping === undefined ? {} : { earlyStopping }),
  };
  return new Promise<History>((resolve, reject) => {
    // Checked inside the promise, so that bad data rejects it (as in fitAsync) rather than throwing.
    // The protocol's arrays (posted data, parameters coming back) are Float64Array.
    if (net.dtype !== "float64") throw new TypeError(`trainInWorker expects a float64 network (the worker protocol carries float64 arrays), got a ${String(net.dtype)} one`);
    const posted = toPosted(data, features, classes, "trainInWorker");
    const validation = options.validation === undefined ? undefined : toPosted(options.validation, features, classes, "trainInWorker validation");
    if (typeof optimizer !== "object" || optimizer === null || "step" in optimizer) {
      throw new TypeError(`trainInWorker expects optimizer as { name: "sgd" | "momentum" | "adam", learningRate, ... } (an optimizer object cannot be posted to a worker), got ${describeOptimizer(optimizer)}`);
    }
    // Before anything is listened to or posted: the file refuses NaN or infinite parameters, naming the tensor.
    const model = modelFile(net);
    const signal = options.signal;
    const stop = () => post(worker, { type: "shapegrad:stop", id });
    const finish = () => {
      unlisten();
      signal?.removeEventListener("abort", stop);
    };
    const unlisten = listen(worker, (message) => {
      if (!isProtocolMessage(message) || message.id !== id) return;
      // Messages of this protocol with our id are WorkerReply values (serveTraining posts only those).
      const reply = message as WorkerReply;
      if (reply.type === "shapegrad:started") options.onStart?.({ backend: reply.backend });
      else if (reply.type === "shapegrad:batch") options.onBatchEnd?.(reply.log, reply.extra);
      else if (reply.type === "shapegrad:epoch") options.onEpochEnd?.(reply.log, reply.extra);
      else {
        finish();
        try {
          if (reply.parameters) writeParameters(net, reply.parameters);
        } catch (e) {
          reject(e);
          return;
        }
        if (reply.type === "shapegrad:done") resolve(reply.history);
        else if (reply.name === "AbortError" && signal?.aborted) reject(signal.reason ?? workerError(reply.name, reply.message));
        else reject(workerError(reply.name, reply.message));
      }
    }, (error) => {
      finish();
      reject(new Error(`trainInWorker: the worker failed: ${describe(error)}`));
    });
    if (signal?.aborted) {
      finish();
      reject(signal.reason);
      return;
    }
    signal?.addEventListener("abort", stop);
    post(worker, {
      type: "shapegrad:train", id, model, data: posted, options: fitOptions,
      ...(validation === undefined ? {} : { validation }), ...(options.backend === undefined ? {} : { backend: options.backend }),
    }, buffersOf([model]));
  });
}

/** The network as the safetensors file the worker loads. */
function modelFile(net: AnyNetwork): Uint8Array {
  try {
    return modelToSafetensors(net);
  } catch (e) {
    if (e instanceof RangeError) throw new RangeError(`trainInWorker expects a network with finite parameters (it posts them to the worker as a safetensors file): ${e.message}`);
    throw e;
  }
}

function toPosted(data: unknown, features: number, classes: number, op: string): NamedData | PostedData {
  if (typeof data === "object" && data !== null && "named" in data && typeof data.named === "string") return { named: data.named };
  const { inputs, targets } = checkDataset(op, data, features, classes);
  return {
    inputs: { rows: inputs.rows, cols: inputs.cols, data: inputs.data },
    targets: { rows: targets.rows, cols: targets.cols, data: targets.data },
  };
}

/** Copies the worker's parameters into net, after checking that every array has the layer's size. */
function writeParameters(net: AnyNetwork, p: ParameterBuffers): void {
  const weights = layerWeights(net), biases = layerBiases(net);
  const ok = p.weights.length === weights.length && p.biases.length === biases.length &&
    weights.every((w, l) => p.weights[l]?.length === w.data.length) && biases.every((b, l) => p.biases[l]?.length === b.data.length);
  if (!ok) throw new Error(`trainInWorker expects the worker to return ${weights.length} weight and bias arrays of this network's sizes, got ${p.weights.length} and ${p.biases.length} arrays of other sizes`);
  weights.forEach((w, l) => w.data.set(p.weights[l]!));
  biases.forEach((b, l) => b.data.set(p.biases[l]!));
}

function describeOptimizer(optimizer: unknown): string {
  return typeof optimizer === "object" && optimizer !== null && "step" in optimizer ? "an optimizer object" : String(optimizer);
}

function workerError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === "object" && error !== null && "message" in error) return String(error.message);
  return String(error);
}
