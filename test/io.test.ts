/**
 * Model JSON (version 2: layers by kind, input shape, dtype; version 1: dense networks, still read).
 * The document's layout is checked by a reference forward pass written here from the definitions,
 * fed with the document's own numbers read as docs/model-files.md says (a conv layer's weights as
 * F rows of C*KH*KW numbers in (c, kh, kw) order, "same" padding by TensorFlow's rule).
 */
import { mkdtempSync, readFileSync, writeFileSync, readdirSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  conv2d, dense, flatten, fromRows, input, maxPool2d, mlp, modelFromJSON, modelToJSON, ModelFormatError, predict, relu, sequential,
  sequentialWith, sigmoid, softmax, tanh, transpose, widen, type ModelDocument,
} from "../src/index.js";
import { loadModel, saveModel, writeFileAtomic } from "../src/node.js";
import { inputRows, maxAbsDiff, naiveNetForward, predictRows, randomize, type RefLayer } from "./interop-helpers.js";

const net = mlp([4, 6, 3], { seed: 5 });
net.biases[0].data.set([0.1, -0.2, 0.3, 0, 0.5, -1e-7]);
const text = modelToJSON(net);
const x = widen(transpose(fromRows([[0.1, 0.2, 0.3, 0.4], [1, 0, -1, 2]])));

/** The MNIST CNN, and one with stride 2, "same" padding, a rectangular kernel, overlapping pooling and a numeric padding. */
const mnistLayers = () => [input(1, 28, 28), conv2d(8, 5), relu(), maxPool2d(2), conv2d(16, 5, { padding: "same" }), relu(), maxPool2d(2), flatten(), dense(10), softmax()] as const;
const oddLayers = () => [input(3, 10, 9), conv2d(4, [3, 4], { stride: 2, padding: "same" }), tanh(), maxPool2d([2, 3], [1, 2]), conv2d(5, 2, { padding: 1 }), sigmoid(), flatten(), dense(6), softmax()] as const;
const mnist = randomize(sequential(...mnistLayers()), 1, 0.3);
const odd = randomize(sequential(...oddLayers()), 2, 0.5);

