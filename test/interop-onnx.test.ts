/**
 * ONNX export and import, checked with the real engine: ONNX Runtime (onnxruntime-node, CPU) runs
 * what modelToOnnx writes and must give shapegrad's predictions; graphs built by hand in the shape
 * torch.onnx.export writes are run by ONNX Runtime too, and modelFromOnnx must give its outputs.
 */
import { readFileSync } from "node:fs";
import onnxProto from "onnx-proto";
import type { onnx as OnnxTypes } from "onnx-proto";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import {
  conv2d, dense, flatten, identity, input, maxPool2d, mlp, modelFromOnnx, modelToOnnx, ModelFormatError, relu, sequential, sequentialWith, sigmoid, softmax, tanh,
} from "../src/index.js";
import {
  anyNet, firstDifference, inputRows, maxAbsDiff, naiveForward, naiveNetForward, predictRows, randomize, randomKernel, randomMatrix, type NaiveLayer, type RefLayer,
} from "./interop-helpers.js";

const { onnx } = onnxProto;
type Elem = "float32" | "float64";

/** Runs ONNX bytes in ONNX Runtime on rows of x; returns the single output, row-major. */
async function runOrt(bytes: Uint8Array, x: ArrayLike<number>, dims: number[], dtype: Elem = "float32"): Promise<Float64Array> {
  const session = await ort.InferenceSession.create(bytes);
  const data = dtype === "float32" ? Float32Array.from(x) : Float64Array.from(x);
  const result = await session.run({ [session.inputNames[0]!]: new ort.Tensor(dtype, data, dims) });
  return Float64Array.from(result[session.outputNames[0]!]!.data as Float32Array);
}

const mnistNet = () => anyNet(randomize(mlp([784, 128, 10], { seed: 1 }), 11, 0.1));
// Four layers, sigmoid and tanh, an identity output (mean squared error).
const sigmoidTanhNet = () => anyNet(randomize(sequential(dense(6, 12), sigmoid(), dense(12, 9), tanh(), dense(9, 7), sigmoid(), dense(7, 3), identity()), 12, 1));

describe("modelToOnnx runs in ONNX Runtime", () => {
  it.each([
    ["784-128-10 ReLU / softmax (MNIST)", mnistNet],
    ["6-12-9-7-3 sigmoid / tanh / sigmoid / identity", sigmoidTanhNet],
  ])("%s: outputs equal shapegrad's predict within 1e-5 (float32), for two batch sizes", async (_, make) => {
    const net = make();
    const bytes = modelToOnnx(net);
    const features = net.sizes[0]!;
    for (const [batch, seed] of [[1, 21], [33, 22]] as const) {
      const x = inputRows(batch, features, seed);
      const got = await runOrt(bytes, x, [batch, features]);
      const want = predictRows(net, x, batch);
      expect(got.length).toBe(want.length);
      expect(maxAbsDiff(got, want)).toBeLessThan(1e-5);
    }
  });

  it.each([["MNIST", mnistNet], ["sigmoid / tanh", sigmoidTanhNet]])("float64 export (%s) runs in double in ONNX Runtime and matches to 1e-12", async (_, make) => {
    const net = make();
    const features = net.sizes[0]!;
    const x = inputRows(9, features, 23);
    const got = await runOrt(modelToOnnx(net, { dtype: "float64" }), x, [9, features], "float64");
    expect(maxAbsDiff(got, predictRows(net, x, 9))).toBeLessThan(1e-12);
  });

  it("declares input [batch, features] and output [batch, classes] with a symbolic batch, opset 13, Gemm with transB = 1", () => {
    const model = onnx.ModelProto.decode(modelToOnnx(mnistNet()));
    const g = model.graph as OnnxTypes.GraphProto;
    const dims = (v: OnnxTypes.IValueInfoProto) => v.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue));
    expect(g.input.map((i) => i.name)).toEqual(["input"]);
    expect(dims(g.input[0]!)).toEqual(["batch", 784]);
    expect(dims(g.output[0]!)).toEqual(["batch", 10]);
    expect(g.input[0]!.type!.tensorType!.elemType).toBe(onnx.TensorProto.DataType.FLOAT);
    expect(model.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([["", 13]]);
    expect(g.node.map((n) => n.opType)).toEqual(["Gemm", "Relu", "Gemm", "Softmax"]);
    expect(g.node[0]!.attribute!.map((a) => [a.name, Number(a.i)])).toEqual([["transB", 1]]);
    expect(g.initializer.map((t) => [t.name, t.dims!.map(Number)])).toEqual([["0.weight", [128, 784]], ["0.bias", [128]], ["2.weight", [10, 128]], ["2.bias", [10]]]);
  });

  it("refuses a weight beyond float32's range (it would become Infinity) and an unknown dtype", () => {
    const net = mlp([2, 2], { seed: 1 });
    net.weights[0].data[3] = 1e39;
    expect(() => modelToOnnx(net)).toThrow('modelToOnnx: 0.weight[3] = 1e+39 does not fit in float32 (export with { dtype: "float64" })');
    expect(modelFromOnnx(modelToOnnx(net, { dtype: "float64" })).weights[0]!.data[3]).toBe(1e39);
    expect(() => modelToOnnx(net, { dtype: "float16" as "float32" })).toThrow('modelToOnnx expects dtype "float32" or "float64", got "float16"');
  });
});

