/**
 * The main job: train the notes' network (784-128-10, ReLU, softmax, cross-entropy) on the real
 * MNIST digits of the `mnist` package, with progress, then report test accuracy, a confusion matrix
 * and timing, and write the model and plots to --out.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { adam, argmax, evaluate, fit, labelsOf, mlp, momentum, predict, setBackend, sgd, split, type EpochLog, type Mlp, type Optimizer } from "../../src/index.js";
import { HELP, UsageError, parseTrainArgs, type TrainOptions } from "./cli.js";
import { confusionTable, formatLoss, percent, progressLine, seconds, terminalChart } from "./format.js";
import { loadMnist } from "./load.js";
import { curvesSvg, digitsSvg } from "./svg.js";
import { checkpointEpoch, joinHistory, resumeRun, saveModels } from "./resume.js";

/** Where the job writes: `line` prints a line; `status` redraws the progress line (TTY only). */
export interface Output {
  readonly isTTY: boolean;
  line(text: string): void;
  status(text: string): void;
}

/** stdout: a redrawn progress line on a terminal; plain lines only when piped (CI, files). */
export const consoleOutput: Output = process.stdout.isTTY
  ? {
    isTTY: true,
    line: (text) => process.stdout.write(`\r\x1b[2K${text}\n`),
    status: (text) => process.stdout.write(`\r\x1b[2K${text}`),
  }
  : { isTTY: false, line: (text) => process.stdout.write(`${text}\n`), status: () => {} };

function makeOptimizer(o: TrainOptions): Optimizer {
  if (o.optimizer === "sgd") return sgd({ learningRate: o.learningRate });
  if (o.optimizer === "momentum") return momentum({ learningRate: o.learningRate, beta: 0.9 });
  return adam({ learningRate: o.learningRate });
}

/** Runs the job; returns the process exit code (0 done, 1 failed, 2 bad flags). */
export function runTraining(argv: readonly string[], out: Output = consoleOutput): number {
  let options: TrainOptions | "help";
  try {
    options = parseTrainArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      out.line(`train: ${e.message}`);
      return 2;
    }
    throw e;
  }
  if (options === "help") {
    out.line(HELP.trimEnd());
    return 0;
  }
  try {
    train(options, out);
    return 0;
  } catch (e) {
    out.line(`train: ${(e as Error).message}`);
    return 1;
  }
}

