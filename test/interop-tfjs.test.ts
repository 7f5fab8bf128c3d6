/**
 * TensorFlow.js layers-model export and import, checked with the real engine (@tensorflow/tfjs,
 * CPU backend): TF.js loads what modelToTfjs writes (from memory, and from the files `npm run
 * export` writes) and predicts what shapegrad predicts; models built and trained in TF.js, saved by
 * its own `model.save`, import into shapegrad and predict what TF.js predicts.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import {
  conv2d, dense, flatten, identity, input, maxPool2d, mlp, modelFromTfjs, modelToTfjs, ModelFormatError, relu, sequential, sequentialWith, sigmoid, softmax, tanh, TFJS_WEIGHTS_FILE,
} from "../src/index.js";
import { saveModel } from "../src/node.js";
import { runExport } from "../examples/mnist/export.js";
import { anyNet, inputRows, maxAbsDiff, predictRows, randomize, toNhwc } from "./interop-helpers.js";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

/** TF.js's predictions for rows of x. */
function tfPredict(model: tf.LayersModel, x: Float32Array, batch: number): Float64Array {
  const features = x.length / batch;
  return tfRun(model, tf.tensor2d(x, [batch, features]));
}

/** model.predict(input) as numbers; both tensors disposed. */
function tfRun(model: tf.LayersModel, input: tf.Tensor): Float64Array {
  const y = model.predict(input) as tf.Tensor;
  const out = Float64Array.from(y.dataSync());
  tf.dispose([input, y]);
  return out;
}

/** A TF.js IOHandler that reads model.json and its weight files from disk (tfjs without tfjs-node has no file:// loader). */
function fileHandler(path: string): tf.io.IOHandler {
  return {
    load: async () => {
      const json = JSON.parse(readFileSync(path, "utf8")) as tf.io.ModelJSON;
      return tf.io.getModelArtifactsForJSON(json, async (manifest) => {
        const specs = manifest.flatMap((g) => g.weights);
        const shards = manifest.flatMap((g) => g.paths.map((p) => readFileSync(join(dirname(path), p))));
        const data = new Uint8Array(shards.reduce((n, s) => n + s.length, 0));
        let at = 0;
        for (const s of shards) { data.set(s, at); at += s.length; }
        return [specs, data.buffer];
      });
    },
  };
}

const mnistNet = () => anyNet(randomize(mlp([784, 128, 10], { seed: 1 }), 11, 0.1));
const sigmoidTanhNet = () => anyNet(randomize(sequential(dense(6, 12), sigmoid(), dense(12, 9), tanh(), dense(9, 7), sigmoid(), dense(7, 3), identity()), 12, 1));