describe("round trip: modelToOnnx then modelFromOnnx", () => {
  it("float64 is exact: same weights, activations, loss and predictions", () => {
    const net = sigmoidTanhNet();
    const back = modelFromOnnx(modelToOnnx(net, { dtype: "float64" }), [6, 12, 9, 7, 3]);
    expect(back.sizes).toEqual([6, 12, 9, 7, 3]);
    expect(back.activations).toEqual(net.activations);
    expect(back.loss).toBe("meanSquaredError");
    back.weights.forEach((w, l) => expect(Array.from(w.data)).toEqual(Array.from(net.weights[l]!.data)));
    back.biases.forEach((b, l) => expect(Array.from(b.data)).toEqual(Array.from(net.biases[l]!.data)));
  });

  it("float32 rounds each weight to float32 and predicts the same within 1e-5", () => {
    const net = mnistNet();
    const back = modelFromOnnx(modelToOnnx(net), [784, 128, 10]);
    expect(back.loss).toBe("crossEntropy");
    expect(firstDifference(back.weights[0].data, Array.from(net.weights[0].data, Math.fround))).toBe(-1);
    const x = inputRows(5, 784, 31);
    expect(maxAbsDiff(predictRows(back, x, 5), predictRows(net, x, 5))).toBeLessThan(1e-5);
  });
});

// ---- graphs built by hand, shaped like torch.onnx.export's output ----

interface Init { name: string; dims: number[]; values: number[]; type?: "float" | "double" | "floatData"; }
interface GraphSpec {
  nodes: { op: string; inputs: string[]; output: string; attrs?: Record<string, number | number[] | string>; name?: string }[];
  inits: Init[];
  input?: { name: string; dims: (number | string)[] };
  output?: { name: string; dims: (number | string)[] };
  opset?: number;
  ir?: number;
  initializersAsInputs?: boolean;
}

function tensorProto({ name, dims, values, type = "float" }: Init) {
  if (type === "floatData") return onnx.TensorProto.create({ name, dims, dataType: onnx.TensorProto.DataType.FLOAT, floatData: values });
  const bytes = new Uint8Array(values.length * (type === "float" ? 4 : 8));
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => (type === "float" ? view.setFloat32(i * 4, v, true) : view.setFloat64(i * 8, v, true)));
  return onnx.TensorProto.create({ name, dims, dataType: type === "float" ? onnx.TensorProto.DataType.FLOAT : onnx.TensorProto.DataType.DOUBLE, rawData: bytes });
}

function valueInfo(name: string, dims: (number | string)[], elemType = onnx.TensorProto.DataType.FLOAT) {
  return onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === "string" ? { dimParam: d } : { dimValue: d })) } } } });
}

function buildGraph(spec: GraphSpec): Uint8Array {
  const T = onnx.AttributeProto.AttributeType;
  const attr = (name: string, v: number | number[] | string) =>
    typeof v === "string" ? onnx.AttributeProto.create({ name, type: T.STRING, s: new TextEncoder().encode(v) })
    : Array.isArray(v) ? onnx.AttributeProto.create({ name, type: T.INTS, ints: v })
    : Number.isInteger(v) && name !== "alpha" && name !== "beta"
      ? onnx.AttributeProto.create({ name, type: T.INT, i: v })
      : onnx.AttributeProto.create({ name, type: T.FLOAT, f: v });
  const node = spec.nodes.map((n, k) => onnx.NodeProto.create({
    name: n.name ?? `/${k}/${n.op}`, opType: n.op, input: n.inputs, output: [n.output], attribute: Object.entries(n.attrs ?? {}).map(([a, v]) => attr(a, v)),
  }));
  const input = spec.input ?? { name: "input", dims: ["batch_size", 4] };
  const last = spec.nodes[spec.nodes.length - 1]!.output;
  const output = spec.output ?? { name: last, dims: ["batch_size", 3] };
  const inits = spec.inits.map(tensorProto);
  const graph = onnx.GraphProto.create({
    name: "main_graph", node, initializer: inits,
    input: [valueInfo(input.name, input.dims), ...(spec.initializersAsInputs ? spec.inits.map((t) => valueInfo(t.name, t.dims)) : [])],
    output: [valueInfo(output.name, output.dims)],
  });
  const model = onnx.ModelProto.create({ irVersion: spec.ir ?? 8, producerName: "pytorch", producerVersion: "2.1.0", opsetImport: [{ domain: "", version: spec.opset ?? 17 }], graph });
  return onnx.ModelProto.encode(model).finish();
}

const flat = (m: number[][]) => m.flat();
const transposeRows = (m: number[][]) => m[0]!.map((_, j) => m.map((r) => r[j]!));
const W1 = randomMatrix(5, 4, 41), B1 = randomMatrix(1, 5, 42)[0]!, W2 = randomMatrix(3, 5, 43), B2 = randomMatrix(1, 3, 44)[0]!;

/** torch.onnx.export of nn.Sequential(nn.Flatten(), nn.Linear(4, 5), nn.ReLU(), nn.Linear(5, 3), nn.Softmax(dim=1)) on a [N, 1, 2, 2] input. */
const torchGemm: GraphSpec = {
  input: { name: "input", dims: ["batch_size", 1, 2, 2] },
  output: { name: "output", dims: ["batch_size", 3] },
  nodes: [
    { op: "Flatten", inputs: ["input"], output: "/0/Flatten_output_0", attrs: { axis: 1 } },
    { op: "Gemm", inputs: ["/0/Flatten_output_0", "1.weight", "1.bias"], output: "/1/Gemm_output_0", attrs: { alpha: 1, beta: 1, transB: 1 } },
    { op: "Relu", inputs: ["/1/Gemm_output_0"], output: "/2/Relu_output_0" },
    { op: "Gemm", inputs: ["/2/Relu_output_0", "3.weight", "3.bias"], output: "/3/Gemm_output_0", attrs: { alpha: 1, beta: 1, transB: 1 } },
    { op: "Softmax", inputs: ["/3/Gemm_output_0"], output: "output", attrs: { axis: 1 } },
  ],
  inits: [{ name: "1.weight", dims: [5, 4], values: flat(W1) }, { name: "1.bias", dims: [5], values: B1 }, { name: "3.weight", dims: [3, 5], values: flat(W2) }, { name: "3.bias", dims: [3], values: B2 }],
};