/** TensorFlow's "same": out = ceil(n / s), the total padding split with the smaller half first. */
function samePads(n: number, k: number, s: number): [number, number] {
  const total = Math.max((Math.ceil(n / s) - 1) * s + k - n, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/** A version 2 document as the reference network, read as docs/model-files.md describes it. */
function referenceOf(doc: ModelDocument): RefLayer[] {
  let shape = [...doc.input];
  return doc.layers.map((l): RefLayer => {
    if (l.kind === "dense") { shape = [l.outputs]; return { kind: "dense", w: l.weights, b: l.bias, f: l.activation }; }
    if (l.kind === "flatten") { shape = [shape.reduce((p, n) => p * n, 1)]; return { kind: "flatten" }; }
    const [c, h, w] = shape as [number, number, number];
    if (l.kind === "maxPool2d") {
      shape = [c, Math.floor((h - l.size[0]) / l.stride[0]) + 1, Math.floor((w - l.size[1]) / l.stride[1]) + 1];
      return { kind: "pool", size: l.size, stride: l.stride };
    }
    const [kh, kw] = l.kernel, [sh, sw] = l.stride;
    const [pt, pb] = l.padding === "same" ? samePads(h, kh, sh) : [Number(l.padding === "valid" ? 0 : l.padding), Number(l.padding === "valid" ? 0 : l.padding)];
    const [pl, pr] = l.padding === "same" ? samePads(w, kw, sw) : [pt, pb];
    // row f holds C*KH*KW numbers in (c, kh, kw) order
    const kernel = l.weights.map((row) => Array.from({ length: c }, (_, ci) => Array.from({ length: kh }, (_, y) => Array.from({ length: kw }, (_, k) => row[(ci * kh + y) * kw + k]!))));
    shape = [l.filters, Math.floor((h + pt! + pb! - kh) / sh) + 1, Math.floor((w + pl! + pr! - kw) / sw) + 1];
    return { kind: "conv", w: kernel, b: l.bias, stride: l.stride, pads: [pt!, pb!, pl!, pr!], f: l.activation };
  });
}

describe("model JSON, version 2", () => {
  it("a dense network round-trips: identical parameters and predictions, typed by the expected sizes", () => {
    const back = modelFromJSON(text, [4, 6, 3]);
    expect(back.sizes).toEqual([4, 6, 3]);
    back.weights.forEach((w, l) => expect(w.data).toEqual(net.weights[l]!.data));
    expect(predict(back, x as never).data).toEqual(predict(net, x as never).data);
    expect(modelFromJSON(text).activations).toEqual(["relu", "softmax"]);
    const doc = JSON.parse(text) as ModelDocument;
    expect([doc.format, doc.version, doc.dtype, doc.loss, doc.input, doc.layers.map((l) => l.kind)]).toEqual(["shapegrad-mlp", 2, "float64", "crossEntropy", [4], ["dense", "dense"]]);
  });

  it.each([
    ["the issue's MNIST CNN", mnist, (t: string) => modelFromJSON(t, [...mnistLayers()])],
    ["stride 2, same padding, a 3x4 kernel, overlapping pooling, padding 1", odd, (t: string) => modelFromJSON(t, [...oddLayers()])],
  ] as const)(
    "%s: the document read by a reference forward pass gives shapegrad's predictions",
    (_, network, load) => {
      const doc = JSON.parse(modelToJSON(network)) as ModelDocument;
      expect(doc.input).toEqual([...network.layers[0].inputShape]);
      expect(doc.layers.map((l) => l.kind)).toEqual(network.layers.map((l) => l.kind));
      const rows = inputRows(4, network.sizes[0], 3);
      expect(maxAbsDiff(naiveNetForward(referenceOf(doc), doc.input, rows, 4), predictRows(network, rows, 4))).toBeLessThan(1e-12);
      // and back, typed by the layer list: every parameter bit for bit
      const back = load(JSON.stringify(doc));
      back.weights.forEach((w, l) => expect(w === null ? null : Array.from(w.data)).toEqual(network.weights[l] ? Array.from(network.weights[l].data) : null));
      back.biases.forEach((b, l) => expect(b === null ? null : Array.from(b.data)).toEqual(network.biases[l] ? Array.from(network.biases[l].data) : null));
      expect(predictRows(back, rows, 4)).toEqual(predictRows(network, rows, 4));
    },
  );

  it("the conv layer's document: its hyperparameters as written, its weights F rows of C*KH*KW numbers", () => {
    const doc = JSON.parse(modelToJSON(odd)) as ModelDocument;
    const { weights, bias, ...conv } = doc.layers[0] as Extract<ModelDocument["layers"][number], { kind: "conv2d" }>;
    expect(conv).toEqual({ kind: "conv2d", filters: 4, kernel: [3, 4], stride: [2, 2], padding: "same", activation: "tanh" });
    expect(weights.length).toBe(4);
    expect(weights.every((row) => row.length === 3 * 3 * 4)).toBe(true);
    expect(weights.flat()).toEqual(Array.from(odd.weights[0].data));
    expect(bias).toEqual(Array.from(odd.biases[0].data));
    expect(doc.layers[1]).toEqual({ kind: "maxPool2d", size: [2, 3], stride: [1, 2] });
    expect(doc.layers[3]).toEqual({ kind: "flatten" });
  });

  it('"any" loads whatever the file holds; without an expectation a CNN is refused, naming its first layer that is not dense', () => {
    const any = modelFromJSON(modelToJSON(mnist), "any");
    expect(any.layers.map((l) => [l.kind, l.inputShape, l.outputShape])).toEqual(mnist.layers.map((l) => [l.kind, l.inputShape, l.outputShape]));
    expect(() => modelFromJSON(modelToJSON(mnist))).toThrow(
      'modelFromJSON: the file holds a network with layer 1 conv2d(8, [5, 5], { stride: [1, 1], padding: "valid" }) + relu, which an Mlp cannot hold: pass its layer list ([input(...), conv2d(...), ...]) or "any"',
    );
    expect(() => modelFromJSON(modelToJSON(mnist), [784, 10])).toThrow("modelFromJSON: expects a dense network of sizes [784, 10], the file holds layer 1 conv2d(8, [5, 5]");
  });

  it("a layer list that computes the same is accepted (padding 2 is \"same\" for a 5x5 kernel at stride 1); one that differs is named", () => {
    const file = modelToJSON(mnist);
    const same = modelFromJSON(file, [input(1, 28, 28), conv2d(8, 5, { stride: 1 }), relu(), maxPool2d(2, 2), conv2d(16, 5, { padding: 2 }), relu(), maxPool2d(2), flatten(), dense(576, 10), softmax()]);
    expect(same.layers[2].spec).toEqual({ kind: "conv2d", filters: 16, kernel: [5, 5], stride: [1, 1], padding: 2 }); // the caller's spec
    const cases: [string, () => unknown, string][] = [
      ["another kernel", () => modelFromJSON(file, [input(1, 28, 28), conv2d(8, 3), relu(), maxPool2d(2), conv2d(16, 5, { padding: "same" }), relu(), maxPool2d(2), flatten(), dense(10), softmax()]),
        'expects layer 1 to be conv2d(8, [3, 3], { stride: [1, 1], padding: "valid" }) + relu (as the layer list says), the file holds conv2d(8, [5, 5], { stride: [1, 1], padding: "valid" }) + relu'],
      ["another activation", () => modelFromJSON(file, [input(1, 28, 28), conv2d(8, 5), tanh(), maxPool2d(2), conv2d(16, 5, { padding: "same" }), relu(), maxPool2d(2), flatten(), dense(10), softmax()]),
        "expects layer 1 to be conv2d(8, [5, 5], { stride: [1, 1], padding: \"valid\" }) + tanh (as the layer list says), the file holds conv2d(8, [5, 5], { stride: [1, 1], padding: \"valid\" }) + relu"],
      ["another input", () => modelFromJSON(file, [input(1, 32, 32), conv2d(8, 5), relu(), maxPool2d(2), conv2d(16, 5, { padding: "same" }), relu(), maxPool2d(2), flatten(), dense(10), softmax()]),
        "expects an input of shape [1, 32, 32] (as the layer list says), the file's is [1, 28, 28]"],
      ["a layer fewer", () => modelFromJSON(file, [input(1, 28, 28), conv2d(8, 5), relu(), maxPool2d(2), flatten(), dense(10), softmax()]),
        "expects layer 3 to be flatten() (as the layer list says), the file holds conv2d(16, [5, 5]"],
      ["a dense network", () => modelFromJSON(text, [input(4), dense(6), tanh(), dense(3), softmax()]),
        "expects layer 1 to be dense(4, 6) + tanh (as the layer list says), the file holds dense(4, 6) + relu"],
    ];
    for (const [what, load, message] of cases) {
      expect(load, what).toThrow(ModelFormatError);
      expect(load, what).toThrow(`modelFromJSON: ${message}`);
    }
  });

  it("float32: the document records the dtype and holds float32 numbers exactly; the other dtype only with convert", () => {
    const f32 = randomize(sequentialWith({ dtype: "float32" }, [input(2, 5, 5), conv2d(3, 3), relu(), flatten(), dense(4), softmax()]), 7, 0.7);
    const file = modelToJSON(f32);
    const doc = JSON.parse(file) as ModelDocument;
    expect(doc.dtype).toBe("float32");
    const layers = [input(2, 5, 5), conv2d(3, 3), relu(), flatten(), dense(4), softmax()] as const;
    const back = modelFromJSON(file, [...layers], { dtype: "float32" });
    expect(back.dtype).toBe("float32");
    expect(back.weights[0].data).toBeInstanceOf(Float32Array);
    expect(Array.from(back.weights[0].data)).toEqual(Array.from(f32.weights[0].data));
    expect(() => modelFromJSON(file, [...layers])).toThrow('modelFromJSON: the file holds a float32 network; load it with { dtype: "float32" }, or pass { dtype: "float64", convert: true } to convert it');
    const wide = modelFromJSON(file, [...layers], { convert: true });
    expect(wide.dtype).toBe("float64");
    expect(Array.from(wide.weights[2].data)).toEqual(Array.from(f32.weights[2].data));
    // float64 into float32 rounds each number, and only when asked
    expect(() => modelFromJSON(text, [4, 6, 3], { dtype: "float32" })).toThrow("the file holds a float64 network");
    const narrow = modelFromJSON(text, [4, 6, 3], { dtype: "float32", convert: true });
    expect(Array.from(narrow.weights[1].data)).toEqual(Array.from(net.weights[1].data, Math.fround));
  });

  const doc = () => JSON.parse(modelToJSON(odd)) as Record<string, any>;
  const edit = (f: (d: Record<string, any>) => void) => { const d = doc(); f(d); return JSON.stringify(d); };
  const full = modelToJSON(odd);
  const damaged: [string, string, string][] = [
    ["truncated text", full.slice(0, full.length / 2), "the text is not valid JSON (truncated or damaged)"],
    ["empty text", "", "the text is not valid JSON (it is empty)"],
    ["{}", "{}", 'missing field "format"'],
    ["an array", "[]", "expects a JSON object"],
    ["a missing field", edit((d) => delete d.input), 'missing field "input"'],
    ["an extra field", edit((d) => (d.extra = 1)), 'unexpected field "extra"'],
    ["an unknown version", edit((d) => (d.version = 3)), "unknown version 3 (this library reads versions 1 and 2)"],
    ["an unknown dtype", edit((d) => (d.dtype = "float16")), 'expects dtype "float64" or "float32", got "float16"'],
    ["an input shape of two sizes", edit((d) => (d.input = [10, 9])), "expects input to be [features] or [channels, height, width] (whole numbers of 1 or more), got [10,9]"],
    ["no layers", edit((d) => (d.layers = [])), "expects layers to be a list of at least one layer, got []"],
    ["an unknown layer kind", edit((d) => (d.layers[1].kind = "avgPool2d")), 'unknown layer kind "avgPool2d" at layers[1] (model files hold dense, conv2d, maxPool2d, flatten)'],
    ["a field a kind does not have", edit((d) => (d.layers[1].padding = 1)), 'unexpected field "padding" in layers[1] (a maxPool2d layer has size, stride)'],
    ["weights on a pooling layer", edit((d) => (d.layers[1].weights = [])), 'unexpected field "weights" in layers[1] (a maxPool2d layer has size, stride)'],
    ["a conv layer without weights", edit((d) => delete d.layers[0].weights), 'missing field "weights" in layers[0] (a conv2d layer)'],
    ["a missing hyperparameter", edit((d) => delete d.layers[0].stride), 'missing field "stride" in layers[0] (a conv2d layer)'],
    ["a kernel of one size", edit((d) => (d.layers[0].kernel = [3])), "expects layers[0].kernel two whole numbers of 1 or more ([height, width]), got [3]"],
    ["a negative padding", edit((d) => (d.layers[2].padding = -1)), 'expects layers[2].padding "valid", "same" or a whole number of 0 or more, got -1'],
    ["an unknown activation", edit((d) => (d.layers[0].activation = "gelu")), 'unknown activation "gelu" at layers[0].activation'],
    ["layers that do not fit (a kernel larger than the image)", edit((d) => (d.layers[2].kernel = [9, 9])), "the layers do not fit together: sequential layer 3 conv2d expects a kernel no larger than its input 6x4 (padded by 1), got 9x9 (layer 3 is conv2d(5, [9, 9], { stride: [1, 1], padding: 1 }) + sigmoid, taking [4, 4, 2])"],
    ["a dense layer of other inputs", edit((d) => (d.layers[4].inputs = 91)), "the layers do not fit together: sequential layer 5 expects 91 inputs but layer 4 outputs 75"],
    ["conv weights: a filter missing", edit((d) => d.layers[0].weights.pop()), "expects layers[0].weights to hold 4 entries, got 3"],
    ["conv weights: a short row", edit((d) => d.layers[2].weights[1].pop()), "expects layers[2].weights[1] to hold 16 entries, got 15"],
    ["a bias too long", edit((d) => d.layers[4].bias.push(0)), "expects layers[4].bias to hold 6 entries, got 7"],
    ["NaN written as null", edit((d) => (d.layers[2].bias[1] = null)), "expects finite numbers, got null at layers[2].bias[1]"],
    ["Infinity as a string", edit((d) => (d.layers[0].weights[0][0] = "Infinity")), 'expects finite numbers, got "Infinity" at layers[0].weights[0][0]'],
    ["a number too large", edit((d) => (d.layers[4].bias[0] = 1e300)).replace("1e+300", "1e999"), "expects finite numbers, got Infinity at layers[4].bias[0]"],
    ["an unknown loss", edit((d) => (d.loss = "hinge")), 'unknown loss "hinge"'],
    ["softmax inside the network (read as any)", edit((d) => (d.layers[2].activation = "softmax")), "the architecture is not one shapegrad builds: load expects relu, sigmoid, tanh or identity in layer 3 (softmax only at the output), got softmax"],
  ];
  it.each(damaged)("%s is a clear ModelFormatError", (_name, bad, message) => {
    const load = () => (_name.endsWith("(read as any)") ? modelFromJSON(bad, "any") : modelFromJSON(bad, [...oddLayers()]));
    expect(load).toThrow(ModelFormatError);
    expect(load).toThrow(`modelFromJSON: ${message}`);
  });

  it("a float32 document holds float32 numbers: another number there is named", () => {
    const f32 = modelToJSON(sequentialWith({ dtype: "float32" }, [dense(2, 3), softmax()]));
    const bad = f32.replace(/"bias":\[0,/, '"bias":[0.1,');
    expect(bad).not.toBe(f32);
    expect(() => modelFromJSON(bad, [2, 3], { dtype: "float32" })).toThrow("modelFromJSON: expects float32 numbers in a float32 document, got 0.1 at layers[0].bias[0] (not a float32 number)");
  });

  it("rejects expectations and options that are none of the documented forms", () => {
    expect(() => modelFromJSON(text, "all" as never)).toThrow('modelFromJSON expects the layer sizes ([784, 128, 10]), the layer list ([input(1, 28, 28), conv2d(8, 5), relu(), ...]) or "any", got "all"');
    expect(() => modelFromJSON(text, [4, 6.5, 3] as number[])).toThrow("modelFromJSON expects sizes to be at least two whole numbers of 1 or more, got [4,6.5,3]");
    expect(() => modelFromJSON(text, [4, 6, 3], { dtype: "int8" } as never)).toThrow('modelFromJSON expects dtype "float64" or "float32", got "int8"');
    expect(() => modelFromJSON(text, [4, 6, 3], { seed: 1 } as never)).toThrow('modelFromJSON does not know the option "seed"');
  });
});

describe("model JSON, version 1 (dense networks, as shapegrad wrote them before convolutions)", () => {
  const v1 = {
    format: "shapegrad-mlp", version: 1, sizes: [4, 6, 3], activations: ["relu", "softmax"], loss: "crossEntropy",
    weights: [0, 1].map((l) => Array.from({ length: [6, 3][l]! }, (_, i) => Array.from(net.weights[l]!.data.subarray(i * [4, 6][l]!, (i + 1) * [4, 6][l]!)))),
    biases: [Array.from(net.biases[0].data), Array.from(net.biases[1].data)],
  };
  const textV1 = JSON.stringify(v1);
  const editV1 = (f: (d: Record<string, any>) => void) => { const d = JSON.parse(textV1); f(d); return JSON.stringify(d); };

  it("still loads, typed by sizes, by a layer list or as any; the same network as the version 2 document", () => {
    const back = modelFromJSON(textV1, [4, 6, 3]);
    back.weights.forEach((w, l) => expect(w.data).toEqual(net.weights[l]!.data));
    expect(predict(back, x as never).data).toEqual(predict(net, x as never).data);
    expect(modelFromJSON(textV1, [dense(4, 6), relu(), dense(3), softmax()]).biases[0].data).toEqual(net.biases[0].data);
    expect(modelFromJSON(textV1, "any").layers.map((l) => l.kind)).toEqual(["dense", "dense"]);
  });

  it.each<[string, string, string]>([
    ["missing weights", editV1((d) => delete d.weights), 'missing field "weights"'],
    ["extra field", editV1((d) => (d.extra = 1)), 'unexpected field "extra"'],
    ["missing layer", editV1((d) => d.weights.pop()), "expects weights to hold 2 entries, got 1"],
    ["short row", editV1((d) => d.weights[1][2].pop()), "expects weights[1][2] to hold 6 entries, got 5"],
    ["NaN written as null", editV1((d) => (d.biases[0][1] = null)), "expects finite numbers, got null at biases[0][1]"],
    ["unknown activation", editV1((d) => (d.activations[0] = "gelu")), 'unknown activation "gelu" in layer 1'],
    ["bad sizes", editV1((d) => (d.sizes = [4, -6, 3])), "expects sizes to be at least two whole numbers of 1 or more"],
    ["other sizes than expected", editV1((d) => (d.sizes = [4, 7, 3])), "expects weights[0] to hold 7 entries, got 6"],
  ])("%s is a clear ModelFormatError", (_name, bad, message) => {
    expect(() => modelFromJSON(bad, [4, 6, 3])).toThrow(ModelFormatError);
    expect(() => modelFromJSON(bad, [4, 6, 3])).toThrow(`modelFromJSON: ${message}`);
  });

  it("a version 1 file of other sizes than expected", () => {
    expect(() => modelFromJSON(textV1, [4, 7, 3])).toThrow("modelFromJSON: expects a model of sizes [4, 7, 3], the file holds [4, 6, 3]");
  });
});

describe("model files", () => {
  it("saveModel and loadModel round trip, a CNN typed by its layer list", () => {
    const dir = mkdtempSync(join(tmpdir(), "shapegrad-"));
    const path = join(dir, "model.json");
    saveModel(net, path);
    expect(predict(loadModel(path, [4, 6, 3]), x as never).data).toEqual(predict(net, x as never).data);
    saveModel(mnist, join(dir, "cnn.json"));
    const cnn = loadModel(join(dir, "cnn.json"), [...mnistLayers()]);
    const rows = inputRows(2, 784, 9);
    expect(predictRows(cnn, rows, 2)).toEqual(predictRows(mnist, rows, 2));
    expect(readdirSync(dir).sort()).toEqual(["cnn.json", "model.json"]); // no temporary file left behind
  });

  it("a save that fails leaves the previous file intact and no temporary file", () => {
    const dir = mkdtempSync(join(tmpdir(), "shapegrad-"));
    const path = join(dir, "model.json");
    writeFileSync(path, "previous model");
    mkdirSync(join(dir, "target-is-a-folder"));
    expect(() => writeFileAtomic(join(dir, "target-is-a-folder"), "new")).toThrow();
    expect(readFileSync(path, "utf8")).toBe("previous model");
    expect(readdirSync(dir).sort()).toEqual(["model.json", "target-is-a-folder"]);
  });
});