describe("modelToTfjs loads in TensorFlow.js", () => {
  it.each([["784-128-10 ReLU / softmax (MNIST)", mnistNet], ["6-12-9-7-3 sigmoid / tanh / sigmoid / identity", sigmoidTanhNet]])(
    "%s, from memory: TF.js predicts shapegrad's predictions within 1e-5",
    async (_, make) => {
      const net = make();
      const { modelJson, weights } = modelToTfjs(net);
      expect(modelJson.weightsManifest).toEqual([{ paths: [TFJS_WEIGHTS_FILE], weights: expect.any(Array) }]);
      const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: modelJson.weightsManifest[0]!.weights, weightData: weights.slice().buffer }));
      expect(model.layers.map((l) => l.getClassName())).toEqual(net.activations.map(() => "Dense"));
      expect(model.layers.map((l) => (l.getConfig() as { activation: string }).activation)).toEqual(net.activations.map((a) => (a === "identity" ? "linear" : a)));
      const features = net.sizes[0]!;
      const x = inputRows(17, features, 61);
      expect(maxAbsDiff(tfPredict(model, x, 17), predictRows(net, x, 17))).toBeLessThan(1e-5);
      model.dispose();
    },
  );

  it("stores each kernel as Keras's [in, out], the transpose of shapegrad's W", () => {
    const net = randomize(mlp([3, 2], { seed: 1 }), 5);
    const { modelJson, weights } = modelToTfjs(net);
    expect(modelJson.weightsManifest[0]!.weights).toEqual([{ name: "dense_1/kernel", shape: [3, 2], dtype: "float32" }, { name: "dense_1/bias", shape: [2], dtype: "float32" }]);
    const values = new Float32Array(weights.slice().buffer);
    const w = net.weights[0].data; // [2, 3]
    expect(Array.from(values.subarray(0, 6))).toEqual([w[0]!, w[3]!, w[1]!, w[4]!, w[2]!, w[5]!].map(Math.fround));
    expect(Array.from(values.subarray(6))).toEqual(Array.from(net.biases[0].data, Math.fround));
  });

  it("from the files npm run export writes, read by a file IOHandler: the same predictions", async () => {
    const dir = mkdtempSync(join(tmpdir(), "shapegrad-tfjs-"));
    const net = sigmoidTanhNet();
    const source = join(dir, "model.json");
    saveModel(net, source);
    const err: string[] = [];
    expect(runExport(["--model", source, "--format", "tfjs", "--out", join(dir, "tfjs")], { line: () => {}, error: (s) => err.push(s) })).toBe(0);
    expect(err).toEqual([]);
    const model = await tf.loadLayersModel(fileHandler(join(dir, "tfjs", "model.json")));
    const x = inputRows(9, 6, 62);
    expect(maxAbsDiff(tfPredict(model, x, 9), predictRows(net, x, 9))).toBeLessThan(1e-5);
    model.dispose();
  });
});

/** Saves a TF.js model with its own `model.save`, then lays the artifacts out as a model.json does, split into `shards` weight files. */
async function saveTf(model: tf.LayersModel, shards = 1): Promise<{ modelJson: tf.io.ModelJSON; weights: Uint8Array[]; artifacts: tf.io.ModelArtifacts }> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (a) => {
    artifacts = a;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" } };
  }));
  const data = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts!.weightData!));
  const cut = Math.floor(data.length / shards / 4) * 4;
  const weights = Array.from({ length: shards }, (_, k) => data.slice(k * cut, k === shards - 1 ? data.length : (k + 1) * cut));
  const modelJson: tf.io.ModelJSON = {
    modelTopology: artifacts!.modelTopology!, format: artifacts!.format!, generatedBy: artifacts!.generatedBy!, convertedBy: artifacts!.convertedBy!,
    weightsManifest: [{ paths: weights.map((_, k) => `group1-shard${k + 1}of${shards}.bin`), weights: artifacts!.weightSpecs! }],
  };
  return { modelJson, weights, artifacts: artifacts! };
}

/** Trains `model` a few steps on seeded random data, so that its weights are not the initial ones. */
async function trainFewSteps(model: tf.Sequential, shape: number[], classes: number, loss = "categoricalCrossentropy"): Promise<void> {
  const x = tf.tensor(inputRows(32, shape.reduce((a, b) => a * b, 1), 71), [32, ...shape]);
  const labels = tf.oneHot(tf.tensor1d(Array.from({ length: 32 }, (_, i) => i % classes), "int32"), classes);
  model.compile({ optimizer: tf.train.adam(0.05), loss });
  await model.fit(x, labels, { epochs: 5, batchSize: 8, shuffle: false, verbose: 0 });
  tf.dispose([x, labels]);
}

