/**
 * The parts of the MNIST commands added when the three CLI branches were joined: --model cnn,
 * --dtype float32, --augment, the model files and checkpoints of a CNN or a float32 network (the
 * library's saveModel / loadModel / saveCheckpoint), and the check that --help and docs/cli.md
 * list every flag and file.
 * Quick runs: a few digits per class, one or two epochs.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { ModelFormatError, adam, dataset, mlp, fromArray, predict, rng, split, toDType, transpose, widen, type AnyNetwork, type DType } from "../src/index.js";
import { loadCheckpoint, saveCheckpoint } from "../src/node.js";
import { loadMnist, loadSplit, scanNumbers } from "../examples/mnist/load.js";

function hasDType<D extends DType>(net: AnyNetwork, dtype: D): net is Omit<AnyNetwork, "dtype"> & { readonly dtype: D } {
  return net.dtype === dtype;
}
import { MAX_SHIFT, shiftDigits, shiftsOf } from "../examples/mnist/augment.js";
import {
  CNN_DEFAULTS, DEFAULT_LEARNING_RATES, EXPORT_HELP, HELP, OUTPUT_FILES, PREDICT_HELP, TRAIN_FLAGS, UsageError, parseTrainArgs,
} from "../examples/mnist/cli.js";
import { readModelFile, runExport } from "../examples/mnist/export.js";
import { learningRateOf, runTraining } from "../examples/mnist/main.js";
import { cnn, saveModels } from "../examples/mnist/model.js";
import { RELAXED_PROBE } from "../src/kernels/wasm/kernels.generated.js";
import { capturedOutput } from "../examples/mnist/output.js";
import { runPredict } from "../examples/mnist/predict.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const folder = (name: string) => mkdtempSync(join(tmpdir(), `shapegrad-${name}-`));

/** Runs `train` with captured output; fails the test on a non-zero exit. */
function train(argv: string[]) {
  const out = capturedOutput(false);
  const code = runTraining(argv, out);
  expect(out.errors).toEqual([]);
  expect(code).toBe(0);
  return out.lines;
}

function predictLines(model: string, input: string): string[] {
  const out = capturedOutput(false);
  expect(runPredict(["--model", model, "--input", input], out)).toBe(0);
  expect(out.errors).toEqual([]);
  return out.lines;
}

/** A safetensors file's JSON header, read by hand (8-byte little-endian length, then the JSON). */
function safetensorsHeader(path: string): Record<string, unknown> {
  const bytes = readFileSync(path);
  return JSON.parse(bytes.subarray(8, 8 + Number(bytes.readBigUInt64LE(0))).toString()) as Record<string, unknown>;
}

/** Each tensor's shape, by name. */
const shapesOf = (header: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(header).filter(([k]) => k !== "__metadata__").map(([k, v]) => [k, (v as { shape: number[] }).shape]));

/** Every weight and bias as bytes (hex), layer by layer, null for a layer without: equal means bit for bit. */
const parametersOf = (net: AnyNetwork) =>
  [...net.weights, ...net.biases].map((m) => (m === null ? null : `${m.data.constructor.name}:${Buffer.from(m.data.buffer, m.data.byteOffset, m.data.byteLength).toString("hex")}`));

/** The lines npm run predict must print for `net` and a digits file: argmax and its probability, computed here in the network's own element type. */
function expectedLines(net: AnyNetwork, digitsPath: string): string[] {
  const images = JSON.parse(readFileSync(digitsPath, "utf8")) as number[][];
  const x = widen(transpose(fromArray(images.flat(), images.length, 784)));
  const p = hasDType(net, "float32") ? predict(net, toDType(x, "float32")).data : hasDType(net, "float64") ? predict(net, x).data : undefined;
  if (p === undefined) throw new Error(`unexpected dtype ${net.dtype}`);
  return images.map((_, j) => {
    let best = 0;
    for (let i = 1; i < 10; i++) if (p[i * images.length + j]! > p[best * images.length + j]!) best = i;
    return `image ${j}: ${best} (probability ${(p[best * images.length + j]! * 100).toFixed(2)}%)`;
  });
}

