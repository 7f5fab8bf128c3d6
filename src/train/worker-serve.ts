/**
 * The worker side of `trainInWorker`: `serveTraining(self)` in a Web Worker, or
 * `serveTraining(parentPort)` in a `worker_threads` worker. It builds the network from the posted
 * model, trains it with `fitAsync` (so that a stop message is heard between steps), posts a log
 * after every batch and epoch, and posts the parameters back at the end by transferring their
 * buffers.
 */
import type { Dyn } from "../shape/dims.js";
import { setBackend } from "../kernels/backend.js";
import { fromArray } from "../ops/create.js";
import { modelFromSafetensors } from "../io/model-safetensors.js";
import type { RuntimeNetwork } from "../io/expected.js";
import { adam } from "../optim/adam.js";
import { momentum } from "../optim/momentum.js";
import type { Optimizer } from "../optim/optimizer.js";
import { sgd } from "../optim/sgd.js";
import type { Dataset } from "../data/dataset.js";
import type { BatchLog, EpochLog } from "./fit.js";
import { fitAsync } from "./fit-async.js";
import type { Endpoint, NamedData, OptimizerSpec, ParameterBuffers, PostedData, TrainRequest, WorkerReply } from "./worker-protocol.js";
import { buffersOf, isProtocolMessage, listen, post } from "./worker-protocol.js";

/** A dataset whose sizes are known at run time only. */
export type AnyDataset = Dataset<Dyn, Dyn, Dyn>;

/** What the worker's owner adds: datasets it holds by name, and hooks whose results ride on the progress messages. */
export interface ServeOptions {
  /** Datasets the page can ask for by name (`{ named: "train" }`), e.g. loaded by the worker itself. */
  readonly datasets?: Readonly<Record<string, () => AnyDataset | Promise<AnyDataset>>>;
  /** Runs after each step; its result (structured-cloneable) is posted with the batch log as `extra`. `net` is the network being trained (any architecture). */
  readonly onBatchEnd?: (net: RuntimeNetwork, log: BatchLog) => unknown;
  /** Runs after each epoch; its result is posted with the epoch log as `extra`. */
  readonly onEpochEnd?: (net: RuntimeNetwork, log: EpochLog) => unknown;
}

/** `serveTraining(self)`: answers train and stop messages on this endpoint until the worker ends. */
export function serveTraining(endpoint: Endpoint, options: ServeOptions = {}): () => void {
  const running = new Map<number, AbortController>();
  return listen(endpoint, (data) => {
    if (!isProtocolMessage(data)) return;
    if (data.type === "shapegrad:stop") running.get(data.id)?.abort();
    if (data.type !== "shapegrad:train") return;
    // A message of type "shapegrad:train" is a TrainRequest by this protocol; each field is
    // checked where it is used (modelFromJSON, fromArray, fitAsync's option checks).
    const request = data as TrainRequest;
    const controller = new AbortController();
    running.set(request.id, controller);
    void serveOne(endpoint, request, controller.signal, options).finally(() => running.delete(request.id));
  });
}

async function serveOne(endpoint: Endpoint, request: TrainRequest, signal: AbortSignal, options: ServeOptions): Promise<void> {
  const reply = (message: WorkerReply, transfer: ArrayBuffer[] = []) => post(endpoint, message, transfer);
  let net: RuntimeNetwork | undefined;
  try {
    const backend = setBackend(request.backend ?? "auto");
    // Any architecture (dense, convolutional): the file says which, and it is checked as any file is.
    net = modelFromSafetensors(request.model, "any");
    const trained = net;
    const train = await resolveData(request.data, options, "data");
    const validation = request.validation === undefined ? undefined : await resolveData(request.validation, options, "validation");
    reply({ type: "shapegrad:started", id: request.id, backend });
    const o = request.options;
    const history = await fitAsync(trained, train, {
      epochs: o.epochs, optimizer: makeOptimizer(o.optimizer), signal,
      ...(o.batchSize === undefined ? {} : { batchSize: o.batchSize }),
      ...(o.seed === undefined ? {} : { seed: o.seed }),
      ...(o.shuffle === undefined ? {} : { shuffle: o.shuffle }),
      ...(o.earlyStopping === undefined ? {} : { earlyStopping: o.earlyStopping }),
      ...(validation === undefined ? {} : { validation }),
      onBatchEnd: async (log) => reply({ type: "shapegrad:batch", id: request.id, log, extra: await options.onBatchEnd?.(trained, log) }),
      onEpochEnd: async (log) => reply({ type: "shapegrad:epoch", id: request.id, log, extra: await options.onEpochEnd?.(trained, log) }),
    });
    const parameters = parametersOf(trained);
    reply({ type: "shapegrad:done", id: request.id, history, parameters }, transferList(parameters));
  } catch (e) {
    const error = e instanceof Error ? e : new Error(String(e));
    const parameters = net ? parametersOf(net) : undefined;
    reply({
      type: "shapegrad:failed", id: request.id, name: error.name, message: error.message, ...(parameters ? { parameters } : {}),
    }, parameters ? transferList(parameters) : []);
  }
}

/** W^l and b^l of the layers that have them (trainInWorker writes them back in the same order, as layerWeights lists them). */
function parametersOf(net: RuntimeNetwork): ParameterBuffers {
  return { weights: net.weights.flatMap((w) => (w ? [w.data] : [])), biases: net.biases.flatMap((b) => (b ? [b.data] : [])) };
}

function transferList(p: ParameterBuffers): ArrayBuffer[] {
  return buffersOf([...p.weights, ...p.biases]);
}

async function resolveData(data: NamedData | PostedData, options: ServeOptions, what: string): Promise<AnyDataset> {
  if ("named" in data) {
    const load = options.datasets?.[data.named];
    if (!load) throw new RangeError(`serveTraining expects ${what} named one of ${Object.keys(options.datasets ?? {}).join(", ") || "(none given)"}, got ${String(data.named)}`);
    return load();
  }
  return {
    inputs: fromArray(data.inputs.data, data.inputs.rows, data.inputs.cols),
    targets: fromArray(data.targets.data, data.targets.rows, data.targets.cols),
  };
}

/** The optimizer a spec names; its options are checked by sgd, momentum or adam. */
export function makeOptimizer(spec: OptimizerSpec): Optimizer {
  if (spec?.name === "sgd") return sgd(spec);
  if (spec?.name === "momentum") return momentum(spec);
  if (spec?.name === "adam") return adam(spec);
  throw new RangeError(`trainInWorker expects optimizer { name: "sgd" | "momentum" | "adam", ... }, got ${JSON.stringify(spec)}`);
}
