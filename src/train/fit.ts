/**
 * `fit(net, data, options)`: mini-batch training with seeded shuffling, validation, callbacks and
 * early stopping, in the manner of TensorFlow.js's `model.fit`. Each step is the notes' forward
 * pass, loss, backpropagation and gradient-descent update; after the first batch of each size it
 * allocates nothing.
 */
import type { Dyn } from "../shape/dims.js";
import { describe } from "../shape/dims.js";
import type { DType, MatrixLike } from "../shape/matrix.js";
import { dtypeOf } from "../shape/matrix.js";
import { allFinite, copyData } from "../ops/create.js";
import { longLived, releaseArrays } from "../ops/memory.js";
import { transpose } from "../ops/matmul.js";
import type { Floats } from "../kernels/elementwise.js";
import type { Rng, RngState } from "../ops/random.js";
import { rng, rngFromState } from "../ops/random.js";
import type { AnyNetwork } from "../nn/network.js";
import { layerBiases, layerWeights } from "../nn/network.js";
import type { InputSizeOf, OutputSizeOf } from "../nn/api.js";
import { checkNetwork } from "../nn/workspace.js";
import { backwardInto, forwardInto, lossInto } from "../nn/engine.js";
import type { Optimizer } from "../optim/optimizer.js";
import type { Dataset } from "../data/dataset.js";
import { checkDatasetOfEitherDType } from "../data/dataset.js";
import type { BatchBuffers } from "./batches.js";
import { batchBuffers, countCorrect, gatherExamples, releaseBatchBuffers } from "./batches.js";
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

/** What early stopping watches: a loss (lower is better) or an accuracy (higher is better), of the training data or of the validation data. */
export type Monitor = "loss" | "accuracy" | "validationLoss" | "validationAccuracy";

/** Stop when the monitored figure has not improved by `minDelta` for `patience` epochs. */
export interface EarlyStopping {
  /** Default "validationLoss" when there is validation data, else "loss". */
  readonly monitor?: Monitor;
  /** Epochs without improvement before stopping: a whole number of 1 or more. */
  readonly patience: number;
  /** The least change that counts as an improvement (default 0; a finite number of 0 or more). */
  readonly minDelta?: number;
  /** Put back the parameters of the best epoch when stopping (default true). */
  readonly restoreBest?: boolean;
}

/** Options of `fit`. */
export interface FitOptions<In extends number, Out extends number, V extends number = Dyn, DV extends DType = "float64"> {
  readonly epochs: number;
  readonly optimizer: Optimizer;
  /** Examples per gradient step (default 32). */
  readonly batchSize?: number;
  /** Seed of the shuffling (default 0); the same seed gives the same run. */
  readonly seed?: number;
  /** Shuffle the examples every epoch (default true). */
  readonly shuffle?: boolean;
  /** Examples to measure after every epoch (never trained on); float64 or float32, like the training data. */
  readonly validation?: Dataset<In, Out, V, DV>;
  readonly onBatchEnd?: (log: BatchLog) => void;
  /**
   * Return `false` to stop training after this epoch. `shuffle` is the shuffling state after this
   * epoch: saved with the network and the optimizer's state (`saveCheckpoint`), it lets a later
   * `fit` continue exactly (`initialEpoch: log.epoch, shuffleState: shuffle`).
   */
  readonly onEpochEnd?: (log: EpochLog, shuffle: ShuffleState) => void | boolean;
  readonly earlyStopping?: EarlyStopping;
  /**
   * Epochs already done (default 0), to continue an interrupted run: fit trains epochs
   * initialEpoch + 1 .. epochs, numbered so. With the same data, seed, batch size, optimizer state
   * and parameters, the result is bit for bit that of the uninterrupted run.
   */
  readonly initialEpoch?: number;
  /**
   * The shuffling state after epoch `initialEpoch` (from `onEpochEnd` or a checkpoint). Without it,
   * fit replays the first initialEpoch shuffles from `seed`, which gives the same state.
   */
  readonly shuffleState?: ShuffleState;
}