/** A line of npm run predict as numbers. */
function parseLine(line: string): { digit: number; percent: number } {
  const m = /^image \d+: (\d) \(probability (\d+\.\d\d)%\)$/.exec(line);
  if (!m) throw new Error(`not a predict line: ${line}`);
  return { digit: Number(m[1]), percent: Number(m[2]) };
}

describe("train flags: --model, --dtype, --augment, --resume", () => {
  it("--model cnn takes its own epochs, batch size and learning rates unless given", () => {
    expect(parseTrainArgs(["--model", "cnn"])).toMatchObject({ model: "cnn", epochs: CNN_DEFAULTS.epochs, batchSize: CNN_DEFAULTS.batchSize, learningRate: CNN_DEFAULTS.learningRates.adam, schedule: "cosine" });
    expect(parseTrainArgs(["--model", "cnn", "--lr-schedule", "constant"])).toMatchObject({ schedule: "constant" });
    expect(parseTrainArgs([])).toMatchObject({ schedule: "constant" });
    expect(parseTrainArgs(["--model=cnn", "--optimizer", "sgd"])).toMatchObject({ learningRate: CNN_DEFAULTS.learningRates.sgd });
    expect(parseTrainArgs(["--model", "cnn", "--epochs", "3", "--batch-size", "16", "--lr", "0.01"])).toMatchObject({ epochs: 3, batchSize: 16, learningRate: 0.01 });
    expect(parseTrainArgs(["--model", "mlp", "--optimizer", "sgd"])).toMatchObject({ epochs: 15, learningRate: DEFAULT_LEARNING_RATES.sgd });
  });

  it("--dtype and --augment (a switch: no value)", () => {
    expect(parseTrainArgs(["--dtype", "float32", "--augment"])).toMatchObject({ dtype: "float32", augment: true });
    expect(parseTrainArgs(["--augment", "--epochs", "2"])).toMatchObject({ augment: true, epochs: 2 });
    expect(parseTrainArgs([])).toMatchObject({ dtype: "float64", augment: false, model: "mlp" });
  });

  it.each([
    [["--model", "rnn"], '--model expects mlp or cnn, got "rnn"'],
    [["--model", "cnn", "--hidden", "64"], "--hidden sets the mlp's layers; --model cnn has its own (see --help)"],
    [["--dtype", "float16"], '--dtype expects float64 or float32, got "float16"'],
    [["--lr-schedule", "step"], '--lr-schedule expects constant or cosine, got "step"'],
    [["--augment=yes"], '--augment takes no value, got "yes"'],
    [["--dtype", "float32", "--backend", "wasm-f32"], "--backend wasm-f32 rounds the products of a float64 network; a --dtype float32 network computes in float32 already"],
    [["--resume", "out", "--model", "cnn"], "--resume continues a run with its saved settings; only --epochs, --out and --backend may be given with it, got --model"],
    [["--resume="], "--resume expects a folder"],
  ])("rejects %j with one line on stderr and exit code 2", (argv, message) => {
    expect(() => parseTrainArgs(argv)).toThrow(UsageError);
    expect(() => parseTrainArgs(argv)).toThrow(message);
    const out = capturedOutput(false);
    expect(runTraining(argv, out)).toBe(2);
    expect([out.lines, out.errors]).toEqual([[], [`train: ${message}`]]);
  });

  it("--resume writes into the resumed folder unless --out is given", () => {
    expect(parseTrainArgs(["--resume", "runs/a", "--epochs", "20"])).toMatchObject({ resume: "runs/a", out: "runs/a", epochs: 20 });
    expect(parseTrainArgs(["--resume", "runs/a", "--out", "runs/b"])).toMatchObject({ out: "runs/b" });
  });
});