/** The MatMul + Add form (weights stored [in, out]), the bias added on either side, an Identity, a tanh hidden layer and no output activation. */
const torchMatMul: GraphSpec = {
  nodes: [
    { op: "Identity", inputs: ["input"], output: "x" },
    { op: "MatMul", inputs: ["x", "onnx::MatMul_10"], output: "/0/MatMul_output_0" },
    { op: "Add", inputs: ["0.bias", "/0/MatMul_output_0"], output: "/0/Add_output_0" },
    { op: "Tanh", inputs: ["/0/Add_output_0"], output: "/1/Tanh_output_0" },
    { op: "MatMul", inputs: ["/1/Tanh_output_0", "onnx::MatMul_11"], output: "/2/MatMul_output_0" },
    { op: "Add", inputs: ["/2/MatMul_output_0", "2.bias"], output: "output" },
  ],
  inits: [
    { name: "onnx::MatMul_10", dims: [4, 5], values: flat(transposeRows(W1)) }, { name: "0.bias", dims: [5], values: B1 },
    { name: "onnx::MatMul_11", dims: [5, 3], values: flat(transposeRows(W2)) }, { name: "2.bias", dims: [3], values: B2, type: "floatData" },
  ],
};

/** Gemm without transB (weights [in, out]), alpha and beta other than 1, a [1, out] bias, sigmoid, initializers listed as inputs (old IR), opset 11 Softmax. */
const gemmVariants: GraphSpec = {
  ir: 6, opset: 11, initializersAsInputs: true,
  nodes: [
    { op: "Gemm", inputs: ["input", "B1", "C1"], output: "h", attrs: { alpha: 0.5, beta: 2 } },
    { op: "Sigmoid", inputs: ["h"], output: "a" },
    { op: "Gemm", inputs: ["a", "B2", "C2"], output: "z", attrs: { transB: 1 } },
    { op: "Softmax", inputs: ["z"], output: "y" },
  ],
  inits: [
    { name: "B1", dims: [4, 5], values: flat(transposeRows(W1)) }, { name: "C1", dims: [1, 5], values: B1 },
    { name: "B2", dims: [3, 5], values: flat(W2) }, { name: "C2", dims: [3], values: B2 },
  ],
};

const reference = {
  torchGemm: [{ w: W1, b: B1, f: "relu" }, { w: W2, b: B2, f: "softmax" }],
  torchMatMul: [{ w: W1, b: B1, f: "tanh" }, { w: W2, b: B2, f: "identity" }],
  gemmVariants: [{ w: W1.map((r) => r.map((v) => 0.5 * v)), b: B1.map((v) => 2 * v), f: "sigmoid" }, { w: W2, b: B2, f: "softmax" }],
} satisfies Record<string, NaiveLayer[]>;

describe("modelFromOnnx imports graphs shaped like torch.onnx.export's", () => {
  it.each([
    ["Flatten, Gemm (transB = 1), Relu, Gemm, Softmax(axis = 1) on a [N, 1, 2, 2] input", torchGemm, reference.torchGemm, [8, 1, 2, 2], ["relu", "softmax"]],
    ["Identity, MatMul + Add, Tanh, MatMul + Add", torchMatMul, reference.torchMatMul, [8, 4], ["tanh", "identity"]],
    ["Gemm with alpha, beta, transB = 0 and a [1, out] bias, Sigmoid, opset 11", gemmVariants, reference.gemmVariants, [8, 4], ["sigmoid", "softmax"]],
  ] as const)("%s: predictions equal ONNX Runtime's and a naive forward pass", async (_, spec, layers, dims, activations) => {
    const bytes = buildGraph(spec);
    const net = modelFromOnnx(bytes, [4, 5, 3]);
    expect(net.activations).toEqual(activations);
    const x = inputRows(8, 4, 51);
    const got = predictRows(net, x, 8);
    expect(maxAbsDiff(got, await runOrt(bytes, x, [...dims]))).toBeLessThan(1e-6);
    expect(maxAbsDiff(got, naiveForward(layers, x, 8))).toBeLessThan(1e-12);
  });

  it("reads double initializers", () => {
    const spec: GraphSpec = { ...torchGemm, inits: torchGemm.inits.map((t) => ({ ...t, values: t.values.map((v) => v + 1e-12), type: "double" as const })) };
    expect(modelFromOnnx(buildGraph(spec)).weights[0]!.data[0]).toBe(W1[0]![0]! + 1e-12);
  });
});

describe("modelFromOnnx imports files written by PyTorch's torch.onnx.export (1.13, test/interop-fixtures/make.py)", () => {
  it.each([
    ["torch-flatten-gemm", "nn.Flatten, Linear, ReLU, Linear, Softmax(dim=1) on [N, 1, 4, 4], opset 13", ["relu", "softmax"]],
    ["torch-tanh-sigmoid-dropout", "Linear, Tanh, Dropout (gone in eval mode), Linear, Sigmoid, Linear, opset 17", ["tanh", "sigmoid", "identity"]],
    ["torch-matmul-add", "x @ W.t() + b written out (MatMul + Add), ReLU, Softmax(dim=-1), opset 11", ["relu", "softmax"]],
  ])("%s (%s): predictions equal PyTorch's within 1e-6, and ONNX Runtime's", async (name, _, activations) => {
    const bytes = new Uint8Array(readFileSync(new URL(`./interop-fixtures/${name}.onnx`, import.meta.url)));
    const fixture = JSON.parse(readFileSync(new URL(`./interop-fixtures/${name}.json`, import.meta.url), "utf8")) as { sizes: number[]; input_shape: number[]; x: number[]; y: number[] };
    const net = modelFromOnnx(bytes, fixture.sizes);
    expect(net.sizes).toEqual(fixture.sizes);
    expect(net.activations).toEqual(activations);
    const got = predictRows(net, fixture.x, 5);
    expect(maxAbsDiff(got, fixture.y)).toBeLessThan(1e-6);
    expect(maxAbsDiff(got, await runOrt(bytes, fixture.x, fixture.input_shape))).toBeLessThan(1e-6);
  });
});

