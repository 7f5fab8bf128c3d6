/**
 * `npm run export` and the format detection of `npm run predict`: each format is written, read back
 * by `readModelFile`, and classifies the same digits as the shapegrad model it came from; the
 * exports of a CNN saved as `npm run train -- --model cnn` saves it run in ONNX Runtime and TF.js.
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import * as ort from "onnxruntime-node";
import { beforeAll, describe, expect, it } from "vitest";
import { mlp, ModelFormatError, type AnyMlp, type AnyNetwork } from "../src/index.js";
import { saveModel } from "../src/node.js";
import { readModelFile, runExport } from "../examples/mnist/export.js";
import { cnn, saveModels } from "../examples/mnist/model.js";
import { capturedOutput } from "../examples/mnist/output.js";
import { runPredict } from "../examples/mnist/predict.js";
import { inputRows, maxAbsDiff, predictRows, randomize, toNhwc } from "./interop-helpers.js";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

/** True for a float64 network of dense layers only. */
function isMlp(net: AnyNetwork): net is AnyMlp {
  return net.dtype === "float64" && net.layers.every((l) => l.kind === "dense");
}

function capture() {
  const io = capturedOutput(false);
  return { io, out: io.lines, err: io.errors };
}

/** readModelFile's network, which must be a float64 mlp here (these formats hold dense networks). */
function readMlp(path: string) {
  const net = readModelFile(path);
  if (!isMlp(net)) throw new Error(`${path} did not read as an mlp`);
  return net;
}

/** A folder with a random 784-16-10 model (out/model.json) and three digits to classify. */
function fixture() {
  const dir = mkdtempSync(join(tmpdir(), "shapegrad-export-"));
  const net = randomize(mlp([784, 16, 10], { seed: 1 }), 7, 0.2);
  saveModel(net, join(dir, "model.json"));
  const x = inputRows(3, 784, 8);
  writeFileSync(join(dir, "digits.json"), JSON.stringify([0, 1, 2].map((j) => Array.from(x.subarray(j * 784, (j + 1) * 784)))));
  return { dir, net, x };
}