describe("--lr-schedule cosine", () => {
  it("the rate of epoch e is lr (1 + cos(pi (e - 1) / epochs)) / 2: lr first, falling towards 0", () => {
    const o = parseTrainArgs(["--lr-schedule", "cosine", "--epochs", "4", "--lr", "0.01"]);
    if (o === "help") throw new Error("help");
    expect([1, 2, 3, 4].map((e) => learningRateOf(o, e))).toEqual([0.01, 0.01 * (1 + Math.SQRT1_2) / 2, 0.005, 0.01 * (1 - Math.SQRT1_2) / 2].map((x) => expect.closeTo(x, 15)));
    expect(learningRateOf({ ...o, schedule: "constant" }, 3)).toBe(0.01);
  });

  it("a cosine run differs from a constant one, and resumes bit for bit (epoch 1's rate is lr whatever the epochs)", () => {
    const flags = ["--limit-per-class", "20", "--hidden", "8", "--seed", "4", "--lr", "0.01"];
    const cosine = folder("cos"), constant = folder("cos"), resumed = folder("cos");
    train([...flags, "--lr-schedule", "cosine", "--epochs", "3", "--out", cosine]);
    train([...flags, "--epochs", "3", "--out", constant]);
    train([...flags, "--lr-schedule", "cosine", "--epochs", "1", "--out", resumed]);
    train(["--resume", resumed, "--epochs", "3"]);
    const model = (dir: string) => readFileSync(join(dir, "model.safetensors"));
    expect(model(resumed).equals(model(cosine))).toBe(true);
    expect(model(constant).equals(model(cosine))).toBe(false);
    const history = (dir: string) => JSON.parse(readFileSync(join(dir, "history.json"), "utf8")) as { loss: number[] };
    expect(history(resumed).loss).toEqual(history(cosine).loss);
  });
});

describe("--help and docs/cli.md list every flag and every file", () => {
  const docs = readFileSync(join(root, "docs/cli.md"), "utf8");
  it("train: each flag is in --help and in the docs' table; each file of OUTPUT_FILES in both", () => {
    expect(TRAIN_FLAGS.length).toBe(15);
    for (const flag of TRAIN_FLAGS) {
      expect(HELP).toMatch(new RegExp(`^  ${flag}[ =]`, "m"));
      expect(docs).toMatch(new RegExp(`^\\| \`${flag}[ \`]`, "m"));
    }
    for (const f of OUTPUT_FILES) {
      expect(HELP).toContain(`  ${f.file.padEnd(22)}  ${f.what}`);
      expect(docs).toContain(`| \`${f.file}\` |`);
    }
  });
  it("predict and export: their flags and files", () => {
    for (const flag of ["--model", "--input"]) {
      expect(PREDICT_HELP).toMatch(new RegExp(`^  ${flag} `, "m"));
      expect(docs).toContain(`\`${flag}`);
    }
    for (const flag of ["--model", "--format", "--out"]) expect(EXPORT_HELP).toMatch(new RegExp(`^  ${flag} `, "m"));
    for (const file of ["model.onnx", "group1-shard1of1.bin", "model.safetensors"]) {
      expect(EXPORT_HELP).toContain(file);
      expect(docs).toContain(file);
    }
  });
});