describe("modelFromOnnx rejects what it cannot represent, naming the node", () => {
  const gemm = (i: string, w: string, b: string, out: string) => ({ op: "Gemm", inputs: [i, w, b], output: out, attrs: { transB: 1 } });
  const inits = torchGemm.inits;
  const withNodes = (nodes: GraphSpec["nodes"], extra: Partial<GraphSpec> = {}): Uint8Array => buildGraph({ inits, input: { name: "input", dims: ["N", 4] }, output: { name: nodes[nodes.length - 1]!.output, dims: ["N", 3] }, nodes, ...extra });
  const base = [gemm("input", "1.weight", "1.bias", "h"), { op: "Relu", inputs: ["h"], output: "a" }, gemm("a", "3.weight", "3.bias", "y")];

  it("accepts the base graph (so each case below fails for its own reason)", () => {
    expect(modelFromOnnx(withNodes(base), [4, 5, 3]).activations).toEqual(["relu", "identity"]);
  });

  it.each<[string, () => unknown, string]>([
    ["a string", () => modelFromOnnx("model.onnx" as unknown as Uint8Array), "modelFromOnnx: expects the bytes of an .onnx file (Uint8Array or ArrayBuffer), got string"],
    ["no bytes", () => modelFromOnnx(new Uint8Array(0)), "modelFromOnnx: the file is empty"],
    ["bytes that are not protobuf", () => modelFromOnnx(new TextEncoder().encode("{\"format\": \"shapegrad-mlp\"}")), "modelFromOnnx: not an ONNX model"],
    ["an unsupported operator", () => modelFromOnnx(withNodes([gemm("input", "1.weight", "1.bias", "h"), { op: "LeakyRelu", inputs: ["h"], output: "a", name: "/1/LeakyRelu" }, gemm("a", "3.weight", "3.bias", "y")])),
      'modelFromOnnx: node "/1/LeakyRelu" (LeakyRelu): operator LeakyRelu is not supported (shapegrad imports Gemm, MatMul, Add, Conv, MaxPool, Flatten, Relu, Sigmoid, Tanh, Softmax, Identity, Dropout)'],
    ["a branch (a skip connection)", () => modelFromOnnx(withNodes([gemm("input", "1.weight", "1.bias", "h"), { op: "Relu", inputs: ["h"], output: "a" }, { op: "Add", inputs: ["a", "h"], output: "s", name: "skip" }, gemm("s", "3.weight", "3.bias", "y")])),
      'modelFromOnnx: node "skip" (Add) takes "a" and "h" where the chain expects only "a": shapegrad imports a chain of layers, each fed by the previous one'],
    ["a node that does not take the previous output", () => modelFromOnnx(withNodes([gemm("input", "1.weight", "1.bias", "h"), { op: "Relu", inputs: ["input"], output: "a", name: "r" }])),
      'modelFromOnnx: node "r" (Relu) takes "input" where the chain expects only "h"'],
    ["weights that are computed, not stored", () => modelFromOnnx(withNodes([{ op: "MatMul", inputs: ["input", "input"], output: "y", name: "mm" }])), 'modelFromOnnx: node "mm" (MatMul) takes "input" and "input"'],
    ["an activation before any dense layer", () => modelFromOnnx(withNodes([{ op: "Relu", inputs: ["input"], output: "r", name: "first" }, ...base.map((n, k) => (k === 0 ? { ...n, inputs: ["r", "1.weight", "1.bias"] } : n))])),
      'modelFromOnnx: node "first" (Relu) comes before any layer with weights (Gemm, MatMul or Conv)'],
    ["two activations in a row", () => modelFromOnnx(withNodes([...base.slice(0, 2), { op: "Sigmoid", inputs: ["a"], output: "a2", name: "again" }, gemm("a2", "3.weight", "3.bias", "y")])),
      'modelFromOnnx: node "again" (Sigmoid) follows the activation node "/1/Relu" (Relu); shapegrad applies one activation per layer'],
    ["softmax inside the network", () => modelFromOnnx(withNodes([gemm("input", "1.weight", "1.bias", "h"), { op: "Softmax", inputs: ["h"], output: "a" }, gemm("a", "3.weight", "3.bias", "y")])),
      'modelFromOnnx: softmax after node "/0/Gemm" (Gemm) is only supported at the output'],
    ["softmax over the batch axis", () => modelFromOnnx(withNodes([...base, { op: "Softmax", inputs: ["y"], output: "p", attrs: { axis: 0 } }])), 'modelFromOnnx: node "/3/Softmax" (Softmax) takes the softmax over axis 0, expected 1 or -1 (the features)'],
    ["Gemm with transA", () => modelFromOnnx(withNodes([{ op: "Gemm", inputs: ["input", "1.weight", "1.bias"], output: "h", attrs: { transA: 1, transB: 1 } }])), 'modelFromOnnx: node "/0/Gemm" (Gemm) has transA = 1, expected 0'],
    ["layers whose sizes do not chain", () => modelFromOnnx(withNodes([gemm("input", "1.weight", "1.bias", "h"), gemm("h", "1.weight", "1.bias", "y")])),
      'modelFromOnnx: node "/1/Gemm" (Gemm) expects 4 inputs but node "/0/Gemm" (Gemm) outputs 5'],
    ["an input that declares other features", () => modelFromOnnx(withNodes(base, { input: { name: "input", dims: ["N", 7] } })), 'modelFromOnnx: node "/0/Gemm" (Gemm) expects 4 inputs but the model\'s input has 7 features'],
    ["an output that declares other features", () => modelFromOnnx(withNodes(base, { output: { name: "y", dims: ["N", 2] } })), 'modelFromOnnx: the graph\'s output "y" declares 2 features but node "/2/Gemm" (Gemm) outputs 3'],
    ["a bias of the wrong length", () => modelFromOnnx(withNodes([gemm("input", "1.weight", "3.bias", "h")])), 'modelFromOnnx: node "/0/Gemm" (Gemm) has bias "3.bias" of shape [3], expected [5]'],
    ["raw_data shorter than the shape", () => modelFromOnnx(buildGraph({ ...torchGemm, inits: [{ ...inits[0]!, dims: [5, 5] }, ...inits.slice(1)] })), 'modelFromOnnx: node "/1/Gemm" (Gemm): tensor "1.weight" of shape [5, 5] needs 100 bytes, raw_data holds 80'],
    ["a NaN weight", () => modelFromOnnx(buildGraph({ ...torchGemm, inits: [{ ...inits[0]!, values: inits[0]!.values.map((v, i) => (i === 2 ? NaN : v)) }, ...inits.slice(1)] })), 'modelFromOnnx: expects finite numbers, got NaN at node "/1/Gemm" (Gemm) weights[2]'],
    ["the wrong architecture for the requested type", () => modelFromOnnx(buildGraph(torchGemm), [4, 6, 3]), "modelFromOnnx: expects a model of sizes [4, 6, 3], the file holds [4, 5, 3]"],
    ["an output that is not the end of the chain", () => modelFromOnnx(withNodes(base, { output: { name: "a", dims: ["N", 5] } })), 'modelFromOnnx: the graph\'s output "a" is not the end of the chain of layers ("y")'],
    ["two data inputs", () => {
      const m = onnx.ModelProto.decode(buildGraph(torchGemm));
      m.graph!.input!.push(valueInfo("mask", ["N", 4]));
      return modelFromOnnx(onnx.ModelProto.encode(m).finish());
    }, 'modelFromOnnx: expects one data input, the graph has 2 ("input", "mask")'],
  ])("%s", (_, load, message) => {
    expect(load).toThrow(ModelFormatError);
    expect(load).toThrow(message);
  });

  it("rejects external data and element types other than float32 / float64", () => {
    const external = onnx.ModelProto.decode(buildGraph(torchGemm));
    external.graph!.initializer![0]!.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
    expect(() => modelFromOnnx(onnx.ModelProto.encode(external).finish())).toThrow('modelFromOnnx: node "/1/Gemm" (Gemm): tensor "1.weight" is stored in an external file');
    const half = onnx.ModelProto.decode(buildGraph(torchGemm));
    half.graph!.initializer![0]!.dataType = onnx.TensorProto.DataType.FLOAT16;
    expect(() => modelFromOnnx(onnx.ModelProto.encode(half).finish())).toThrow('modelFromOnnx: node "/1/Gemm" (Gemm): tensor "1.weight" has element type FLOAT16, expected FLOAT or DOUBLE');
    const old = onnx.ModelProto.decode(buildGraph(torchGemm));
    old.opsetImport[0]!.version = 6;
    expect(() => modelFromOnnx(onnx.ModelProto.encode(old).finish())).toThrow("modelFromOnnx: expects opset 7 or later, the model uses opset 6");
  });
});