function train(given: TrainOptions, out: Output): void {
  const started = performance.now();
  const resumed = given.resume === undefined ? undefined : resumeRun({ ...given, resume: given.resume }, new Set(given.given));
  const o = resumed?.options ?? given;
  const backend = setBackend(o.backend);
  const all = loadMnist(o.limitPerClass);
  const { train: trainSet, test } = split(all, { testFraction: o.testFraction, seed: o.seed });
  const sizes = [784, ...o.hidden, 10] as const;
  // resumeRun checked that the checkpoint's network has the sizes 784, ...hidden, 10 of its saved flags.
  const net = resumed ? (resumed.net as unknown as Mlp<[784, ...number[], 10]>) : mlp([784, ...o.hidden, 10], { seed: o.seed });
  const optimizer = resumed?.fitOptions.optimizer ?? makeOptimizer(o);
  const before = resumed?.history ?? [];
  if (resumed) out.line(`resuming ${join(o.resume!, "checkpoint.safetensors")} after epoch ${resumed.fitOptions.initialEpoch}`);
  const n = trainSet.inputs.cols;
  out.line(`shapegrad: ${sizes.join("-")} network (ReLU, softmax, cross-entropy), ${o.optimizer} lr ${o.learningRate}, batch ${o.batchSize}, ${o.epochs} epochs, ${backend} kernels`);
  out.line(`data: ${all.inputs.cols.toLocaleString("en-US")} MNIST digits from the mnist package, ${n.toLocaleString("en-US")} train / ${test.inputs.cols.toLocaleString("en-US")} test (stratified, seed ${o.seed})`);

  let epochStart = performance.now(), lastDraw = 0;
  const trainStart = performance.now();
  mkdirSync(o.out, { recursive: true });
  const done: EpochLog[] = [...before];
  const run = fit(net, trainSet, {
    epochs: o.epochs, batchSize: o.batchSize, optimizer, seed: o.seed, validation: test, ...resumed?.fitOptions,
    onBatchEnd: (b) => {
      if (b.batch === 1) epochStart = performance.now();
      const now = performance.now();
      if (!out.isTTY || (now - lastDraw < 100 && b.batch !== b.batches)) return;
      lastDraw = now;
      const elapsed = (now - epochStart) / 1000;
      const rate = b.seen / Math.max(elapsed, 1e-9);
      out.status(progressLine(b.epoch, o.epochs, b.batch, b.batches, b.runningLoss, rate, (n - b.seen) / rate));
    },
    onEpochEnd: (e, shuffle) => {
      done.push(e);
      checkpointEpoch(o, net, optimizer, e, shuffle, done);
      out.line(`epoch ${String(e.epoch).padStart(String(o.epochs).length)}/${o.epochs}  loss ${formatLoss(e.loss)}  accuracy ${percent(e.accuracy)}  ` +
        `test loss ${formatLoss(e.validationLoss!)}  test accuracy ${percent(e.validationAccuracy!)}  ` +
        `${seconds(e.seconds)}  ${Math.round(n / e.seconds).toLocaleString("en-US")} samples/s`);
    },
  });
  const trainSeconds = (performance.now() - trainStart) / 1000;
  const history = joinHistory(before, run);

  const result = evaluate(net, test);
  const predicted = argmax(predict(net, test.inputs));
  const truth = labelsOf(test);
  const confusion = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
  const wrong: { pixels: Float64Array; predicted: number; truth: number }[] = [];
  const m = test.inputs.cols;
  predicted.forEach((p, j) => {
    confusion[truth[j]!]![p]! += 1;
    if (p !== truth[j] && wrong.length < 40) {
      const pixels = new Float64Array(784);
      for (let i = 0; i < 784; i++) pixels[i] = test.inputs.data[i * m + j]!;
      wrong.push({ pixels, predicted: p, truth: truth[j]! });
    }
  });

  const modelPaths = saveModels(net, o.out);
  writeFileSync(join(o.out, "curves.svg"), curvesSvg(history));
  writeFileSync(join(o.out, "misclassified.svg"), digitsSvg(wrong));
  writeFileSync(join(o.out, "history.json"), JSON.stringify({ options: { ...o, limitPerClass: String(o.limitPerClass) }, ...history }, null, 2));
  const samples = Array.from({ length: Math.min(8, m) }, (_, j) => Array.from({ length: 784 }, (_, i) => test.inputs.data[i * m + j]!));
  writeFileSync(join(o.out, "sample-digits.json"), JSON.stringify(samples));

  out.line("");
  out.line(terminalChart("training loss per epoch", history.loss));
  out.line("");
  out.line("confusion matrix (rows true digit, columns predicted):");
  out.line(confusionTable(confusion));
  out.line("");
  out.line(`test loss: ${formatLoss(result.loss)}`);
  out.line(`test accuracy: ${percent(result.accuracy)}`);
  out.line(`time: ${seconds((performance.now() - started) / 1000)} in all, training ${seconds(trainSeconds)}, ${Math.round((n * run.epochs.length) / trainSeconds).toLocaleString("en-US")} samples/s`);
  out.line(`wrote ${modelPaths.join(", ")}, ${join(o.out, "checkpoint.safetensors")}, ${join(o.out, "curves.svg")}, ${join(o.out, "misclassified.svg")}, ${join(o.out, "history.json")}, ${join(o.out, "sample-digits.json")}`);
}