/** Where the shuffling is after an epoch: the generator's state and the examples' order (fit shuffles the previous order). */
export interface ShuffleState {
  readonly rng: RngState;
  readonly order: readonly number[];
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

/**
 * The loss, a gradient or an updated parameter became NaN or infinite: training stopped, the
 * parameters are those from before that step.
 */
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
 * Data and options are checked before any parameter changes. The data may be float64 or float32
 * whatever the network's element type: each batch is converted as it is gathered.
 */
export function fit<Net extends AnyNetwork, N extends number, V extends number = Dyn, D extends DType = "float64", DV extends DType = "float64">(
  net: Net, data: Dataset<InputSizeOf<Net>, OutputSizeOf<Net>, N, D>, options: FitOptions<InputSizeOf<Net>, OutputSizeOf<Net>, V, DV>,
): History {
  checkOptions("fit", options);
  // Without onBatchEnd the loop need not stop after each step (and so allocates nothing per step).
  const loop = trainingLoop(net, data, options, "fit", options.onBatchEnd !== undefined);
  let stop = false;
  for (;;) {
    const next = loop.next(stop);
    if (next.done) return next.value;
    const event = next.value;
    if (event.kind === "batch") options.onBatchEnd?.(event.log);
    else stop = options.onEpochEnd?.(event.log, event.shuffle) === false;
  }
}

/** What the training loop hands its driver: after each step, and after each epoch. */
export type TrainingEvent =
  | { readonly kind: "batch"; readonly log: BatchLog }
  | { readonly kind: "epoch"; readonly log: EpochLog; readonly shuffle: ShuffleState };

/** Throws unless `options` is an object (fit's options are required: at least epochs and an optimizer). */
export function checkOptions(op: string, options: unknown): void {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`${op} expects options { epochs, optimizer, batchSize?, ... } (they are required), got ${describe(options)}`);
  }
}

/** The options the loop itself reads (callbacks are the driver's business). */
export type LoopOptions<In extends number, Out extends number, V extends number, DV extends DType = "float64"> = Omit<FitOptions<In, Out, V, DV>, "onBatchEnd" | "onEpochEnd">;

/**
 * The one training loop behind `fit` (synchronous) and `fitAsync` (awaits callbacks, yields to the
 * event loop, stops on an AbortSignal): a generator that does one step per `next()` and yields a
 * "batch" event after it, and an "epoch" event after each epoch. The driver answers an epoch event
 * with `true` to stop (onEpochEnd returned false). Abandoning the generator between events leaves
 * the parameters of the last completed step. Nothing runs until the first `next()`, which checks
 * data and options before any parameter changes. With `batchEvents` false it runs whole epochs
 * between events.
 */