// ---- convolutional networks ----

/** The MNIST CNN, and one with stride 2, an unevenly padded "same", a rectangular kernel, overlapping pooling and a numeric padding. */
const mnistCnn = () => randomize(sequential(input(1, 28, 28), conv2d(8, 5), relu(), maxPool2d(2), conv2d(16, 5, { padding: "same" }), relu(), maxPool2d(2), flatten(), dense(10), softmax()), 21, 0.3);
const oddCnn = () => randomize(sequential(input(3, 10, 9), conv2d(4, [3, 4], { stride: 2, padding: "same" }), tanh(), maxPool2d([3, 2], [1, 2]), conv2d(5, 2, { padding: 1 }), sigmoid(), flatten(), dense(6), softmax()), 22, 0.5);

describe("modelToOnnx: convolutional networks run in ONNX Runtime", () => {
  it.each([["the issue's MNIST CNN", mnistCnn], ["stride 2, uneven same padding, 3x4 kernel, 3x2 pooling by (1, 2), padding 1", oddCnn]])(
    "%s: outputs equal shapegrad's predict within 1e-5 (float32), on [batch, C, H, W] inputs",
    async (_, make) => {
      const net = make();
      const shape = [...net.layers[0]!.inputShape], n = net.sizes[0]!;
      for (const [batch, seed] of [[1, 31], [7, 32]] as const) {
        const x = inputRows(batch, n, seed);
        const want = predictRows(net, x, batch);
        expect(maxAbsDiff(await runOrt(modelToOnnx(net), x, [batch, ...shape]), want)).toBeLessThan(1e-5);
      }
    },
  );

  it("the graph: input [batch, 1, 28, 28], Conv with kernel_shape, strides and pads in pixels, MaxPool, Flatten, Gemm; names as the safetensors file's", () => {
    const model = onnx.ModelProto.decode(modelToOnnx(mnistCnn()));
    const g = model.graph as OnnxTypes.GraphProto;
    const dims = (v: OnnxTypes.IValueInfoProto) => v.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue));
    expect(dims(g.input[0]!)).toEqual(["batch", 1, 28, 28]);
    expect(dims(g.output[0]!)).toEqual(["batch", 10]);
    expect(g.node.map((n) => n.opType)).toEqual(["Conv", "Relu", "MaxPool", "Conv", "Relu", "MaxPool", "Flatten", "Gemm", "Softmax"]);
    const attrs = (k: number) => Object.fromEntries(g.node[k]!.attribute!.map((a) => [a.name, a.ints?.length ? a.ints.map(Number) : Number(a.i)]));
    expect(attrs(0)).toEqual({ dilations: [1, 1], group: 1, kernel_shape: [5, 5], pads: [0, 0, 0, 0], strides: [1, 1] });
    expect(attrs(3)).toMatchObject({ kernel_shape: [5, 5], pads: [2, 2, 2, 2] });
    expect(attrs(2)).toEqual({ ceil_mode: 0, kernel_shape: [2, 2], pads: [0, 0, 0, 0], strides: [2, 2] });
    expect(g.initializer.map((t) => [t.name, t.dims!.map(Number)])).toEqual([
      ["0.weight", [8, 1, 5, 5]], ["0.bias", [8]], ["3.weight", [16, 8, 5, 5]], ["3.bias", [16]], ["7.weight", [10, 576]], ["7.bias", [10]],
    ]);
    const uneven = onnx.ModelProto.decode(modelToOnnx(oddCnn())).graph as OnnxTypes.GraphProto;
    // "same" on 10x9 with a 3x4 kernel at stride 2: top 0, bottom 1, left 1, right 2; ONNX's order is [top, left, bottom, right]
    expect(uneven.node[0]!.attribute!.find((a) => a.name === "pads")!.ints!.map(Number)).toEqual([0, 1, 1, 2]);
    expect(uneven.node[0]!.name).toBe("/1/Conv"); // module 0 is the ZeroPad2d of the PyTorch equivalent
  });

  it("a float32 network exports its float32 weights as they are and runs in ONNX Runtime as shapegrad predicts (in float32)", async () => {
    const net = randomize(sequentialWith({ dtype: "float32" }, [input(2, 7, 7), conv2d(3, 3, { stride: 2, padding: "same" }), relu(), flatten(), dense(4), softmax()]), 25);
    const bytes = modelToOnnx(net);
    const w = onnx.ModelProto.decode(bytes).graph!.initializer![0]!;
    expect(Array.from(new Float32Array(new Uint8Array(w.rawData!).buffer))).toEqual(Array.from(net.weights[0].data));
    const x = inputRows(5, 98, 34);
    expect(maxAbsDiff(await runOrt(bytes, x, [5, 2, 7, 7]), predictRows(net, x, 5))).toBeLessThan(1e-6);
  });

  it("a network that ends in a conv layer: its output [batch, F, OH, OW]; with softmax over the whole example, a Flatten first", async () => {
    const plain = randomize(sequential(input(2, 5, 5), conv2d(3, 2, { stride: 2 }), tanh()), 23);
    const withSoftmax = randomize(sequential(input(2, 5, 5), conv2d(3, 2, { stride: 2 }), softmax()), 24);
    const x = inputRows(4, 50, 33);
    for (const [net, out, ops] of [[plain, ["batch", 3, 2, 2], ["Conv", "Tanh"]], [withSoftmax, ["batch", 12], ["Conv", "Flatten", "Softmax"]]] as const) {
      const bytes = modelToOnnx(net);
      const g = onnx.ModelProto.decode(bytes).graph as OnnxTypes.GraphProto;
      expect(g.output[0]!.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue))).toEqual(out);
      expect(g.node.map((n) => n.opType)).toEqual(ops);
      expect(maxAbsDiff(await runOrt(bytes, x, [4, 2, 5, 5]), predictRows(net, x, 4))).toBeLessThan(1e-5);
    }
  });

  it("float64 (which ONNX Runtime's CPU provider does not run for Conv): modelFromOnnx typed by the layer list gives every parameter back exactly", async () => {
    await expect(runOrt(modelToOnnx(oddCnn(), { dtype: "float64" }), inputRows(1, 270, 1), [1, 3, 10, 9], "float64")).rejects.toThrow("Could not find an implementation for Conv(11)");
    const net = oddCnn();
    const back = modelFromOnnx(modelToOnnx(net, { dtype: "float64" }), [input(3, 10, 9), conv2d(4, [3, 4], { stride: 2, padding: "same" }), tanh(), maxPool2d([3, 2], [1, 2]), conv2d(5, 2, { padding: 1 }), sigmoid(), flatten(), dense(6), softmax()]);
    back.weights.forEach((w, l) => expect(w && Array.from(w.data)).toEqual(net.weights[l] && Array.from(net.weights[l]!.data)));
    back.biases.forEach((b, l) => expect(b && Array.from(b.data)).toEqual(net.biases[l] && Array.from(net.biases[l]!.data)));
    expect(modelFromOnnx(modelToOnnx(net), "any").layers.map((l) => l.spec)).toEqual([
      { kind: "conv2d", filters: 4, kernel: [3, 4], stride: [2, 2], padding: "same" }, { kind: "maxPool2d", size: [3, 2], stride: [1, 2] },
      { kind: "conv2d", filters: 5, kernel: [2, 2], stride: [1, 1], padding: 1 }, { kind: "flatten" }, { kind: "dense", inputs: 60, outputs: 6 },
    ]);
  });
});

