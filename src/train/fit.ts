/**
 * `fit(net, data, options)`: mini-batch training with seeded shuffling, validation, callbacks and
 * early stopping, in the manner of TensorFlow.js's `model.fit`. Each step is the notes' forward
 * pass, loss, backpropagation and gradient-descent update; after the first batch of each size it
 * allocates nothing.
 */
import type { Dyn } from "../shape/dims.js";
import { allFinite, transposeInto } from "../kernels/elementwise.js";
import { rng } from "../ops/random.js";
import type { Mlp } from "../nn/network.js";
import { layerBiases, layerWeights } from "../nn/network.js";
import type { InputSize, OutputSize, Params, Sizes } from "../nn/types.js";
import { backwardInto, forwardInto, lossInto } from "../nn/engine.js";
import type { Optimizer } from "../optim/optimizer.js";
import type { Dataset } from "../data/dataset.js";
import { checkDataset } from "../data/dataset.js";
import type { BatchBuffers } from "./batches.js";
import { batchBuffers, countCorrect, gatherExamples } from "./batches.js";
import type { Evaluation } from "./evaluate.js";
import { evaluateChecked } from "./evaluate.js";

/** What `onBatchEnd` receives after each step. */
export interface BatchLog {
  /** 1-based epoch and batch numbers. */
  readonly epoch: number;
  readonly batch: number;
  readonly batches: number;
  /** Examples in this batch, and so far in this epoch. */
  readonly size: number;
  readonly seen: number;
  /** This batch's mean loss (before its update), and the mean over the epoch so far. */
  readonly loss: number;
  readonly runningLoss: number;
}

/** What `onEpochEnd` receives, and what `fit`'s history holds per epoch. */
export interface EpochLog {
  readonly epoch: number;
  readonly epochs: number;
  /** Mean training loss and accuracy over the epoch (each batch measured before its update). */
  readonly loss: number;
  readonly accuracy: number;
  readonly validationLoss?: number;
  readonly validationAccuracy?: number;
  readonly seconds: number;
}

/** Stop when the monitored loss has not improved by `minDelta` for `patience` epochs. */
export interface EarlyStopping {
  readonly monitor?: "loss" | "validationLoss";
  readonly patience: number;
  readonly minDelta?: number;
  /** Put back the parameters of the best epoch when stopping (default true). */
  readonly restoreBest?: boolean;
}

/** Options of `fit`. */
export interface FitOptions<In extends number, Out extends number, V extends number = Dyn> {
  readonly epochs: number;
  readonly optimizer: Optimizer;
  /** Examples per gradient step (default 32). */
  readonly batchSize?: number;
  /** Seed of the shuffling (default 0); the same seed gives the same run. */
  readonly seed?: number;
  /** Shuffle the examples every epoch (default true). */
  readonly shuffle?: boolean;
  /** Examples to measure after every epoch (never trained on). */
  readonly validation?: Dataset<In, Out, V>;
  readonly onBatchEnd?: (log: BatchLog) => void;
  /** Return `false` to stop training after this epoch. */
  readonly onEpochEnd?: (log: EpochLog) => void | boolean;
  readonly earlyStopping?: EarlyStopping;
}

/** Per-epoch logs, and the same figures as series. */
export interface History {
  readonly epochs: EpochLog[];
  readonly loss: number[];
  readonly accuracy: number[];
  readonly validationLoss: number[];
  readonly validationAccuracy: number[];
  readonly stoppedEarly: boolean;
}

/** The loss or a gradient became NaN or infinite: training stopped, the parameters are those from before that step. */
export class TrainingError extends Error {
  constructor(readonly epoch: number, readonly batch: number, what: string) {
    super(`fit stopped at epoch ${epoch} batch ${batch}: the ${what} became NaN or infinite; the parameters from before this step are kept (try a smaller learning rate)`);
    this.name = "TrainingError";
  }
}