describe("npm run train -- --model cnn", () => {
  const dir = folder("cnn");
  const lines = train(["--model", "cnn", "--limit-per-class", "10", "--epochs", "1", "--out", dir]);

  it("prints the architecture with its summary table, then the same report as the mlp", () => {
    expect(lines[0]).toMatch(/^shapegrad: CNN of 13,890 parameters \(softmax, cross-entropy, layers below\), adam lr 0\.003 cosine, batch 64, 1 epoch, \w[\w-]* kernels$/);
    expect(lines[1]!.split("\n")).toEqual([
      "layer  kind       activation  input     output    weights  bias  params",
      "1      conv2d     relu        1x28x28   16x24x24  16x25    16x1     416",
      "2      maxPool2d  identity    16x24x24  16x12x12  -        -          0",
      "3      conv2d     relu        16x12x12  24x8x8    24x400   24x1   9,624",
      "4      maxPool2d  identity    24x8x8    24x4x4    -        -          0",
      "5      flatten    identity    24x4x4    384       -        -          0",
      "6      dense      softmax     384       10        10x384   10x1   3,850",
      "total parameters 13,890 (loss crossEntropy, float64)",
    ]);
    expect(lines.filter((l) => /^epoch 1\/1 {2}loss /.test(l))).toHaveLength(1);
    expect(lines).toContain("confusion matrix (rows true digit, columns predicted):");
    expect(lines.some((l) => /^test accuracy: \d+\.\d\d%$/.test(l))).toBe(true);
  });

  it("writes model.safetensors, model.json and the checkpoint (saveModel and saveCheckpoint take a CNN) and says so", () => {
    const files = OUTPUT_FILES.map((f) => f.file);
    expect(readdirSync(dir).sort()).toEqual([...files].sort());
    const report = lines.slice(lines.indexOf(`wrote ${files.length} files into ${dir}:`));
    expect(report.slice(1).map((l) => l.trim().split(/\s+/)[0])).toEqual(files.map((f) => join(dir, f)));
    const header = safetensorsHeader(join(dir, "model.safetensors"));
    expect(header.__metadata__).toMatchObject({ format: "shapegrad-mlp", dtype: "float64" });
    expect(shapesOf(header)).toEqual({ "0.weight": [16, 1, 5, 5], "0.bias": [16], "3.weight": [24, 16, 5, 5], "3.bias": [24], "7.weight": [10, 384], "7.bias": [10] });
  });

  it("model.safetensors and model.json hold the checkpoint's network, bit for bit", () => {
    const ckpt = loadCheckpoint(dir, "any").net;
    for (const file of ["model.safetensors", "model.json"]) expect(parametersOf(readModelFile(join(dir, file)))).toEqual(parametersOf(ckpt));
  });

  it("npm run predict classifies with the CNN's files: the lines of the network's own predictions", () => {
    const printed = predictLines(join(dir, "model.safetensors"), join(dir, "sample-digits.json"));
    expect(printed).toHaveLength(8);
    expect(printed).toEqual(expectedLines(loadCheckpoint(dir, "any").net, join(dir, "sample-digits.json")));
    expect(predictLines(join(dir, "model.json"), join(dir, "sample-digits.json"))).toEqual(printed);
  });

  it("npm run export writes the CNN in every format; npm run predict reads each back to the same digits", () => {
    const model = join(dir, "model.safetensors"), digits = join(dir, "sample-digits.json");
    const want = predictLines(model, digits).map(parseLine);
    for (const [format, file] of [["onnx", "model.onnx"], ["tfjs", "model.json"], ["safetensors", "model.safetensors"]] as const) {
      const out = capturedOutput(false), to = join(dir, `export-${format}`);
      expect(runExport(["--model", model, "--format", format, "--out", to], out)).toBe(0);
      expect(out.errors).toEqual([]);
      expect(out.lines.at(-1)).toBe("model 1x28x28 -> conv2d 16x24x24 relu -> maxPool2d 16x12x12 -> conv2d 24x8x8 relu -> maxPool2d 24x4x4 -> flatten 384 -> dense 10 softmax");
      const got = predictLines(join(to, file), digits).map(parseLine);
      expect(got.map((g) => g.digit)).toEqual(want.map((w) => w.digit));
      // onnx and tfjs hold float32 numbers: the percentages agree to about 1e-5
      got.forEach((g, j) => expect(Math.abs(g.percent - want[j]!.percent)).toBeLessThanOrEqual(format === "safetensors" ? 0 : 0.011));
    }
  });

  it("--resume refuses a checkpoint whose network is not the one its flags build, naming both", () => {
    const other = folder("cnn");
    saveCheckpoint(other, {
      net: mlp([784, 8, 10], { seed: 1 }), optimizer: adam(), epoch: 1, fit: { epochs: 1 },
      metadata: { cli: loadCheckpoint(dir, "any").metadata.cli! }, // the CNN run's flags
    });
    const out = capturedOutput(false);
    expect(runTraining(["--resume", other, "--epochs", "2"], out)).toBe(1);
    expect(out.errors).toEqual([`train: --resume ${other}: the checkpoint holds a 784-8-10 float64 mlp, its flags say float64 network of conv2d, maxPool2d, conv2d, maxPool2d, flatten, dense layers (sizes 784-9216-2304-1536-384-384-10)`]);
  });

  it("the printed test accuracy is the confusion matrix's diagonal over the test digits", () => {
    const at = lines.indexOf("confusion matrix (rows true digit, columns predicted):");
    const rows = lines[at + 1]!.split("\n").slice(1).map((r) => r.trim().split(/\s+/).slice(1).map(Number));
    const total = rows.flat().reduce((s, v) => s + v, 0);
    const correct = rows.reduce((s, r, i) => s + r[i]!, 0);
    expect(total).toBe(20);
    expect(lines).toContain(`test accuracy: ${((100 * correct) / total).toFixed(2)}%`);
  });
});