describe("modelFromTfjs imports models trained and saved by TensorFlow.js", () => {
  it("Dense relu -> Dense softmax, trained 5 epochs: shapegrad predicts what TF.js predicts within 1e-5", async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 8, activation: "relu", inputShape: [5] }), tf.layers.dense({ units: 3, activation: "softmax" })] });
    const before = (model.getWeights()[0]!.dataSync() as Float32Array).slice();
    await trainFewSteps(model, [5], 3);
    expect(maxAbsDiff(model.getWeights()[0]!.dataSync(), before)).toBeGreaterThan(1e-3); // it did train
    const { modelJson, weights } = await saveTf(model);
    const net = modelFromTfjs(JSON.stringify(modelJson), weights, [5, 8, 3]);
    expect(net.activations).toEqual(["relu", "softmax"]);
    expect(net.loss).toBe("crossEntropy");
    const x = inputRows(12, 5, 72);
    expect(maxAbsDiff(predictRows(net, x, 12), tfPredict(model, x, 12))).toBeLessThan(1e-5);
  });

  it("InputLayer, Flatten of [2, 3], Dense tanh, Dense + Activation(sigmoid), Dropout, Dense without bias (linear), weights in 2 shards", async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.inputLayer({ inputShape: [2, 3] }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 7, activation: "tanh" }),
        tf.layers.dense({ units: 5 }),
        tf.layers.activation({ activation: "sigmoid" }),
        tf.layers.dropout({ rate: 0.5 }),
        tf.layers.dense({ units: 4, useBias: false }),
      ],
    });
    const before = (model.getWeights()[0]!.dataSync() as Float32Array).slice();
    await trainFewSteps(model, [2, 3], 4, "meanSquaredError");
    expect(maxAbsDiff(model.getWeights()[0]!.dataSync(), before)).toBeGreaterThan(1e-3);
    const { modelJson, weights, artifacts } = await saveTf(model, 2);
    expect(modelJson.weightsManifest[0]!.paths).toHaveLength(2);
    const net = modelFromTfjs(modelJson, weights, [6, 7, 5, 4]);
    expect(net.activations).toEqual(["tanh", "sigmoid", "identity"]);
    expect(net.loss).toBe("meanSquaredError");
    expect(Array.from(net.biases[2].data)).toEqual([0, 0, 0, 0]);
    const x = inputRows(10, 6, 73);
    const want = tfRun(model, tf.tensor3d(x, [10, 2, 3]));
    expect(maxAbsDiff(predictRows(net, x, 10), want)).toBeLessThan(1e-5);
    // TF.js's in-memory ModelArtifacts (weightSpecs + weightData) import the same.
    const again = modelFromTfjs(artifacts, new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData!)));
    expect(Array.from(again.weights[1]!.data)).toEqual(Array.from(net.weights[1].data));
  });

  it("round trip: modelToTfjs then modelFromTfjs gives the float32-rounded weights", () => {
    const net = sigmoidTanhNet();
    const { modelJson, weights } = modelToTfjs(net);
    const back = modelFromTfjs(JSON.parse(JSON.stringify(modelJson)), weights, [6, 12, 9, 7, 3]);
    expect(back.activations).toEqual(net.activations);
    back.weights.forEach((w, l) => expect(Array.from(w.data)).toEqual(Array.from(net.weights[l]!.data, Math.fround)));
  });
});

