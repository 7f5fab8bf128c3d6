/**
 * The main job: train a digit classifier (the notes' 784-128-10 network, or a small CNN) on the
 * real MNIST digits of the `mnist` package, with progress, then report test accuracy, a confusion
 * matrix and timing, and write the model, a checkpoint and plots to --out.
 */
import { writeFileSync } from "node:fs";
import {
  adam, fit, getSimdVariant, labelsOf, momentum, setBackend, sgd, summary,
  type Dataset, type Dyn, type EpochLog, type History, type Optimizer, type ShuffleState,
} from "../../src/index.js";
import { shifter } from "./augment.js";
import { HELP, OUTPUT_FILES, UsageError, outputPaths, parseTrainArgs, prepareOutFolder, type OutputFile, type TrainOptions } from "./cli.js";
import { confusionTable, formatLoss, percent, plural, progressLine, seconds, terminalChart } from "./format.js";
import { loadSplit } from "./load.js";
import { buildNetwork, describeNetwork, saveModels, type AnyDigitNet } from "./model.js";
import { consoleOutput, type Output } from "./output.js";
import { testMeasurer, type Measured } from "./measure.js";
import { checkpointEpoch, checkpointPath, historyOf, resumeRun, type Resumed } from "./resume.js";
import { curvesSvg, digitsSvg } from "./svg.js";

function makeOptimizer(o: TrainOptions, learningRate = o.learningRate): Optimizer {
  if (o.optimizer === "sgd") return sgd({ learningRate });
  if (o.optimizer === "momentum") return momentum({ learningRate, beta: 0.9 });
  return adam({ learningRate });
}

