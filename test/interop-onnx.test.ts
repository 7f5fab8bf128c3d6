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
import { mlp, modelFromOnnx, modelToOnnx, ModelFormatError, sequential, dense, sigmoid, tanh, identity, } from "../src/index.js";
import { anyNet, firstDifference, inputRows, maxAbsDiff, naiveForward, predictRows, randomize, randomMatrix, type NaiveLayer } from "./interop-helpers.js";

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
  nodes: { op: string; inputs: string[]; output: string; attrs?: Record<string, number>; name?: string }[];
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
  const attr = (name: string, v: number) =>
    Number.isInteger(v) && name !== "alpha" && name !== "beta"
      ? onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INT, i: v })
      : onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.FLOAT, f: v });
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
      'modelFromOnnx: node "/1/LeakyRelu" (LeakyRelu): operator LeakyRelu is not supported (shapegrad imports Gemm, MatMul, Add, Relu, Sigmoid, Tanh, Softmax, Flatten, Identity, Dropout)'],
    ["a branch (a skip connection)", () => modelFromOnnx(withNodes([gemm("input", "1.weight", "1.bias", "h"), { op: "Relu", inputs: ["h"], output: "a" }, { op: "Add", inputs: ["a", "h"], output: "s", name: "skip" }, gemm("s", "3.weight", "3.bias", "y")])),
      'modelFromOnnx: node "skip" (Add) takes "a" and "h" where the chain expects only "a": shapegrad imports a chain of layers, each fed by the previous one'],
    ["a node that does not take the previous output", () => modelFromOnnx(withNodes([gemm("input", "1.weight", "1.bias", "h"), { op: "Relu", inputs: ["input"], output: "a", name: "r" }])),
      'modelFromOnnx: node "r" (Relu) takes "input" where the chain expects only "h"'],
    ["weights that are computed, not stored", () => modelFromOnnx(withNodes([{ op: "MatMul", inputs: ["input", "input"], output: "y", name: "mm" }])), 'modelFromOnnx: node "mm" (MatMul) takes "input" and "input"'],
    ["an activation before any dense layer", () => modelFromOnnx(withNodes([{ op: "Relu", inputs: ["input"], output: "r", name: "first" }, ...base.map((n, k) => (k === 0 ? { ...n, inputs: ["r", "1.weight", "1.bias"] } : n))])),
      'modelFromOnnx: node "first" (Relu) comes before any dense layer (Gemm or MatMul)'],
    ["two activations in a row", () => modelFromOnnx(withNodes([...base.slice(0, 2), { op: "Sigmoid", inputs: ["a"], output: "a2", name: "again" }, gemm("a2", "3.weight", "3.bias", "y")])),
      'modelFromOnnx: node "again" (Sigmoid) follows the activation node "/1/Relu" (Relu); shapegrad applies one activation per dense layer'],
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
