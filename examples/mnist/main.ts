/**
 * The main job: train a digit classifier (the notes' 784-128-10 network, or a small CNN) on the
 * real MNIST digits of the `mnist` package, with progress, then report test accuracy, a confusion
 * matrix and timing, and write the model, a checkpoint and plots to --out.
 */
import { writeFileSync } from "node:fs";
import {
  adam, argmax, fit, labelsOf, momentum, predict, setBackend, sgd, summary, toDType,
  type Dataset, type Dyn, type EpochLog, type History, type Optimizer, type ShuffleState,
} from "../../src/index.js";
import { shifter } from "./augment.js";
import { HELP, OUTPUT_FILES, UsageError, outputPaths, parseTrainArgs, prepareOutFolder, type OutputFile, type TrainOptions } from "./cli.js";
import { confusionTable, formatLoss, percent, plural, progressLine, seconds, terminalChart } from "./format.js";
import { loadSplit } from "./load.js";
import { buildNetwork, describeNetwork, saveModels, type AnyDigitNet } from "./model.js";
import { isMlp } from "./network-file.js";
import { consoleOutput, type Output } from "./output.js";
import { checkpointEpoch, checkpointPath, joinHistory, resumeRun, type Resumed } from "./resume.js";
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

interface Split {
  readonly train: Dataset<784, 10, Dyn>;
  readonly test: Dataset<784, 10, Dyn>;
  readonly total: number;
}

function run(o: TrainOptions, net: AnyDigitNet, data: Split, out: Output, started: number, backend: string, resumed?: Resumed): void {
  const { train: trainSet, test } = data;
  const n = trainSet.inputs.cols;
  const products = o.dtype === "float32" ? "float32 network" : `${backend} kernels`;
  const rate = o.schedule === "cosine" ? `lr ${o.learningRate} cosine` : `lr ${o.learningRate}`;
  out.line(`shapegrad: ${describeNetwork(net)}, ${o.optimizer} ${rate}, batch ${o.batchSize}, ${plural(o.epochs, "epoch")}, ${products}`);
  if (o.model === "cnn") out.line(summary(net).table);
  out.line(`data: ${data.total.toLocaleString("en-US")} MNIST digits from the mnist package, ${n.toLocaleString("en-US")} train / ${test.inputs.cols.toLocaleString("en-US")} test (stratified, seed ${o.seed})` +
    (o.augment ? `, training digits shifted by up to 2 pixels each epoch` : ""));

  const trainStart = performance.now();
  const { history, checkpointSeconds } = trainEpochs(o, net, data, out, resumed);
  const trainSeconds = (performance.now() - trainStart) / 1000;
  const newEpochs = history.epochs.length - (resumed?.history.length ?? 0);

  const m = test.inputs.cols;
  const predicted = net.dtype === "float64" ? argmax(predict(net, test.inputs)) : argmax(predict(net, toDType(test.inputs, "float32")));
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
  // The last epoch measured the test digits with the final parameters: its figures are the result.
  const last = history.epochs.at(-1)!;

  const paths = outputPaths(o.out);
  const samples = Array.from({ length: Math.min(8, m) }, (_, j) => Array.from({ length: 784 }, (_, i) => test.inputs.data[i * m + j]!));
  const written = new Set<OutputFile>(saveModels(net, paths));
  if (isMlp(net)) written.add("checkpoint.safetensors"); // written after every epoch
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
  out.line(`test loss: ${formatLoss(last.validationLoss!)}`);
  out.line(`test accuracy: ${percent(last.validationAccuracy!)}`);
  const saving = checkpointSeconds > 0 ? ` (checkpoints ${seconds(checkpointSeconds)} of it)` : "";
  out.line(`time: ${seconds((performance.now() - started) / 1000)} in all, training ${seconds(trainSeconds)}${saving}, ${Math.round((n * newEpochs) / trainSeconds).toLocaleString("en-US")} samples/s`);
  const files = OUTPUT_FILES.filter((f) => written.has(f.file));
  const width = Math.max(...files.map((f) => paths[f.file].length));
  out.line(`wrote ${plural(files.length, "file")} into ${o.out}:`);
  for (const f of files) out.line(`  ${paths[f.file].padEnd(width)}  ${f.what}`);
}

/**
 * The epochs: one `fit` over all of them, or one `fit` per epoch, with --augment (on freshly
 * shifted digits) or a learning-rate schedule (an optimizer of the epoch's rate, handed the state
 * of the one before): the optimizer's state and the shuffling continue from epoch to epoch, as in
 * one fit. An mlp saves its checkpoint after every epoch. Prints a line per epoch, and a progress
 * bar on a terminal. Returns the whole run's history (a resumed run's earlier epochs first) and
 * the time the checkpoints took.
 */
function trainEpochs(o: TrainOptions, net: AnyDigitNet, data: Split, out: Output, resumed?: Resumed): { history: History; checkpointSeconds: number } {
  const { train: trainSet, test } = data;
  const n = trainSet.inputs.cols;
  let optimizer = resumed?.fitOptions.optimizer ?? makeOptimizer(o, learningRateOf(o, 1));
  const done: EpochLog[] = [...(resumed?.history ?? [])];
  const first = resumed?.fitOptions.initialEpoch ?? 0;
  let shuffleState: ShuffleState | undefined = resumed?.fitOptions.shuffleState;
  let checkpointSeconds = 0;

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
  const onEpochEnd = (e: EpochLog, shuffle: ShuffleState) => {
    done.push(e);
    shuffleState = shuffle;
    if (isMlp(net)) {
      const saving = performance.now();
      checkpointEpoch(o, net, optimizer, e, shuffle, done);
      checkpointSeconds += (performance.now() - saving) / 1000;
    }
    out.line(`epoch ${String(e.epoch).padStart(String(o.epochs).length)}/${o.epochs}  loss ${formatLoss(e.loss)}  accuracy ${percent(e.accuracy)}  ` +
      `test loss ${formatLoss(e.validationLoss!)}  test accuracy ${percent(e.validationAccuracy!)}  ` +
      `${seconds(e.seconds)}  ${Math.round(n / e.seconds).toLocaleString("en-US")} samples/s`);
    epochStart = performance.now();
  };
  // Without onBatchEnd, fit runs whole epochs between its events (no progress to draw when piped).
  const settings = {
    batchSize: o.batchSize, optimizer, seed: o.seed, validation: test, onEpochEnd,
    ...(out.isTTY ? { onBatchEnd } : {}),
  };
  if (!o.augment && o.schedule === "constant") {
    const h = fit(net, trainSet, { ...settings, epochs: o.epochs, initialEpoch: first, ...(shuffleState ? { shuffleState } : {}) });
    return { history: joinHistory(resumed?.history ?? [], [h]), checkpointSeconds };
  }
  const shifted = o.augment ? shifter(trainSet, o.seed) : undefined;
  const runs: History[] = [];
  for (let epoch = first + 1; epoch <= o.epochs; epoch++) {
    shifted?.shift(epoch);
    if (learningRateOf(o, epoch) !== optimizer.learningRate) {
      const next = makeOptimizer(o, learningRateOf(o, epoch));
      next.setState(net, optimizer.getState(net));
      optimizer = next;
    }
    runs.push(fit(net, shifted?.data ?? trainSet, { ...settings, optimizer, epochs: epoch, initialEpoch: epoch - 1, ...(shuffleState ? { shuffleState } : {}) }));
  }
  return { history: joinHistory(resumed?.history ?? [], runs), checkpointSeconds };
}