describe("npm run export", () => {
  it.each([
    ["onnx", ["model.onnx"]],
    ["tfjs", ["model.json", "group1-shard1of1.bin"]],
    ["safetensors", ["model.safetensors"]],
  ])("--format %s writes %j; readModelFile reads it back with the same predictions; predict prints the same lines", (format, files) => {
    const { dir, net, x } = fixture();
    const { io, out, err } = capture();
    const outDir = join(dir, format);
    expect(runExport(["--model", join(dir, "model.json"), "--format", format, "--out", outDir], io)).toBe(0);
    expect(err).toEqual([]);
    for (const f of files) expect(existsSync(join(outDir, f))).toBe(true);
    expect(out.slice(0, files.length)).toEqual(files.map((f) => expect.stringMatching(new RegExp(`^wrote .*${f.replace(".", "\\.")} \\([\\d,]+ bytes\\)$`))));
    const back = readMlp(join(outDir, files[0]!));
    expect(back.sizes).toEqual([784, 16, 10]);
    expect(maxAbsDiff(predictRows(back, x, 3), predictRows(net, x, 3))).toBeLessThan(1e-5);
    const printed = (model: string) => {
      const { io, out } = capture();
      expect(runPredict(["--model", model, "--input", join(dir, "digits.json")], io)).toBe(0);
      return out;
    };
    const original = printed(join(dir, "model.json"));
    expect(original).toHaveLength(3);
    expect(printed(join(outDir, files[0]!))).toEqual(original);
  });

  it("exports from a TF.js model.json and from an .onnx file too (any format it imports)", () => {
    const { dir, net, x } = fixture();
    const { io } = capture();
    expect(runExport(["--model", join(dir, "model.json"), "--format", "tfjs", "--out", join(dir, "tfjs")], io)).toBe(0);
    expect(runExport(["--model", join(dir, "tfjs", "model.json"), "--format", "onnx", "--out", join(dir, "onnx")], io)).toBe(0);
    expect(runExport(["--model", join(dir, "onnx", "model.onnx"), "--format", "tfjs", "--out", join(dir, "tfjs2")], io)).toBe(0);
    expect(Buffer.compare(readFileSync(join(dir, "tfjs2", "group1-shard1of1.bin")), readFileSync(join(dir, "tfjs", "group1-shard1of1.bin")))).toBe(0);
    expect(maxAbsDiff(predictRows(readMlp(join(dir, "tfjs2", "model.json")), x, 3), predictRows(net, x, 3))).toBeLessThan(1e-5);
  });

  it("--format safetensors writes the same numbers as the model.json holds (float64, bit for bit)", () => {
    const { dir, net } = fixture();
    const { io, err } = capture();
    expect(runExport(["--model", join(dir, "model.json"), "--format=safetensors", "--out", join(dir, "st")], io)).toBe(0);
    expect(err).toEqual([]);
    const back = readModelFile(join(dir, "st", "model.safetensors"));
    expect(back.sizes).toEqual([784, 16, 10]);
    back.weights.forEach((w, l) => expect(Buffer.from(w!.data.buffer, w!.data.byteOffset, w!.data.byteLength).equals(Buffer.from(net.weights[l]!.data.buffer, net.weights[l]!.data.byteOffset, net.weights[l]!.data.byteLength))).toBe(true));
  });

  it.each([
    [[], "export: --model FILE, --format onnx|tfjs|safetensors and --out DIR are all required (see --help)"],
    [["--model", "m.json", "--format", "keras", "--out", "d"], 'export: --format expects onnx, tfjs or safetensors, got "keras"'],
    [["--model", "m.json", "--format", "onnx", "--out"], "export: --out expects a value"],
    [["--model", "--format", "onnx"], "export: --model expects a value"],
    [["--frobnicate"], 'export: unknown flag "--frobnicate" (see --help)'],
  ])("usage error %j: one line on stderr, exit code 2", (argv, message) => {
    const { io, out, err } = capture();
    expect(runExport(argv, io)).toBe(2);
    expect(err).toEqual([message]);
    expect(out).toEqual([]);
  });

  it("--help prints the usage on stdout, exit code 0", () => {
    const { io, out, err } = capture();
    expect(runExport(["--help"], io)).toBe(0);
    expect(out.join("\n")).toContain("Usage: npm run export -- --model out/model.safetensors --format onnx|tfjs|safetensors --out DIR");
    expect(err).toEqual([]);
  });

  it("a missing or damaged model: one line on stderr, exit code 1", () => {
    const { dir } = fixture();
    const { io, err } = capture();
    expect(runExport(["--model", join(dir, "nope.json"), "--format", "onnx", "--out", dir], io)).toBe(1);
    expect(err).toEqual([`export: cannot read ${join(dir, "nope.json")}: no such file`]);
    writeFileSync(join(dir, "bad.json"), JSON.stringify({ hello: 1 }));
    expect(runExport(["--model", join(dir, "bad.json"), "--format", "onnx", "--out", dir], io)).toBe(1);
    expect(err[1]).toBe('export: modelFromJSON: missing field "format" (a model document starts {"format": "shapegrad-mlp", "version": ...}; this object has the fields "hello")');
  });
});

describe("readModelFile: the format from the extension and the content", () => {
  it("an ONNX file under another name is recognised by its content; a file that is neither JSON nor ONNX is an error", () => {
    const { dir, net, x } = fixture();
    runExport(["--model", join(dir, "model.json"), "--format", "onnx", "--out", dir], capture().io);
    copyFileSync(join(dir, "model.onnx"), join(dir, "weights.bin"));
    expect(maxAbsDiff(predictRows(readMlp(join(dir, "weights.bin")), x, 3), predictRows(net, x, 3))).toBeLessThan(1e-5);
    writeFileSync(join(dir, "notes.txt"), "hello, not a model");
    expect(() => readModelFile(join(dir, "notes.txt"))).toThrow(ModelFormatError);
    expect(() => readModelFile(join(dir, "notes.txt"))).toThrow("modelFromOnnx: not an ONNX model");
  });

  it("a TF.js model.json whose weight file is missing names the file", () => {
    const { dir } = fixture();
    runExport(["--model", join(dir, "model.json"), "--format", "tfjs", "--out", join(dir, "tfjs")], capture().io);
    rmSync(join(dir, "tfjs", "group1-shard1of1.bin"));
    expect(() => readModelFile(join(dir, "tfjs", "model.json"))).toThrow(`cannot read ${join(dir, "tfjs", "group1-shard1of1.bin")}: no such file`);
  });
});