describe("modelFromTfjs rejects bad files with a named reason", () => {
  const good = () => {
    const { modelJson, weights } = modelToTfjs(randomize(mlp([3, 4, 2], { seed: 1 }), 3));
    return { json: JSON.parse(JSON.stringify(modelJson)) as Record<string, any>, weights };
  };
  const layer = (j: Record<string, any>, k: number) => j.modelTopology.config.layers[k];

  it("accepts the unmodified file (so each case below fails for its own reason)", () => {
    const { json, weights } = good();
    expect(modelFromTfjs(json, weights, [3, 4, 2]).sizes).toEqual([3, 4, 2]);
  });

  it.each<[string, (j: Record<string, any>, w: Uint8Array) => [unknown, unknown], string]>([
    ["not JSON", (_, w) => ["{ model", w], "modelFromTfjs: model.json is not valid JSON"],
    ["a graph model", (j, w) => [{ ...j, format: "graph-model" }, w], 'modelFromTfjs: expects format "layers-model", got "graph-model"'],
    ["no topology", (j, w) => [{ ...j, modelTopology: undefined }, w], "modelFromTfjs: model.json has no modelTopology"],
    ["a functional model", (j, w) => [{ ...j, modelTopology: { ...j.modelTopology, class_name: "Functional" } }, w], 'modelFromTfjs: expects a Sequential model, got class "Functional"'],
    ["missing weights (no manifest)", (j, w) => [{ ...j, weightsManifest: undefined }, w], "modelFromTfjs: model.json has no weightsManifest (missing weights)"],
    ["a missing weight", (j, w) => { j.weightsManifest[0].weights[3].name = "dense_2/gamma"; return [j, w]; }, 'modelFromTfjs: layer "dense_2" (Dense) has no weight "dense_2/bias" in the weights manifest'],
    ["a weight of no layer", (j, w) => { j.weightsManifest[0].weights.push({ name: "extra", shape: [1], dtype: "float32" }); return [j, new Uint8Array([...w, 0, 0, 0, 0])]; }, 'modelFromTfjs: weight "extra" belongs to no Dense or Conv2D layer of the model'],
    ["a shard that is too short", (j, w) => [j, w.slice(0, w.length - 4)], "modelFromTfjs: the weights manifest describes 104 bytes but the weight files hold 100 (shard sizes do not match)"],
    ["a kernel of the wrong shape", (j, w) => { j.weightsManifest[0].weights[2].shape = [2, 4]; return [j, w]; }, 'modelFromTfjs: layer "dense_2" (Dense) has kernel "dense_2/kernel" of shape [2, 4], expected [inputs, 2]'],
    ["kernels that do not chain", (j, w) => { const ws = j.weightsManifest[0].weights; ws[2].shape = [8, 1]; layer(j, 1).config.units = 1; ws[3].shape = [1]; return [j, w.slice(0, 4 * (12 + 4 + 8 + 1))]; }, 'modelFromTfjs: layer "dense_2" (Dense) expects 8 inputs but layer "dense_1" (Dense) outputs 4'],
    ["an input shape that disagrees with the kernel", (j, w) => { layer(j, 0).config.batch_input_shape = [null, 5]; return [j, w]; }, "modelFromTfjs: layer \"dense_1\" (Dense) expects 3 inputs but the model's input has 5 features"],
    ["an unsupported layer class", (j, w) => { j.modelTopology.config.layers.splice(1, 0, { class_name: "BatchNormalization", config: { name: "bn" } }); return [j, w]; }, 'modelFromTfjs: layer "bn" (BatchNormalization): layer class BatchNormalization is not supported'],
    ["an unsupported activation", (j, w) => { layer(j, 0).config.activation = "elu"; return [j, w]; }, 'modelFromTfjs: layer "dense_1" (Dense): activation "elu" is not supported (shapegrad imports linear, relu, sigmoid, tanh, softmax)'],
    ["softmax in a hidden layer", (j, w) => { layer(j, 0).config.activation = "softmax"; return [j, w]; }, 'modelFromTfjs: softmax after layer "dense_1" (Dense) is only supported at the output'],
    ["quantized weights", (j, w) => { j.weightsManifest[0].weights[0].quantization = { dtype: "uint8", scale: 1, min: 0 }; return [j, w]; }, 'modelFromTfjs: weight "dense_1/kernel" is quantized'],
    ["int32 weights", (j, w) => { j.weightsManifest[0].weights[0].dtype = "int32"; return [j, w]; }, 'modelFromTfjs: weight "dense_1/kernel" has dtype "int32", expected "float32"'],
    ["a NaN weight", (j, w) => { const c = w.slice(); new DataView(c.buffer).setFloat32(8, NaN, true); return [j, c]; }, 'modelFromTfjs: expects finite numbers, got NaN at layer "dense_1" (Dense) weights['],
    ["weights that are not bytes", (j) => [j, "weights.bin"], "modelFromTfjs: expects the weights as Uint8Array or ArrayBuffer (or a list of them), got string"],
  ])("%s", (_, damage, message) => {
    const { json, weights } = good();
    const [j, w] = damage(json, weights);
    const load = () => modelFromTfjs(j as object, w as Uint8Array);
    expect(load).toThrow(ModelFormatError);
    expect(load).toThrow(message);
  });

  it("the wrong architecture for the requested type", () => {
    const { json, weights } = good();
    expect(() => modelFromTfjs(json, weights, [3, 5, 2])).toThrow("modelFromTfjs: expects a model of sizes [3, 5, 2], the file holds [3, 4, 2]");
  });
});