describe("npm run train -- --dtype float32", () => {
  it.each([["mlp", ["--hidden", "8"]], ["cnn", ["--model", "cnn"]]])("%s: a float32 network, saved, read back and classified in float32", (_name, flags) => {
    const dir = folder("f32");
    const lines = train([...flags, "--dtype", "float32", "--limit-per-class", "5", "--epochs", "1", "--out", dir]);
    expect(lines[0]).toMatch(flags[0] === "--model" ? /^shapegrad: CNN of 13,890 parameters .*, float32 network$/ : /^shapegrad: 784-8-10 network \(ReLU, softmax, cross-entropy\), .*, float32 network$/);
    expect(OUTPUT_FILES.map((f) => existsSync(join(dir, f.file)))).toEqual(OUTPUT_FILES.map(() => true));
    const header = safetensorsHeader(join(dir, "model.safetensors"));
    expect(header.__metadata__).toMatchObject({ dtype: "float32" });
    expect(new Set(Object.entries(header).filter(([k]) => k !== "__metadata__").map(([, v]) => (v as { dtype: string }).dtype))).toEqual(new Set(["F32"]));
    const saved = loadCheckpoint(dir, "any", { dtype: "float32" }).net;
    for (const file of ["model.safetensors", "model.json"]) {
      const back = readModelFile(join(dir, file));
      expect(back.dtype).toBe("float32"); // read as saved: not widened to float64
      expect(parametersOf(back)).toEqual(parametersOf(saved));
    }
    const digits = join(dir, "sample-digits.json");
    const printed = predictLines(join(dir, "model.safetensors"), digits);
    expect(printed).toEqual(expectedLines(saved, digits));
    expect(predictLines(join(dir, "model.json"), digits)).toEqual(printed);
  });

  it.each([["mlp", ["--hidden", "8"]], ["cnn", ["--model", "cnn"]]])("%s: --resume continues a float32 run bit for bit", (_name, flags) => {
    const whole = folder("f32"), resumed = folder("f32");
    const common = [...flags, "--dtype", "float32", "--limit-per-class", "5", "--seed", "3"];
    train([...common, "--epochs", "2", "--out", whole]);
    train([...common, "--epochs", "1", "--out", resumed]);
    const lines = train(["--resume", resumed, "--epochs", "2"]);
    expect(lines[0]).toBe(`resuming ${join(resumed, "checkpoint.safetensors")} after epoch 1`);
    expect(readFileSync(join(resumed, "model.safetensors")).equals(readFileSync(join(whole, "model.safetensors")))).toBe(true);
  });
});