const K1 = randomKernel(3, 2, 3, 2, 61), C1 = randomMatrix(1, 3, 62)[0]!, K2 = randomKernel(4, 3, 3, 3, 63), C2 = randomMatrix(1, 4, 64)[0]!;
const W3 = randomMatrix(5, 24, 65), B3 = randomMatrix(1, 5, 66)[0]!;
/** Conv (stride 2, pads [0, 0, 1, 0]: TensorFlow's "same" here), Relu, MaxPool 2x2 by 1, Conv (auto_pad SAME_UPPER), Sigmoid, Flatten, Gemm, Softmax on [N, 2, 8, 6]. */
const cnnGraph: GraphSpec = {
  input: { name: "input", dims: ["N", 2, 8, 6] },
  output: { name: "output", dims: ["N", 5] },
  nodes: [
    { op: "Conv", inputs: ["input", "0.weight", "0.bias"], output: "c1", attrs: { kernel_shape: [3, 2], strides: [2, 2], pads: [0, 0, 1, 0] } },
    { op: "Relu", inputs: ["c1"], output: "r1" },
    { op: "MaxPool", inputs: ["r1"], output: "p1", attrs: { kernel_shape: [2, 2], strides: [1, 1] } },
    { op: "Conv", inputs: ["p1", "3.weight", "3.bias"], output: "c2", attrs: { auto_pad: "SAME_UPPER" } },
    { op: "Sigmoid", inputs: ["c2"], output: "s2" },
    { op: "Flatten", inputs: ["s2"], output: "f", attrs: { axis: 1 } },
    { op: "Gemm", inputs: ["f", "6.weight", "6.bias"], output: "g", attrs: { transB: 1 } },
    { op: "Softmax", inputs: ["g"], output: "output", attrs: { axis: 1 } },
  ],
  inits: [
    { name: "0.weight", dims: [3, 2, 3, 2], values: K1.flat(3) }, { name: "0.bias", dims: [3], values: C1 },
    { name: "3.weight", dims: [4, 3, 3, 3], values: K2.flat(3) }, { name: "3.bias", dims: [4], values: C2 },
    { name: "6.weight", dims: [5, 24], values: W3.flat() }, { name: "6.bias", dims: [5], values: B3 },
  ],
};
const cnnReference: RefLayer[] = [
  { kind: "conv", w: K1, b: C1, stride: [2, 2], pads: [0, 1, 0, 0], f: "relu" },
  { kind: "pool", size: [2, 2], stride: [1, 1] },
  { kind: "conv", w: K2, b: C2, stride: [1, 1], pads: [1, 1, 1, 1], f: "sigmoid" },
  { kind: "flatten" },
  { kind: "dense", w: W3, b: B3, f: "softmax" },
];
const cnnLayers = () => [input(2, 8, 6), conv2d(3, [3, 2], { stride: 2, padding: "same" }), relu(), maxPool2d(2, 1), conv2d(4, 3, { padding: "same" }), sigmoid(), flatten(), dense(5), softmax()] as const;