// ---- convolutional networks (Keras is NHWC: inputs are converted with toNhwc) ----

const mnistCnn = () => randomize(sequential(input(1, 28, 28), conv2d(8, 5), relu(), maxPool2d(2), conv2d(16, 5, { padding: "same" }), relu(), maxPool2d(2), flatten(), dense(10), softmax()), 41, 0.3);
const oddCnn = () => randomize(sequential(input(3, 10, 9), conv2d(4, [3, 4], { stride: 2, padding: "same" }), tanh(), maxPool2d([3, 2], [1, 2]), conv2d(5, 2, { padding: 1 }), sigmoid(), flatten(), dense(6), softmax()), 42, 0.5);

/** Loads modelToTfjs's output in TF.js from memory. */
async function loadInTf(net: Parameters<typeof modelToTfjs>[0]): Promise<tf.LayersModel> {
  const { modelJson, weights } = modelToTfjs(net);
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: modelJson.weightsManifest[0]!.weights, weightData: weights.slice().buffer }));
}

describe("modelToTfjs: convolutional networks load in TensorFlow.js", () => {
  it.each([
    ["the issue's MNIST CNN", mnistCnn, ["Conv2D", "MaxPooling2D", "Conv2D", "MaxPooling2D", "Flatten", "Dense"]],
    ["3 channels, stride 2, uneven same, a 3x4 kernel, 3x2 pooling by (1, 2), padding 1 (ZeroPadding2D), 5 channels flattened", oddCnn, ["Conv2D", "MaxPooling2D", "ZeroPadding2D", "Conv2D", "Flatten", "Dense"]],
  ] as const)("%s: TF.js predicts shapegrad's predictions within 1e-5 on the same images in NHWC", async (_, make, classes) => {
    const net = make();
    const model = await loadInTf(net);
    expect(model.layers.map((l) => l.getClassName())).toEqual(classes);
    const shape = [...net.layers[0]!.inputShape];
    const x = inputRows(6, net.sizes[0]!, 43);
    const want = predictRows(net, x, 6);
    expect(maxAbsDiff(tfRun(model, tf.tensor4d(toNhwc(x, 6, shape), [6, shape[1]!, shape[2]!, shape[0]!])), want)).toBeLessThan(1e-5);
    model.dispose();
  });

  it("a float32 network: TF.js predicts what shapegrad predicts in float32", async () => {
    const net = randomize(sequentialWith({ dtype: "float32" }, [input(2, 7, 7), conv2d(3, 3, { stride: 2, padding: "same" }), relu(), flatten(), dense(4), softmax()]), 49);
    const model = await loadInTf(net);
    const x = inputRows(5, 98, 50);
    expect(maxAbsDiff(tfRun(model, tf.tensor4d(toNhwc(x, 5, [2, 7, 7]), [5, 7, 7, 2])), predictRows(net, x, 5))).toBeLessThan(1e-6);
    model.dispose();
  });

  it("stores a Conv2D kernel as Keras's [KH, KW, C, F] and the Dense after a Flatten with its rows in (h, w, c) order", () => {
    const net = randomize(sequential(input(2, 2, 3), conv2d(3, [1, 2], { padding: "valid" }), flatten(), dense(2)), 44);
    const { modelJson, weights } = modelToTfjs(net);
    expect(modelJson.weightsManifest[0]!.weights.map((w) => [w.name, w.shape])).toEqual([["conv2d_1/kernel", [1, 2, 2, 3]], ["conv2d_1/bias", [3]], ["dense_1/kernel", [12, 2]], ["dense_1/bias", [2]]]);
    const values = new Float32Array(weights.slice().buffer);
    const W = net.weights[0].data; // [F=3][C=2][KH=1][KW=2]
    // kernel[kh][kw][c][f] = W[f][c][kh][kw]: entry (0, 1, 1, 2) sits at ((0*2 + 1)*2 + 1)*3 + 2 = 11
    expect(values[11]).toBe(Math.fround(W[((2 * 2 + 1) * 1 + 0) * 2 + 1]!));
    // the conv output is [3, 2, 2]; Keras flattens (h, w, c): its row (h=1, w=0, c=2) = 1*2*3 + 0*3 + 2 = 8 is shapegrad's column c*4 + h*2 + w = 10
    const D = net.weights[2].data; // [2][12]
    const kernel = values.subarray(12 + 3, 12 + 3 + 24); // [12][2]
    expect(kernel[8 * 2 + 1]).toBe(Math.fround(D[1 * 12 + 10]!));
  });

  it("a network that ends in a conv layer: TF.js outputs [batch, OH, OW, F], shapegrad's outputs in NHWC order (with softmax over the whole example: Flatten, then softmax)", async () => {
    const x = inputRows(3, 2 * 5 * 5, 46);
    for (const net of [randomize(sequential(input(2, 5, 5), conv2d(3, 2, { stride: 2 }), tanh()), 47), randomize(sequential(input(2, 5, 5), conv2d(3, 2, { stride: 2 }), softmax()), 48)]) {
      const model = await loadInTf(net);
      const got = tfRun(model, tf.tensor4d(toNhwc(x, 3, [2, 5, 5]), [3, 5, 5, 2]));
      expect(maxAbsDiff(got, toNhwc(predictRows(net, x, 3), 3, [3, 2, 2]))).toBeLessThan(1e-5);
      model.dispose();
    }
  });
});

