/**
 * The main job: train the notes' network (784-128-10, ReLU, softmax, cross-entropy) on the real
 * MNIST digits of the `mnist` package, with progress, then report test accuracy, a confusion matrix
 * and timing, and write the model and plots to --out.
 */
import { writeFileSync } from "node:fs";
import { adam, argmax, evaluate, fit, labelsOf, mlp, momentum, predict, setBackend, sgd, split, type Optimizer } from "../../src/index.js";
import { saveModel } from "../../src/node.js";
import { HELP, OUTPUT_FILES, UsageError, outputPaths, parseTrainArgs, prepareOutFolder, type OutputFile, type TrainOptions } from "./cli.js";
import { confusionTable, formatLoss, percent, plural, progressLine, seconds, terminalChart } from "./format.js";
import { loadMnist } from "./load.js";
import { consoleOutput, type Output } from "./output.js";
import { curvesSvg, digitsSvg } from "./svg.js";

function makeOptimizer(o: TrainOptions): Optimizer {
  if (o.optimizer === "sgd") return sgd({ learningRate: o.learningRate });
  if (o.optimizer === "momentum") return momentum({ learningRate: o.learningRate, beta: 0.9 });
  return adam({ learningRate: o.learningRate });
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
    train(options, out);
    return 0;
  } catch (e) {
    out.error(`train: ${message(e)}`);
    return 1;
  }
}

function train(o: TrainOptions, out: Output): void {
  const started = performance.now();
  const backend = setBackend(o.backend);
  const all = loadMnist(o.limitPerClass);
  const { train: trainSet, test } = split(all, { testFraction: o.testFraction, seed: o.seed });
  const sizes = [784, ...o.hidden, 10] as const;
  const net = mlp([784, ...o.hidden, 10], { seed: o.seed });
  const n = trainSet.inputs.cols;
  out.line(`shapegrad: ${sizes.join("-")} network (ReLU, softmax, cross-entropy), ${o.optimizer} lr ${o.learningRate}, batch ${o.batchSize}, ${plural(o.epochs, "epoch")}, ${backend} kernels`);
  out.line(`data: ${all.inputs.cols.toLocaleString("en-US")} MNIST digits from the mnist package, ${n.toLocaleString("en-US")} train / ${test.inputs.cols.toLocaleString("en-US")} test (stratified, seed ${o.seed})`);

  // The rate is measured from the start of the epoch (the end of the previous one), and shown once
  // there is enough time behind it: the first batch alone would give a meaningless figure.
  let epochStart = performance.now(), lastDraw = 0;
  const trainStart = epochStart;
  const history = fit(net, trainSet, {
    epochs: o.epochs, batchSize: o.batchSize, optimizer: makeOptimizer(o), seed: o.seed, validation: test,
    onBatchEnd: (b) => {
      const now = performance.now();
      if (!out.isTTY || (now - lastDraw < 100 && b.batch !== b.batches)) return;
      lastDraw = now;
      const elapsed = (now - epochStart) / 1000;
      const rate = elapsed >= 0.2 || b.batch === b.batches ? b.seen / elapsed : undefined;
      out.status(progressLine(b.epoch, o.epochs, b.batch, b.batches, b.runningLoss, rate, rate === undefined ? undefined : (n - b.seen) / rate));
    },
    onEpochEnd: (e) => {
      out.line(`epoch ${String(e.epoch).padStart(String(o.epochs).length)}/${o.epochs}  loss ${formatLoss(e.loss)}  accuracy ${percent(e.accuracy)}  ` +
        `test loss ${formatLoss(e.validationLoss!)}  test accuracy ${percent(e.validationAccuracy!)}  ` +
        `${seconds(e.seconds)}  ${Math.round(n / e.seconds).toLocaleString("en-US")} samples/s`);
      epochStart = performance.now();
    },
  });
  const trainSeconds = (performance.now() - trainStart) / 1000;

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

  // Every file of OUTPUT_FILES, and only those (the Record's type makes a missing one an error).
  const paths = outputPaths(o.out);
  const samples = Array.from({ length: Math.min(8, m) }, (_, j) => Array.from({ length: 784 }, (_, i) => test.inputs.data[i * m + j]!));
  const writers: Record<OutputFile, (path: string) => void> = {
    "model.json": (path) => saveModel(net, path),
    "curves.svg": (path) => writeFileSync(path, curvesSvg(history)),
    "misclassified.svg": (path) => writeFileSync(path, digitsSvg(wrong)),
    "history.json": (path) => writeFileSync(path, JSON.stringify({ options: { ...o, limitPerClass: String(o.limitPerClass) }, ...history }, null, 2)),
    "sample-digits.json": (path) => writeFileSync(path, JSON.stringify(samples)),
  };
  for (const { file } of OUTPUT_FILES) writers[file](paths[file]);

  out.line("");
  out.line(terminalChart("training loss per epoch", history.loss));
  out.line("");
  out.line("confusion matrix (rows true digit, columns predicted):");
  out.line(confusionTable(confusion));
  out.line("");
  out.line(`test loss: ${formatLoss(result.loss)}`);
  out.line(`test accuracy: ${percent(result.accuracy)}`);
  out.line(`time: ${seconds((performance.now() - started) / 1000)} in all, training ${seconds(trainSeconds)}, ${Math.round((n * history.epochs.length) / trainSeconds).toLocaleString("en-US")} samples/s`);
  out.line(`wrote ${plural(OUTPUT_FILES.length, "file")} into ${o.out}:`);
  for (const f of OUTPUT_FILES) out.line(`  ${paths[f.file].padEnd(Math.max(...OUTPUT_FILES.map((g) => paths[g.file].length)))}  ${f.what}`);
}