function positiveInteger(op: string, name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1) throw new RangeError(`${op} expects ${name} a whole number of 1 or more, got ${String(v)}`);
  return v;
}

/**
 * `fit(net, train, { epochs: 10, batchSize: 64, optimizer: adam(), validation: test })`.
 * Data and options are checked before any parameter changes.
 */
export function fit<S extends Sizes, N extends number, V extends number = Dyn>(
  net: Mlp<S>, data: Dataset<InputSize<S>, OutputSize<S>, N>, options: FitOptions<InputSize<S>, OutputSize<S>, V>,
): History {
  // Without onBatchEnd the loop need not stop after each step (and so allocates nothing per step).
  const loop = trainingLoop(net, data, options, "fit", options.onBatchEnd !== undefined);
  let stop = false;
  for (;;) {
    const next = loop.next(stop);
    if (next.done) return next.value;
    const event = next.value;
    if (event.kind === "batch") options.onBatchEnd?.(event.log);
    else stop = options.onEpochEnd?.(event.log) === false;
  }
}

/** What the training loop hands its driver: after each step, and after each epoch. */
export type TrainingEvent = { readonly kind: "batch"; readonly log: BatchLog } | { readonly kind: "epoch"; readonly log: EpochLog };

/** The options the loop itself reads (callbacks are the driver's business). */
export type LoopOptions<In extends number, Out extends number, V extends number> = Omit<FitOptions<In, Out, V>, "onBatchEnd" | "onEpochEnd">;

/**
 * The one training loop behind `fit` (synchronous) and `fitAsync` (awaits callbacks, yields to the
 * event loop, stops on an AbortSignal): a generator that does one step per `next()` and yields a
 * "batch" event after it, and an "epoch" event after each epoch. The driver answers an epoch event
 * with `true` to stop (onEpochEnd returned false). Abandoning the generator between events leaves
 * the parameters of the last completed step. Nothing runs until the first `next()`, which checks
 * data and options before any parameter changes. With `batchEvents` false it runs whole epochs
 * between events.
 */