describe("modelFromTfjs imports convolutional models trained and saved by TensorFlow.js", () => {
  const makeModel = () => tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [9, 8, 3], filters: 4, kernelSize: [3, 2], strides: 2, padding: "same", activation: "relu" }),
      tf.layers.maxPooling2d({ poolSize: 2, strides: 1 }),
      tf.layers.zeroPadding2d({ padding: 1 }),
      tf.layers.conv2d({ filters: 5, kernelSize: 3 }),
      tf.layers.activation({ activation: "tanh" }),
      tf.layers.flatten(),
      tf.layers.dropout({ rate: 0.25 }),
      tf.layers.dense({ units: 4, activation: "softmax" }),
    ],
  });
  const layers = () => [input(3, 9, 8), conv2d(4, [3, 2], { stride: 2, padding: "same" }), relu(), maxPool2d(2, 1), conv2d(5, 3, { padding: 1 }), tanh(), flatten(), dense(4), softmax()] as const;

  it("Conv2D (same, stride 2, 3x2), MaxPooling2D, ZeroPadding2D + Conv2D, Activation, Flatten, Dropout, Dense, trained 5 epochs: shapegrad predicts what TF.js predicts within 1e-5", async () => {
    const model = makeModel();
    const before = (model.getWeights()[0]!.dataSync() as Float32Array).slice();
    await trainFewSteps(model, [9, 8, 3], 4);
    expect(maxAbsDiff(model.getWeights()[0]!.dataSync(), before)).toBeGreaterThan(1e-3); // it did train
    const { modelJson, weights } = await saveTf(model, 2);
    const net = modelFromTfjs(JSON.stringify(modelJson), weights, [...layers()]);
    expect(net.layers.map((l) => l.kind)).toEqual(["conv2d", "maxPool2d", "conv2d", "flatten", "dense"]);
    const x = inputRows(7, 216, 45);
    const want = tfRun(model, tf.tensor4d(toNhwc(x, 7, [3, 9, 8]), [7, 9, 8, 3]));
    expect(maxAbsDiff(predictRows(net, x, 7), want)).toBeLessThan(1e-5);
    expect(modelFromTfjs(modelJson, weights, "any").layers.map((l) => l.spec)).toEqual(net.layers.map((l) => ({ ...l.spec, ...(l.kind === "dense" ? { inputs: 60 } : {}) })));
    model.dispose();
  });

  it("round trip: modelToTfjs then modelFromTfjs gives the float32-rounded weights back", () => {
    const net = oddCnn();
    const { modelJson, weights } = modelToTfjs(net);
    const back = modelFromTfjs(modelJson, weights, [input(3, 10, 9), conv2d(4, [3, 4], { stride: 2, padding: "same" }), tanh(), maxPool2d([3, 2], [1, 2]), conv2d(5, 2, { padding: 1 }), sigmoid(), flatten(), dense(6), softmax()]);
    back.weights.forEach((w, l) => expect(w && Array.from(w.data)).toEqual(net.weights[l] && Array.from(net.weights[l]!.data, Math.fround)));
  });

  const good = () => {
    const { modelJson, weights } = modelToTfjs(oddCnn());
    return { json: JSON.parse(JSON.stringify(modelJson)) as Record<string, any>, weights };
  };
  const layer = (j: Record<string, any>, k: number) => j.modelTopology.config.layers[k];
  it.each<[string, (j: Record<string, any>) => void, string]>([
    ["channels_first", (j) => { layer(j, 0).config.data_format = "channels_first"; }, 'layer "conv2d_1" (Conv2D) has data_format "channels_first"; shapegrad imports channels_last (NHWC), Keras\'s default'],
    ["a dilated convolution", (j) => { layer(j, 3).config.dilation_rate = [2, 2]; }, 'layer "conv2d_2" (Conv2D) has dilation_rate [2,2]; shapegrad\'s conv2d is not dilated'],
    ["a pooling that pads", (j) => { layer(j, 1).config.padding = "same"; }, 'layer "max_pooling2d_1" (MaxPooling2D) has padding "same"; shapegrad\'s maxPool2d does not pad ("valid")'],
    ["an uneven zero padding", (j) => { layer(j, 2).config.padding = [[1, 0], [1, 1]]; }, 'layer "conv2d_2" (Conv2D) pads [top 1, bottom 0, left 1, right 1]: shapegrad\'s conv2d pads the same number on every side, or as TensorFlow\'s "same"'],
    ["a zero padding before a pooling", (j) => { const l = j.modelTopology.config.layers; [l[1], l[2]] = [l[2], l[1]]; }, 'layer "zero_padding2d_1" (ZeroPadding2D) pads the input of layer "max_pooling2d_1" (MaxPooling2D); shapegrad imports a ZeroPadding2D only right before a Conv2D'],
    ["same padding after a zero padding", (j) => { layer(j, 3).config.padding = "same"; }, 'layer "conv2d_2" (Conv2D) has padding "same" after a ZeroPadding2D'],
    ["a kernel of another size than kernel_size", (j) => { layer(j, 0).config.kernel_size = [3, 3]; }, 'layer "conv2d_1" (Conv2D) has kernel "conv2d_1/kernel" of shape [3, 4, 3, 4], expected [3, 3, channels, 4]'],
    ["an input of other channels", (j) => { layer(j, 0).config.batch_input_shape = [null, 10, 9, 2]; }, 'layer "conv2d_1" (Conv2D) expects 3 input channels but the model\'s input gives 2 (shape [2, 10, 9])'],
    ["a Dense on an image (no Flatten)", (j) => { j.modelTopology.config.layers.splice(4, 1); }, 'layer "dense_1" (Dense): the layers do not fit together: sequential layer 4 dense expects a flat input (put flatten() before it), but layer 3 outputs 5x4x3'],
  ])("%s is a ModelFormatError naming the layer", (_, damage, message) => {
    const { json, weights } = good();
    damage(json);
    const load = () => modelFromTfjs(json, weights, "any");
    expect(load).toThrow(ModelFormatError);
    expect(load).toThrow(`modelFromTfjs: ${message}`);
  });
});