/** The learning rate of epoch `epoch` (from 1) under the options' schedule. */
export function learningRateOf(o: TrainOptions, epoch: number): number {
  return o.schedule === "cosine" ? (o.learningRate * (1 + Math.cos((Math.PI * (epoch - 1)) / o.epochs))) / 2 : o.learningRate;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/**
 * Runs the job; returns the process exit code: 0 done, 1 failed, 2 bad flags or an unusable --out
 * (checked before any data is read). Results go to `out.line`, errors to `out.error` (stderr).
 */
export function runTraining(argv: readonly string[], out: Output = consoleOutput()): number {
  let options: TrainOptions | "help";
  try {
    options = parseTrainArgs(argv);
    if (options !== "help") prepareOutFolder(options.out);
  } catch (e) {
    if (e instanceof UsageError) {
      out.error(`train: ${e.message}`);
      return 2;
    }
    throw e;
  }
  if (options === "help") {
    out.line(HELP.trimEnd());
    return 0;
  }
  try {
    train(options, argv, out);
    return 0;
  } catch (e) {
    out.error(`train: ${message(e)}`);
    return 1;
  }
}

/** The flags given on the command line, by name (for --resume, which lets a few of them override the saved ones). */
const flagsOf = (argv: readonly string[]) => argv.filter((a) => a.startsWith("--")).map((a) => a.split("=")[0]!);

function train(given: TrainOptions, argv: readonly string[], out: Output): void {
  const started = performance.now();
  const resumed = given.resume === undefined ? undefined : resumeRun({ ...given, resume: given.resume }, flagsOf(argv));
  const o = resumed?.options ?? given;
  const backend = setBackend(o.backend);
  const data = loadSplit(o.limitPerClass, o.testFraction, o.seed);
  if (resumed) {
    out.line(`resuming ${checkpointPath(o.resume!)} after epoch ${resumed.fitOptions.initialEpoch}`);
    run(o, resumed.net, data, out, started, backend, resumed);
  } else if (o.dtype === "float32") run(o, buildNetwork(o, "float32"), data, out, started, backend);
  else run(o, buildNetwork(o, "float64"), data, out, started, backend);
}

/** The digits as loadSplit gives them: float32 pixels (fit converts each batch to the network's type). */
interface Split {
  readonly train: Dataset<784, 10, Dyn, "float32">;
  readonly test: Dataset<784, 10, Dyn, "float32">;
  readonly total: number;
}

function run(o: TrainOptions, net: AnyDigitNet, data: Split, out: Output, started: number, backend: string, resumed?: Resumed): void {
  const { train: trainSet, test } = data;
  const n = trainSet.inputs.cols;
  // relaxed SIMD's fused multiply-adds round differently: worth saying when they run
  const relaxed = backend !== "js" && getSimdVariant() === "relaxed" ? ", relaxed SIMD" : "";
  const products = (o.dtype === "float32" ? "float32 network" : `${backend} kernels`) + relaxed;
  const rate = o.schedule === "cosine" ? `lr ${o.learningRate} cosine` : `lr ${o.learningRate}`;
  out.line(`shapegrad: ${describeNetwork(net)}, ${o.optimizer} ${rate}, batch ${o.batchSize}, ${plural(o.epochs, "epoch")}, ${products}`);
  if (o.model === "cnn") out.line(summary(net).table);
  out.line(`data: ${data.total.toLocaleString("en-US")} MNIST digits from the mnist package, ${n.toLocaleString("en-US")} train / ${test.inputs.cols.toLocaleString("en-US")} test (stratified, seed ${o.seed})` +
    (o.augment ? `, training digits shifted by up to 2 pixels each epoch` : ""));

  const trainStart = performance.now();
  const { history, checkpointSeconds, measured } = trainEpochs(o, net, data, out, resumed);
  const trainSeconds = (performance.now() - trainStart) / 1000;
  const newEpochs = history.epochs.length - (resumed?.history.length ?? 0);

  const m = test.inputs.cols;
  const { predicted } = measured; // by the last epoch's measurement, with the final parameters
  const truth = labelsOf(test);
  const confusion = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
  const wrong: { pixels: Float64Array; predicted: number; truth: number }[] = [];
  predicted.forEach((p, j) => {
    confusion[truth[j]!]![p]! += 1;
    if (p !== truth[j] && wrong.length < 40) {
      const pixels = new Float64Array(784);
      for (let i = 0; i < 784; i++) pixels[i] = test.inputs.data[i * m + j]!;
      wrong.push({ pixels, predicted: p, truth: truth[j]! });
    }
  });

  const paths = outputPaths(o.out);
  const samples = Array.from({ length: Math.min(8, m) }, (_, j) => Array.from({ length: 784 }, (_, i) => test.inputs.data[i * m + j]!));
  const written = new Set<OutputFile>([...saveModels(net, paths), "checkpoint.safetensors"]); // the checkpoint: after every epoch
  const writers: Partial<Record<OutputFile, (path: string) => void>> = {
    "curves.svg": (path) => writeFileSync(path, curvesSvg(history)),
    "misclassified.svg": (path) => writeFileSync(path, digitsSvg(wrong)),
    "history.json": (path) => writeFileSync(path, JSON.stringify({ options: { ...o, limitPerClass: String(o.limitPerClass) }, ...history }, null, 2)),
    "sample-digits.json": (path) => writeFileSync(path, JSON.stringify(samples)),
  };
  for (const [file, write] of Object.entries(writers) as [OutputFile, (path: string) => void][]) {
    write(paths[file]);
    written.add(file);
  }

  out.line("");
  out.line(terminalChart("training loss per epoch", history.loss));
  out.line("");
  out.line("confusion matrix (rows true digit, columns predicted):");
  out.line(confusionTable(confusion));
  out.line("");
  out.line(`test loss: ${formatLoss(measured.loss)}`);
  out.line(`test accuracy: ${percent(measured.accuracy)}`);
  const saving = checkpointSeconds > 0 ? ` (checkpoints ${seconds(checkpointSeconds)} of it)` : "";
  out.line(`time: ${seconds((performance.now() - started) / 1000)} in all, training ${seconds(trainSeconds)}${saving}, ${Math.round((n * newEpochs) / trainSeconds).toLocaleString("en-US")} samples/s`);
  const files = OUTPUT_FILES.filter((f) => written.has(f.file));
  const width = Math.max(...files.map((f) => paths[f.file].length));
  out.line(`wrote ${plural(files.length, "file")} into ${o.out}:`);
  for (const f of files) out.line(`  ${paths[f.file].padEnd(width)}  ${f.what}`);
}

/**
 * An optimizer whose learning rate follows the options' schedule: it hands every step to an
 * optimizer of the current epoch's rate, and `startEpoch(e)` replaces that one by one of epoch e's
 * rate holding its state (moments, step count). One `fit` can then run the whole schedule; the
 * arithmetic is that of an optimizer whose rate changes between epochs.
 */
function scheduled(o: TrainOptions, net: AnyDigitNet, initial: Optimizer): { optimizer: Optimizer; startEpoch(epoch: number): void } {
  let current = initial;
  const optimizer: Optimizer = {
    name: initial.name,
    get learningRate() {
      return current.learningRate;
    },
    step: (n, gradients) => current.step(n, gradients),
    getState: (n) => current.getState(n),
    setState: (n, state) => current.setState(n, state),
  };
  return {
    optimizer,
    startEpoch(epoch) {
      if (epoch > o.epochs) return; // after the last epoch (cosine's rate there would be 0)
      const rate = learningRateOf(o, epoch);
      if (rate === current.learningRate) return;
      const next = makeOptimizer(o, rate);
      next.setState(net, current.getState(net));
      current = next;
    },
  };
}

/**
 * The epochs: one `fit` over all of them, or with --augment one `fit` per epoch on freshly shifted
 * digits (the optimizer's state and the shuffling continue from epoch to epoch, as in one fit).
 * After each epoch the test digits are measured (measure.ts), the checkpoint is saved, and a
 * line is printed; a progress bar is drawn on a terminal. Returns the whole run's history (a
 * resumed run's earlier epochs first), the time the checkpoints took, and the measurer.
 */
function trainEpochs(o: TrainOptions, net: AnyDigitNet, data: Split, out: Output, resumed?: Resumed): { history: History; checkpointSeconds: number; measured: Measured } {
  const { train: trainSet, test } = data;
  const n = trainSet.inputs.cols;
  const schedule = scheduled(o, net, resumed?.fitOptions.optimizer ?? makeOptimizer(o, learningRateOf(o, 1)));
  const optimizer = schedule.optimizer;
  const done: EpochLog[] = [...(resumed?.history ?? [])];
  const first = resumed?.fitOptions.initialEpoch ?? 0;
  schedule.startEpoch(first + 1);
  let shuffleState: ShuffleState | undefined = resumed?.fitOptions.shuffleState;
  let checkpointSeconds = 0, stoppedEarly = false;
  const tester = testMeasurer(net, test);
  let measured: Measured | undefined;

  // The rate is measured from the start of the epoch (the end of the previous one), and shown once
  // there is enough time behind it: the first batch alone would give a meaningless figure.
  let epochStart = performance.now(), lastDraw = 0;
  const onBatchEnd = (b: { epoch: number; batch: number; batches: number; seen: number; runningLoss: number }) => {
    const now = performance.now();
    if (now - lastDraw < 100 && b.batch !== b.batches) return;
    lastDraw = now;
    const elapsed = (now - epochStart) / 1000;
    const rate = elapsed >= 0.2 || b.batch === b.batches ? b.seen / elapsed : undefined;
    out.status(progressLine(b.epoch, o.epochs, b.batch, b.batches, b.runningLoss, rate, rate === undefined ? undefined : (n - b.seen) / rate));
  };
  const onEpochEnd = (trained: EpochLog, shuffle: ShuffleState) => {
    const measuring = performance.now();
    measured = tester.measure();
    const e: EpochLog = {
      ...trained, epochs: o.epochs, validationLoss: measured.loss, validationAccuracy: measured.accuracy,
      seconds: trained.seconds + (performance.now() - measuring) / 1000,
    };
    done.push(e);
    shuffleState = shuffle;
    const saving = performance.now();
    checkpointEpoch(o, net, optimizer, e, shuffle, done);
    checkpointSeconds += (performance.now() - saving) / 1000;
    out.line(`epoch ${String(e.epoch).padStart(String(o.epochs).length)}/${o.epochs}  loss ${formatLoss(e.loss)}  accuracy ${percent(e.accuracy)}  ` +
      `test loss ${formatLoss(measured.loss)}  test accuracy ${percent(measured.accuracy)}  ` +
      `${seconds(e.seconds)}  ${Math.round(n / e.seconds).toLocaleString("en-US")} samples/s`);
    schedule.startEpoch(e.epoch + 1);
    epochStart = performance.now();
  };
  // Without onBatchEnd, fit runs whole epochs between its events (no progress to draw when piped).
  const settings = { batchSize: o.batchSize, optimizer, seed: o.seed, onEpochEnd, ...(out.isTTY ? { onBatchEnd } : {}) };
  if (!o.augment) {
    stoppedEarly = fit(net, trainSet, { ...settings, epochs: o.epochs, initialEpoch: first, ...(shuffleState ? { shuffleState } : {}) }).stoppedEarly;
  } else {
    const shifted = shifter(trainSet, o.seed);
    for (let epoch = first + 1; epoch <= o.epochs; epoch++) {
      shifted.shift(epoch);
      stoppedEarly ||= fit(net, shifted.data, { ...settings, epochs: epoch, initialEpoch: epoch - 1, ...(shuffleState ? { shuffleState } : {}) }).stoppedEarly;
    }
  }
  return { history: historyOf(done, stoppedEarly), checkpointSeconds, measured: measured ?? tester.measure() };
}