describe("npm run export of a CNN (the network of --model cnn, as npm run train saves it)", () => {
  /** A folder holding the CNN's model.safetensors (random parameters, biases too) and the network itself. */
  function cnnFixture(dtype: "float64" | "float32") {
    const dir = mkdtempSync(join(tmpdir(), "shapegrad-export-cnn-"));
    const net = randomize(cnn(5, dtype), 13, 0.3);
    saveModels(net, { "model.safetensors": join(dir, "model.safetensors"), "model.json": join(dir, "model.json") });
    return { dir, net };
  }
  const exported = (dir: string, format: string) => {
    const { io, err } = capture();
    expect(runExport(["--model", join(dir, "model.safetensors"), "--format", format, "--out", join(dir, format)], io)).toBe(0);
    expect(err).toEqual([]);
    return join(dir, format);
  };

  it.each(["float64", "float32"] as const)("%s: --format onnx runs in ONNX Runtime (input [batch, 1, 28, 28]) with shapegrad's predictions within 1e-5", async (dtype) => {
    const { dir, net } = cnnFixture(dtype);
    const bytes = readFileSync(join(exported(dir, "onnx"), "model.onnx"));
    const x = inputRows(4, 784, 21);
    const session = await ort.InferenceSession.create(bytes);
    const result = await session.run({ [session.inputNames[0]!]: new ort.Tensor("float32", x, [4, 1, 28, 28]) });
    const got = Float64Array.from(result[session.outputNames[0]!]!.data as Float32Array);
    expect(maxAbsDiff(got, predictRows(net, x, 4))).toBeLessThan(1e-5);
  });

  it.each(["float64", "float32"] as const)("%s: --format tfjs loads in TensorFlow.js (NHWC input) with shapegrad's predictions within 1e-5", async (dtype) => {
    const { dir, net } = cnnFixture(dtype);
    const folder = exported(dir, "tfjs");
    const modelJson = JSON.parse(readFileSync(join(folder, "model.json"), "utf8")) as { modelTopology: object; weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] };
    const weights = readFileSync(join(folder, "group1-shard1of1.bin"));
    const model = await tf.loadLayersModel(tf.io.fromMemory({
      modelTopology: modelJson.modelTopology, weightSpecs: modelJson.weightsManifest[0]!.weights,
      weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength),
    }));
    expect(model.layers.map((l) => l.getClassName())).toEqual(["Conv2D", "MaxPooling2D", "Conv2D", "MaxPooling2D", "Flatten", "Dense"]);
    const x = inputRows(4, 784, 22);
    const input = tf.tensor4d(toNhwc(x, 4, [1, 28, 28]), [4, 28, 28, 1]);
    const y = model.predict(input) as tf.Tensor;
    const got = Float64Array.from(y.dataSync());
    tf.dispose([input, y]);
    model.dispose();
    expect(maxAbsDiff(got, predictRows(net, x, 4))).toBeLessThan(1e-5);
  });

  it("--format safetensors keeps the numbers and the element type bit for bit; readModelFile reads every export back as a CNN", () => {
    const { dir, net } = cnnFixture("float32");
    const back = readModelFile(join(exported(dir, "safetensors"), "model.safetensors"));
    expect(back.dtype).toBe("float32");
    back.weights.forEach((w, l) => {
      const want = net.weights[l];
      expect(w === null || want === null ? w === want : Buffer.from(w.data.buffer, w.data.byteOffset, w.data.byteLength).equals(Buffer.from(want.data.buffer, want.data.byteOffset, want.data.byteLength))).toBe(true);
    });
    const x = inputRows(3, 784, 23);
    for (const file of [join(exported(dir, "onnx"), "model.onnx"), join(exported(dir, "tfjs"), "model.json")]) {
      const read = readModelFile(file);
      expect(read.layers.map((l) => l.kind)).toEqual(["conv2d", "maxPool2d", "conv2d", "maxPool2d", "flatten", "dense"]);
      expect(maxAbsDiff(predictRows(read, x, 3), predictRows(net, x, 3))).toBeLessThan(1e-5);
    }
  });
});