export function* trainingLoop<Net extends AnyNetwork, N extends number, V extends number = Dyn, D extends DType = "float64", DV extends DType = "float64">(
  net: Net, data: Dataset<InputSizeOf<Net>, OutputSizeOf<Net>, N, D>, options: LoopOptions<InputSizeOf<Net>, OutputSizeOf<Net>, V, DV>, op = "fit", batchEvents = true,
): Generator<TrainingEvent, History, boolean | undefined> {
  checkNetwork(op, net);
  checkOptions(op, options);
  const sizes = net.sizes;
  const features = sizes[0]!, classes = sizes[sizes.length - 1]!;
  const epochs = positiveInteger(op, "epochs", options.epochs);
  const batchSize = positiveInteger(op, "batchSize", options.batchSize ?? 32);
  const optimizer = options.optimizer;
  if (typeof optimizer?.step !== "function") throw new TypeError(`${op} expects options.optimizer (sgd, momentum or adam), got ${String(optimizer)}`);
  const { inputs, targets } = checkDatasetOfEitherDType(op, data, features, classes);
  const validation = options.validation === undefined ? undefined : checkDatasetOfEitherDType(`${op} validation`, options.validation, features, classes);
  const stopping = options.earlyStopping === undefined ? undefined : checkStopping(op, options.earlyStopping, validation !== undefined);

  const n = inputs.cols;
  // One example per row, so a batch reads contiguous memory whatever the shuffled order.
  const examples = transpose(inputs).data;
  const labelRows = transpose(targets).data;

  const initialEpoch = options.initialEpoch ?? 0;
  if (!Number.isInteger(initialEpoch) || initialEpoch < 0 || initialEpoch > epochs) {
    throw new RangeError(`${op} expects initialEpoch a whole number from 0 to epochs (${epochs}), got ${String(initialEpoch)}`);
  }
  const shuffle = options.shuffle ?? true;
  const { order, random } = startShuffle(op, n, options.seed ?? 0, shuffle ? initialEpoch : 0, options.shuffleState);
  const cache = new Map<number, BatchBuffers>();
  const evalCache = new Map<number, BatchBuffers>();
  const batches = Math.ceil(n / batchSize);
  const history: History = { epochs: [], loss: [], accuracy: [], validationLoss: [], validationAccuracy: [], stoppedEarly: false };
  const params = [...layerWeights(net), ...layerBiases(net)];
  // in the kernel heap beside the parameters, so the copy before each update is one memory.copy
  const backup = params.map((p) => longLived(dtypeOf(p.data), p.data.length));
  const shouldStop = stopping ? earlyStopper(stopping, params) : () => false;

  try {
    return yield* epochsOf();
  } finally {
    // fit's own buffers go back to the kernel heap now, not when a collection happens to run.
    releaseBatchBuffers(cache);
    releaseBatchBuffers(evalCache);
    releaseArrays(backup);
  }

  function* epochsOf(): Generator<TrainingEvent, History, boolean | undefined> {
    for (let epoch = initialEpoch + 1; epoch <= epochs; epoch++) {
      const started = performance.now();
      if (shuffle) random.shuffle(order);
      let lossSum = 0, correct = 0, seen = 0;
      for (let batch = 1; batch <= batches; batch++) {
        const start = (batch - 1) * batchSize;
        const count = Math.min(batchSize, n - start);
        const b = batchBuffers(net, cache, count);
        gatherExamples(examples, features, order, start, count, b.inputs.data);
        gatherExamples(labelRows, classes, order, start, count, b.targets.data);
        const loss = trainStep(net, b, optimizer, epoch, batch, params, backup);
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
      const stop = (yield { kind: "epoch", log, shuffle: { rng: random.state(), order: Array.from(order) } }) === true;
      if (shouldStop(log) || stop) return { ...history, stoppedEarly: true };
    }
    return history;
  }
}

/**
 * One step on a filled batch: forward, mean loss, backward, update. Throws a TrainingError before
 * the update when the loss or a gradient is not finite, so the parameters stay as they were; and
 * after it when an updated parameter is not finite (a learning rate that overflows), putting back
 * the parameters copied into `backup` before the update.
 */
function trainStep(
  net: AnyNetwork, b: BatchBuffers, optimizer: Optimizer, epoch: number, batch: number,
  params: readonly MatrixLike[], backup: readonly Floats[],
): number {
  forwardInto(net, b.inputs, b.ws);
  lossInto(net, b.targets, b.ws);
  const loss = b.ws.result.loss;
  if (!Number.isFinite(loss)) throw new TrainingError(epoch, batch, "loss");
  backwardInto(net, b.targets, b.ws);
  if (!allEntriesFinite(b.ws.gradients.weights) || !allEntriesFinite(b.ws.gradients.biases)) throw new TrainingError(epoch, batch, "gradient");
  for (let p = 0; p < params.length; p++) copyData(params[p]!.data, backup[p]!);
  optimizer.step(net, b.ws.gradients);
  if (!allEntriesFinite(params)) {
    for (let p = 0; p < params.length; p++) copyData(backup[p]!, params[p]!.data);
    throw new TrainingError(epoch, batch, "updated parameters");
  }
  return loss;
}

/**
 * The examples' order and the shuffling generator at the start of epoch `done + 1`: from a saved
 * state, or by replaying `done` shuffles from the seed (each epoch shuffles the previous order).
 */
function startShuffle(op: string, n: number, seed: number, done: number, saved: ShuffleState | undefined): { order: Int32Array; random: Rng } {
  const order = Int32Array.from({ length: n }, (_, j) => j);
  if (saved === undefined) {
    const random = rng(seed);
    for (let e = 0; e < done; e++) random.shuffle(order);
    return { order, random };
  }
  const given: unknown = saved.order;
  if (!Array.isArray(given) || given.length !== n) throw new RangeError(`${op} expects shuffleState.order to list the ${n} examples, got ${Array.isArray(given) ? `${given.length} entries` : typeof given}`);
  const seen = new Uint8Array(n);
  given.forEach((j: unknown, i) => {
    if (typeof j !== "number" || !Number.isInteger(j) || j < 0 || j >= n || seen[j]) throw new RangeError(`${op} expects shuffleState.order to be an order of 0..${n - 1}, got ${String(j)} at ${i}`);
    seen[j] = 1;
    order[i] = j;
  });
  return { order, random: rngFromState(saved.rng) };
}

/** The early-stopping settings, checked: a known monitor (with the validation data it needs), patience and minDelta. */
function checkStopping(op: string, stopping: unknown, hasValidation: boolean): Required<Omit<EarlyStopping, "restoreBest">> & EarlyStopping {
  if (typeof stopping !== "object" || stopping === null) throw new TypeError(`${op} expects earlyStopping { patience, monitor?, minDelta? }, got ${describe(stopping)}`);
  const s = stopping as EarlyStopping;
  const monitor = s.monitor ?? (hasValidation ? "validationLoss" : "loss");
  const monitors: readonly unknown[] = ["loss", "accuracy", "validationLoss", "validationAccuracy"];
  if (!monitors.includes(monitor)) throw new RangeError(`${op} expects earlyStopping.monitor loss, accuracy, validationLoss or validationAccuracy, got ${describe(monitor)}`);
  if (monitor.startsWith("validation") && !hasValidation) throw new RangeError(`${op} expects validation data to monitor ${monitor}`);
  positiveInteger(op, "earlyStopping.patience", s.patience);
  const minDelta = s.minDelta ?? 0;
  if (typeof minDelta !== "number" || !Number.isFinite(minDelta) || minDelta < 0) throw new RangeError(`${op} expects earlyStopping.minDelta a finite number of 0 or more, got ${describe(minDelta)}`);
  if (s.restoreBest !== undefined && typeof s.restoreBest !== "boolean") throw new TypeError(`${op} expects earlyStopping.restoreBest true or false, got ${describe(s.restoreBest)}`);
  return { ...s, monitor, minDelta };
}

/**
 * Early stopping: `update(log)` is true once the monitored figure has not improved by minDelta for
 * `patience` epochs (a loss must fall, an accuracy rise); the best epoch's parameters are then put
 * back (unless restoreBest is false).
 */
function earlyStopper(stopping: Required<Omit<EarlyStopping, "restoreBest">> & EarlyStopping, params: readonly MatrixLike[]): (log: EpochLog) => boolean {
  const higherIsBetter = stopping.monitor.endsWith("ccuracy");
  let best = -Infinity, sinceBest = 0, bestParams: Floats[] | undefined;
  return (log) => {
    const figure = log[stopping.monitor] ?? Number.NaN;
    const score = higherIsBetter ? figure : -figure;
    if (score > best + stopping.minDelta) {
      best = score;
      sinceBest = 0;
      if (stopping.restoreBest ?? true) bestParams = params.map((p) => p.data.slice());
      return false;
    }
    if (++sinceBest < stopping.patience) return false;
    if (bestParams) params.forEach((p, i) => p.data.set(bestParams![i]!));
    return true;
  };
}

function allEntriesFinite(list: readonly (MatrixLike | null)[]): boolean {
  for (const m of list) if (m && !allFinite(m.data)) return false;
  return true;
}