describe("modelFromOnnx imports convolutional graphs", () => {
  it("Conv (pads and SAME_UPPER), Relu, MaxPool, Sigmoid, Flatten, Gemm, Softmax: ONNX Runtime's outputs and a naive forward pass", async () => {
    const bytes = buildGraph(cnnGraph);
    const net = modelFromOnnx(bytes, [...cnnLayers()]);
    const x = inputRows(6, 96, 67);
    const got = predictRows(net, x, 6);
    expect(maxAbsDiff(got, await runOrt(bytes, x, [6, 2, 8, 6]))).toBeLessThan(1e-6);
    expect(maxAbsDiff(got, naiveNetForward(cnnReference, [2, 8, 6], x, 6))).toBeLessThan(1e-12);
    expect(modelFromOnnx(bytes, "any").layers.map((l) => l.kind)).toEqual(["conv2d", "maxPool2d", "conv2d", "flatten", "dense"]);
    expect(() => modelFromOnnx(bytes)).toThrow("modelFromOnnx: the file holds a network with layer 1 conv2d(3, [3, 2], { stride: [2, 2], padding: \"same\" }) + relu, which an Mlp cannot hold");
  });

  it("a graph whose input shape is not declared needs a layer list that starts with input(c, h, w)", () => {
    const bytes = buildGraph({ ...cnnGraph, input: { name: "input", dims: ["N", "C", "H", "W"] }, output: { name: "output", dims: ["N", "K"] } });
    expect(() => modelFromOnnx(bytes, "any")).toThrow("modelFromOnnx: the file does not declare the shape of its input images: pass a layer list that starts with input(channels, height, width)");
    expect(modelFromOnnx(bytes, [...cnnLayers()]).sizes).toEqual([96, 36, 18, 24, 24, 5]);
  });

  it.each([
    ["torch-cnn", "Conv (stride (2, 1), padding (1, 2)), Relu, MaxPool, Conv, Tanh, MaxPool (3, 2) by (1, 2), Flatten, Gemm, Softmax", (b: Uint8Array) => modelFromOnnx(b, [
      input(2, 11, 11), conv2d(4, [3, 5], { stride: [2, 1], padding: "same" }), relu(), maxPool2d(2), conv2d(6, 3, { padding: 1 }), tanh(), maxPool2d([3, 2], [1, 2]), flatten(), dense(5), softmax(),
    ])],
    ["torch-cnn-pool-relu", "Conv, MaxPool, then Relu (max and ReLU commute), Flatten, Gemm, Sigmoid", (b: Uint8Array) => modelFromOnnx(b, [input(1, 8, 8), conv2d(3, 3), relu(), maxPool2d(2), flatten(), dense(4), sigmoid()])],
  ])("%s, written by torch.onnx.export (%s): PyTorch's outputs within 1e-6, and ONNX Runtime's", async (name, _, load) => {
    const bytes = new Uint8Array(readFileSync(new URL(`./interop-fixtures/${name}.onnx`, import.meta.url)));
    const fixture = JSON.parse(readFileSync(new URL(`./interop-fixtures/${name}.json`, import.meta.url), "utf8")) as { input_shape: number[]; x: number[]; y: number[] };
    const net = load(bytes);
    const got = predictRows(net, fixture.x, 5);
    expect(maxAbsDiff(got, fixture.y)).toBeLessThan(1e-6);
    expect(maxAbsDiff(got, await runOrt(bytes, fixture.x, fixture.input_shape))).toBeLessThan(1e-6);
  });

  const edit = (k: number, change: Partial<GraphSpec["nodes"][number]>) => buildGraph({ ...cnnGraph, nodes: cnnGraph.nodes.map((n, i) => (i === k ? { ...n, ...change } : n)) });
  const withAttrs = (k: number, attrs: Record<string, number | number[] | string>) => edit(k, { attrs: { ...cnnGraph.nodes[k]!.attrs, ...attrs } });
  it.each<[string, () => unknown, string]>([
    ["a grouped convolution", () => modelFromOnnx(withAttrs(0, { group: 2 })), 'node "/0/Conv" (Conv) is a grouped convolution (group = 2); shapegrad\'s conv2d has group 1'],
    ["a dilated convolution", () => modelFromOnnx(withAttrs(3, { dilations: [2, 2] })), 'node "/3/Conv" (Conv) has dilations [2, 2]; shapegrad\'s windows are not dilated (1, 1)'],
    ["SAME_LOWER padding", () => modelFromOnnx(withAttrs(3, { auto_pad: "SAME_LOWER" })), 'node "/3/Conv" (Conv) has auto_pad SAME_LOWER; shapegrad reads NOTSET (explicit pads), VALID and SAME_UPPER (TensorFlow\'s "same")'],
    ["uneven pads that are not TensorFlow's same", () => modelFromOnnx(withAttrs(0, { pads: [1, 0, 0, 0] })), 'node "/0/Conv" (Conv) pads [top 1, bottom 0, left 0, right 0]: shapegrad\'s conv2d pads the same number on every side, or as TensorFlow\'s "same" ([0, 1, 0, 0] here)'],
    ["a kernel_shape other than the weights'", () => modelFromOnnx(withAttrs(0, { kernel_shape: [3, 3] })), 'node "/0/Conv" (Conv) has kernel_shape [3, 3] but weights of 3x2'],
    ["a pooling that pads", () => modelFromOnnx(withAttrs(2, { pads: [1, 1, 1, 1] })), 'node "/2/MaxPool" (MaxPool) pads its input; shapegrad\'s maxPool2d does not pad'],
    ["a pooling that rounds up", () => modelFromOnnx(withAttrs(2, { ceil_mode: 1 })), 'node "/2/MaxPool" (MaxPool) rounds its output size up (ceil_mode = 1); shapegrad\'s maxPool2d rounds down'],
    ["a pooling without kernel_shape", () => modelFromOnnx(edit(2, { attrs: { strides: [1, 1] } })), 'node "/2/MaxPool" (MaxPool) has no kernel_shape'],
    ["conv weights that are not 4-D", () => modelFromOnnx(buildGraph({ ...cnnGraph, inits: cnnGraph.inits.map((t, i) => (i === 0 ? { ...t, dims: [3, 12] } : t)) })), 'node "/0/Conv" (Conv) has weights "0.weight" of shape [3, 12], expected [filters, channels, height, width]'],
    ["input channels that do not match", () => modelFromOnnx(buildGraph({ ...cnnGraph, input: { name: "input", dims: ["N", 3, 8, 6] } })), 'node "/0/Conv" (Conv) expects 2 input channels but the model\'s input gives 3 (shape [3, 8, 6])'],
    ["a Gemm on an image (no Flatten)", () => modelFromOnnx(buildGraph({ ...cnnGraph, nodes: cnnGraph.nodes.filter((n) => n.op !== "Flatten").map((n) => (n.op === "Gemm" ? { ...n, inputs: ["s2", "6.weight", "6.bias"] } : n)) })),
      'node "/5/Gemm" (Gemm): the layers do not fit together: sequential layer 4 dense expects a flat input (put flatten() before it), but layer 3 outputs 4x3x2'],
    ["a softmax after a pooling", () => modelFromOnnx(buildGraph({ ...cnnGraph, nodes: [...cnnGraph.nodes.slice(0, 3), { op: "Softmax", inputs: ["p1"], output: "sm", name: "sm" }, ...cnnGraph.nodes.slice(3).map((n, i) => (i === 0 ? { ...n, inputs: ["sm", "3.weight", "3.bias"] } : n))] })),
      'node "sm" (Softmax) follows node "/2/MaxPool" (MaxPool), which has no weights; shapegrad applies an activation after a layer with weights'],
    ["a second activation after the pooling", () => modelFromOnnx(buildGraph({ ...cnnGraph, nodes: [...cnnGraph.nodes.slice(0, 3), { op: "Tanh", inputs: ["p1"], output: "t", name: "t" }, ...cnnGraph.nodes.slice(3).map((n, i) => (i === 0 ? { ...n, inputs: ["t", "3.weight", "3.bias"] } : n))] })),
      'node "t" (Tanh) follows the activation node "/1/Relu" (Relu); shapegrad applies one activation per layer'],
    ["a layer list of another architecture", () => modelFromOnnx(buildGraph(cnnGraph), [input(2, 8, 6), conv2d(3, [3, 2], { stride: 2, padding: "same" }), relu(), maxPool2d(2), conv2d(4, 3, { padding: "same" }), sigmoid(), flatten(), dense(5), softmax()]),
      "expects layer 2 to be maxPool2d([2, 2], [2, 2]) (as the layer list says), the file holds maxPool2d([2, 2], [1, 1])"],
  ])("%s is a ModelFormatError naming the node", (_, load, message) => {
    expect(load).toThrow(ModelFormatError);
    expect(load).toThrow(`modelFromOnnx: ${message}`);
  });
});