export function* trainingLoop<S extends Sizes, N extends number, V extends number = Dyn>(
  net: Mlp<S>, data: Dataset<InputSize<S>, OutputSize<S>, N>, options: LoopOptions<InputSize<S>, OutputSize<S>, V>, op = "fit", batchEvents = true,
): Generator<TrainingEvent, History, boolean | undefined> {
  const sizes = net.sizes;
  const features = sizes[0]!, classes = sizes[sizes.length - 1]!;
  const epochs = positiveInteger(op, "epochs", options.epochs);
  const batchSize = positiveInteger(op, "batchSize", options.batchSize ?? 32);
  const optimizer = options.optimizer;
  if (typeof optimizer?.step !== "function") throw new TypeError(`${op} expects options.optimizer (sgd, momentum or adam), got ${String(optimizer)}`);
  const { inputs, targets } = checkDataset(op, data, features, classes);
  const validation = options.validation === undefined ? undefined : checkDataset(`${op} validation`, options.validation, features, classes);
  const stopping = options.earlyStopping;
  if (stopping) {
    positiveInteger(op, "earlyStopping.patience", stopping.patience);
    if (stopping.monitor === "validationLoss" && !validation) throw new RangeError(`${op} expects validation data to monitor validationLoss`);
  }

  const n = inputs.cols;
  // One example per row, so a batch reads contiguous memory whatever the shuffled order.
  const examples = new Float64Array(n * features);
  transposeInto(inputs.data, features, n, examples);
  const labelRows = new Float64Array(n * classes);
  transposeInto(targets.data, classes, n, labelRows);

  const order = Int32Array.from({ length: n }, (_, j) => j);
  const random = rng(options.seed ?? 0);
  const cache = new Map<number, BatchBuffers>();
  const evalCache = new Map<number, BatchBuffers>();
  const batches = Math.ceil(n / batchSize);
  const history: History = { epochs: [], loss: [], accuracy: [], validationLoss: [], validationAccuracy: [], stoppedEarly: false };
  const shouldStop = stopping ? earlyStopper(stopping, [...layerWeights(net), ...layerBiases(net)]) : () => false;

  for (let epoch = 1; epoch <= epochs; epoch++) {
    const started = performance.now();
    if (options.shuffle ?? true) random.shuffle(order);
    let lossSum = 0, correct = 0, seen = 0;
    for (let batch = 1; batch <= batches; batch++) {
      const start = (batch - 1) * batchSize;
      const count = Math.min(batchSize, n - start);
      const b = batchBuffers(net, cache, count);
      gatherExamples(examples, features, order, start, count, b.inputs.data);
      gatherExamples(labelRows, classes, order, start, count, b.targets.data);
      const loss = trainStep(net, b, optimizer, epoch, batch);
      correct += countCorrect(b.ws.a[sizes.length - 1]!.data, b.targets.data, classes, count);
      lossSum += loss * count;
      seen += count;
      if (batchEvents) yield { kind: "batch", log: { epoch, batch, batches, size: count, seen, loss, runningLoss: lossSum / seen } };
    }
    let measured: Evaluation | undefined;
    if (validation) measured = evaluateChecked(net, validation.inputs.data, validation.targets.data, validation.inputs.cols, 256, evalCache);
    const log: EpochLog = {
      epoch, epochs, loss: lossSum / n, accuracy: correct / n,
      ...(measured ? { validationLoss: measured.loss, validationAccuracy: measured.accuracy } : {}),
      seconds: (performance.now() - started) / 1000,
    };
    history.epochs.push(log);
    history.loss.push(log.loss);
    history.accuracy.push(log.accuracy);
    if (measured) {
      history.validationLoss.push(measured.loss);
      history.validationAccuracy.push(measured.accuracy);
    }
    const stop = (yield { kind: "epoch", log }) === true;
    if (shouldStop(stopping?.monitor === "validationLoss" ? measured!.loss : log.loss) || stop) return { ...history, stoppedEarly: true };
  }
  return history;
}

/**
 * One step on a filled batch: forward, mean loss, backward, update. Throws a TrainingError before
 * the update when the loss or a gradient is not finite, so the parameters stay as they were.
 */
function trainStep<S extends Sizes>(net: Mlp<S>, b: BatchBuffers, optimizer: Optimizer, epoch: number, batch: number): number {
  forwardInto(net, b.inputs, b.ws);
  const loss = lossInto(net, b.targets, b.ws);
  if (!Number.isFinite(loss)) throw new TrainingError(epoch, batch, "loss");
  backwardInto(net, b.targets, b.ws);
  if (!allEntriesFinite(b.ws.gradients.weights) || !allEntriesFinite(b.ws.gradients.biases)) throw new TrainingError(epoch, batch, "gradient");
  // The workspace was created for net, so its gradients have net's parameter shapes.
  optimizer.step(net, b.ws.gradients as unknown as Params<S>);
  return loss;
}

/**
 * Early stopping: `update(value)` is true once the monitored loss has not improved by minDelta for
 * `patience` epochs; the best epoch's parameters are then put back (unless restoreBest is false).
 */
function earlyStopper(stopping: EarlyStopping, params: readonly { readonly data: Float64Array }[]): (value: number) => boolean {
  let best = Infinity, sinceBest = 0, bestParams: Float64Array[] | undefined;
  return (value) => {
    if (value < best - (stopping.minDelta ?? 0)) {
      best = value;
      sinceBest = 0;
      if (stopping.restoreBest ?? true) bestParams = params.map((p) => Float64Array.from(p.data));
      return false;
    }
    if (++sinceBest < stopping.patience) return false;
    if (bestParams) params.forEach((p, i) => p.data.set(bestParams![i]!));
    return true;
  };
}

function allEntriesFinite(list: readonly { readonly data: Float64Array }[]): boolean {
  for (const m of list) if (!allFinite(m.data)) return false;
  return true;
}