describe("model files of a CNN or a float32 network: saveModels writes them, readModelFile reads them", () => {
  /** A CNN with seeded random parameters (biases too, so that a lost bias shows). */
  function randomCnn<D extends "float64" | "float32">(dtype: D) {
    const net = cnn(3, dtype), r = rng(9);
    for (const m of [...net.weights, ...net.biases]) if (m) for (let i = 0; i < m.data.length; i++) m.data[i] = r.next() - 0.5;
    return net;
  }
  const r = rng(4);
  const x = widen(fromArray(new Float64Array(784 * 3).map(() => r.next()), 784, 3));
  /** The network's outputs for x, in its own element type. */
  const outputs = (net: AnyNetwork): number[] => {
    if (hasDType(net, "float64")) return Array.from(predict(net, x).data);
    if (hasDType(net, "float32")) return Array.from(predict(net, toDType(x, "float32")).data);
    throw new Error(`unexpected dtype ${net.dtype}`);
  };
  const paths = (dir: string) => ({ "model.safetensors": join(dir, "model.safetensors"), "model.json": join(dir, "model.json") });

  it.each(["float64", "float32"] as const)("%s: saved and read back, the same parameters bit for bit and the same outputs", (dtype) => {
    const net = randomCnn(dtype), dir = folder("netfile");
    expect(saveModels(net, paths(dir))).toEqual(["model.safetensors", "model.json"]);
    for (const file of ["model.safetensors", "model.json"]) {
      const back = readModelFile(join(dir, file));
      expect(back.dtype).toBe(dtype);
      expect(back.layers.map((l) => [l.kind, l.outputShape, l.activation])).toEqual(net.layers.map((l) => [l.kind, l.outputShape, l.activation]));
      expect(parametersOf(back)).toEqual(parametersOf(net));
      expect(outputs(back)).toEqual(outputs(net));
    }
  });

  it("names PyTorch's nn.Sequential modules and Conv2d's [F, C, KH, KW] layout", () => {
    const dir = folder("netfile"), path = join(dir, "model.safetensors");
    const net = randomCnn("float64");
    saveModels(net, paths(dir));
    const bytes = readFileSync(path);
    const length = Number(bytes.readBigUInt64LE(0));
    const header = safetensorsHeader(path);
    expect(shapesOf(header)).toEqual({ "0.weight": [16, 1, 5, 5], "0.bias": [16], "3.weight": [24, 16, 5, 5], "3.bias": [24], "7.weight": [10, 384], "7.bias": [10] });
    // An independent read of one number: 3.weight [f=2, c=5, kh=1, kw=4] is W row 2 (of 400 columns), column (5*5 + 1)*5 + 4.
    const entry = header["3.weight"] as { data_offsets: [number, number] };
    const at = 8 + length + entry.data_offsets[0] + 8 * (2 * 400 + (5 * 25 + 1 * 5 + 4));
    expect(bytes.readDoubleLE(at)).toBe(net.weights[2]!.data[2 * 400 + 134]);
  });

  it("refuses a NaN parameter, writing nothing", () => {
    const net = randomCnn("float64"), dir = folder("netfile");
    net.biases[2]!.data[1] = NaN;
    expect(() => saveModels(net, paths(dir))).toThrow(/saveModel.*NaN/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("a damaged file: npm run predict and export print one line naming the file, exit code 1", () => {
    const dir = folder("netfile"), path = join(dir, "model.safetensors");
    saveModels(randomCnn("float64"), paths(dir));
    const good = readFileSync(path);
    const nan = Buffer.from(good);
    nan.writeDoubleLE(NaN, good.length - 8);
    writeFileSync(path, nan);
    expect(() => readModelFile(path)).toThrow(ModelFormatError);
    const out = capturedOutput(false);
    expect(runPredict(["--model", path, "--input", join(dir, "model.json")], out)).toBe(1);
    expect(runExport(["--model", path, "--format", "onnx", "--out", join(dir, "onnx")], out)).toBe(1);
    expect(out.errors).toHaveLength(2);
    expect(out.errors[0]).toMatch(new RegExp(`^predict: loadModel: ${path.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: .*NaN`));
    expect(out.errors[1]).toBe(out.errors[0]!.replace(/^predict/, "export"));
  });
});

describe("--augment: random shifts of up to 2 pixels, seeded", () => {
  /** The definition, on 28x28 pictures: pixel (y, x) of the shifted digit is (y - dy, x - dx) of the original, 0 outside. */
  function naiveShift(picture: number[][], dx: number, dy: number): number[][] {
    return picture.map((row, y) => row.map((_, x) => picture[y - dy]?.[x - dx] ?? 0));
  }

  it("shiftDigits moves each digit (a column of 784) by its own (dx, dy), as the definition on 28x28 pictures", () => {
    const n = 5, r = rng(2);
    const pictures = Array.from({ length: n }, () => Array.from({ length: 28 }, () => Array.from({ length: 28 }, () => Math.round(r.next() * 100) / 100)));
    const x = new Float64Array(784 * n);
    pictures.forEach((p, j) => p.forEach((row, y) => row.forEach((v, px) => (x[(y * 28 + px) * n + j] = v))));
    const dx = Int8Array.from([0, 2, -2, 1, -1]), dy = Int8Array.from([0, -2, 2, 1, 0]);
    const out = new Float64Array(784 * n).fill(7);
    shiftDigits(x, n, dx, dy, out);
    pictures.forEach((p, j) => {
      const want = naiveShift(p, dx[j]!, dy[j]!);
      const got = Array.from({ length: 28 }, (_, y) => Array.from({ length: 28 }, (_, px) => out[(y * 28 + px) * n + j]!));
      expect(got).toEqual(want);
    });
  });

  it("the shifts: the same for the same seed and epoch, different for another epoch, all 25 drawn", () => {
    const a = shiftsOf(1, 3, 2000), b = shiftsOf(1, 3, 2000), c = shiftsOf(1, 4, 2000);
    expect([Buffer.from(a.dx.buffer).equals(Buffer.from(b.dx.buffer)), Buffer.from(a.dy.buffer).equals(Buffer.from(b.dy.buffer))]).toEqual([true, true]);
    expect(Buffer.from(a.dx.buffer).equals(Buffer.from(c.dx.buffer))).toBe(false);
    const seen = new Set(Array.from(a.dx, (v, j) => `${v},${a.dy[j]}`));
    expect(seen.size).toBe((2 * MAX_SHIFT + 1) ** 2);
    expect(Math.max(...a.dx, ...a.dy)).toBe(MAX_SHIFT);
    expect(Math.min(...a.dx, ...a.dy)).toBe(-MAX_SHIFT);
  });

  it("a run with --augment is reproducible, differs from one without, and resumes bit for bit", () => {
    const flags = ["--limit-per-class", "20", "--hidden", "8", "--seed", "2", "--augment"];
    const a = folder("aug"), b = folder("aug"), c = folder("aug"), d = folder("aug");
    train([...flags, "--epochs", "2", "--out", a]);
    train([...flags, "--epochs", "2", "--out", b]);
    train([...flags.filter((f) => f !== "--augment"), "--epochs", "2", "--out", c]);
    const history = (dir: string) => JSON.parse(readFileSync(join(dir, "history.json"), "utf8")) as { loss: number[]; options: { augment: boolean } };
    expect(history(a).options.augment).toBe(true);
    expect(history(b).loss).toEqual(history(a).loss);
    expect(history(c).loss).not.toEqual(history(a).loss);
    train([...flags, "--epochs", "1", "--out", d]);
    train(["--resume", d, "--epochs", "2"]);
    expect(readFileSync(join(d, "model.safetensors")).equals(readFileSync(join(a, "model.safetensors")))).toBe(true);
    expect(history(d).loss).toEqual(history(a).loss);
  });
});

describe("loading the digits without JSON.parse", () => {
  const folder = join(dirname(createRequire(import.meta.url).resolve("mnist/package.json")), "src", "digits");
  const parsed = Array.from({ length: 10 }, (_, d) => (JSON.parse(readFileSync(join(folder, `${d}.json`), "utf8")) as { data: number[] }).data);

  it("scanNumbers reads every number of every file as JSON.parse does, bit for bit", () => {
    parsed.forEach((want, d) => {
      const got = scanNumbers(readFileSync(join(folder, `${d}.json`)), Infinity)!;
      expect(got.count).toBe(want.length);
      expect(got.values.every((v, i) => Object.is(v, want[i]))).toBe(true);
    });
    const text = '{"data": [0, 1,0.5 ,0.1,0.123456789012345, 9007199254740991, 0.9007199254740991, 0.999]}';
    const tricky = scanNumbers(Buffer.from(text), Infinity)!;
    expect(Array.from(tricky.values)).toEqual((JSON.parse(text) as { data: number[] }).data);
    for (const text of ['{"data": [0.30000000000000004]}', '{"data": [1e-3]}', '{"data": [-1]}', '{"data": [12345678901234567]}', '{"data": [.5]}', '{"data": [1,]}', '{"nope": [1]}']) {
      expect(scanNumbers(Buffer.from(text), Infinity), text).toBeUndefined(); // left to JSON.parse
    }
  });

  it("loadMnist equals dataset() built from JSON.parse; loadSplit equals split() of the float32 dataset", () => {
    const limit = 40;
    const examples = parsed.flatMap((data) => Array.from({ length: limit }, (_, k) => data.slice(k * 784, (k + 1) * 784)));
    const labels = parsed.flatMap((_, d) => new Array<number>(limit).fill(d));
    const want = dataset(examples, labels, { features: 784, classes: 10 });
    const got = loadMnist(limit);
    expect(Buffer.from(got.inputs.data.buffer, got.inputs.data.byteOffset, got.inputs.data.byteLength).equals(Buffer.from(want.inputs.data.buffer, want.inputs.data.byteOffset, want.inputs.data.byteLength))).toBe(true);
    expect(Buffer.from(got.targets.data.buffer, got.targets.data.byteOffset, got.targets.data.byteLength).equals(Buffer.from(want.targets.data.buffer, want.targets.data.byteOffset, want.targets.data.byteLength))).toBe(true);
    // loadSplit holds the pixels as float32: the same digits, each number rounded as dataset(..., { dtype: "float32" }) rounds it.
    const want32 = dataset(examples, labels, { features: 784, classes: 10, dtype: "float32" });
    expect(want32.inputs.data).toBeInstanceOf(Float32Array);
    const a = split(want32, { testFraction: 0.25, seed: 9 }), b = loadSplit(limit, 0.25, 9);
    expect(b.train.inputs.dtype).toBe("float32");
    for (const part of ["train", "test"] as const) {
      expect(Buffer.from(b[part].inputs.data.buffer, b[part].inputs.data.byteOffset, b[part].inputs.data.byteLength).equals(Buffer.from(a[part].inputs.data.buffer, a[part].inputs.data.byteOffset, a[part].inputs.data.byteLength))).toBe(true);
      expect(Buffer.from(b[part].targets.data.buffer, b[part].targets.data.byteOffset, b[part].targets.data.byteLength).equals(Buffer.from(a[part].targets.data.buffer, a[part].targets.data.byteOffset, a[part].targets.data.byteLength))).toBe(true);
    }
    expect(b.total).toBe(400);
  });
});

describe("npm run train / predict / export: examples/mnist/run.mjs bundles and runs the command", () => {
  it("runs a command with its flags and exit code; refuses an unknown command", () => {
    const dir = folder("run");
    const run = (...args: string[]) => spawnSync(process.execPath, [join(root, "examples/mnist/run.mjs"), ...args], { cwd: root, encoding: "utf8" });
    const trained = run("train", "--limit-per-class", "5", "--epochs", "1", "--hidden", "4", `--out=${dir}`);
    expect([trained.status, trained.stderr]).toEqual([0, ""]);
    expect(trained.stdout).toMatch(/^test accuracy: \d+\.\d\d%$/m);
    // the launcher turns relaxed SIMD on where Node 20 keeps it behind a flag (Node 22+: on already)
    expect(trained.stdout).toMatch(/^shapegrad: .*, wasm kernels, relaxed SIMD$/m);
    // the launcher's copy of the kernels' probe (it runs before any TypeScript is loaded) is the same module
    expect(readFileSync(join(root, "examples/mnist/run.mjs"), "utf8")).toContain(`const RELAXED_PROBE = "${RELAXED_PROBE}"`);
    const predicted = run("predict", "--model", join(dir, "model.safetensors"), "--input", join(dir, "sample-digits.json"));
    expect([predicted.status, predicted.stdout.trim().split("\n").length]).toEqual([0, 8]);
    const exported = run("export", "--model", join(dir, "model.json"), "--format", "onnx", "--out", join(dir, "onnx"));
    expect([exported.status, existsSync(join(dir, "onnx", "model.onnx"))]).toEqual([0, true]);
    expect([run("train", "--epochs", "0").status, run("train", "--epochs", "0").stderr]).toEqual([2, 'train: --epochs expects a whole number of 1 or more, got "0"\n']);
    const unknown = run("fit");
    expect([unknown.status, unknown.stderr]).toEqual([2, 'run.mjs expects one of train, predict, export, got "fit"\n']);
  });
});
