/**
 * Import from ONNX: `modelFromOnnx(bytes, [784, 128, 10])` reads a chain of dense layers and
 * activations, as `torch.onnx.export` writes for an nn.Sequential of Linear / ReLU / Sigmoid /
 * Tanh / Softmax (Gemm, or MatMul + Add with initializers, possibly a Flatten first), and returns a
 * typed `Mlp<[784, 128, 10]>` after checking every shape. Anything else (another operator, a
 * branch, weights that are not constant, an element type other than float32 / float64) is a
 * ModelFormatError naming the node.
 */
import type { LayerActivation } from "../nn/activations/index.js";
import type { Mlp } from "../nn/network.js";
import type { ImportedDense } from "./interop-layers.js";
import { formatError, netFromLayers } from "./interop-layers.js";
import { DataType, int64, onnx, type OnnxTypes } from "./onnx-proto.js";

const OP = "modelFromOnnx";
const SUPPORTED = "Gemm, MatMul, Add, Relu, Sigmoid, Tanh, Softmax, Flatten, Identity, Dropout";
const ACTIVATIONS: Readonly<Record<string, LayerActivation>> = { Relu: "relu", Sigmoid: "sigmoid", Tanh: "tanh", Softmax: "softmax" };

/**
 * `modelFromOnnx(bytes, [784, 128, 10])`: an `Mlp<[784, 128, 10]>`, or a ModelFormatError.
 * Without `sizes`, any architecture is accepted and the result is an `Mlp<number[]>`.
 */
export function modelFromOnnx<const S extends number[]>(bytes: Uint8Array | ArrayBuffer, sizes: S): Mlp<S>;
export function modelFromOnnx(bytes: Uint8Array | ArrayBuffer): Mlp<number[]>;
export function modelFromOnnx(bytes: Uint8Array | ArrayBuffer, expected?: number[]): Mlp<number[]> {
  const { graph, opset } = decode(bytes);
  const constants = new Map<string, OnnxTypes.ITensorProto>();
  for (const t of graph.initializer ?? []) constants.set(t.name ?? "", t);
  const input = dataInput(graph, constants);
  const chain = new Chain(input.name ?? "", opset);
  (graph.node ?? []).forEach((n, index) => chain.visit(n, index, constants));
  const outputs = graph.output ?? [];
  if (outputs.length !== 1) throw formatError(OP, `expects one graph output, got ${outputs.length} (${outputs.map((o) => JSON.stringify(o.name)).join(", ")})`);
  const output = outputs[0]!;
  if (output.name !== chain.current) throw formatError(OP, `the graph's output "${output.name}" is not the end of the chain of layers ("${chain.current}")`);
  const net = netFromLayers(OP, chain.layers, features(input, "input"), expected);
  const outFeatures = features(output, "output");
  const last = chain.layers[chain.layers.length - 1]!;
  if (outFeatures !== undefined && outFeatures !== last.outputs) {
    throw formatError(OP, `the graph's output "${output.name}" declares ${outFeatures} features but ${last.source} outputs ${last.outputs}`);
  }
  return net;
}

/** The graph and the default-domain opset version (Softmax's default axis depends on it). */
function decode(data: Uint8Array | ArrayBuffer): { graph: OnnxTypes.IGraphProto; opset: number } {
  if (!(data instanceof Uint8Array) && !(data instanceof ArrayBuffer)) throw formatError(OP, `expects the bytes of an .onnx file (Uint8Array or ArrayBuffer), got ${data === null ? "null" : typeof data}`);
  const u8 = data instanceof Uint8Array ? data : new Uint8Array(data);
  if (u8.length === 0) throw formatError(OP, "the file is empty");
  let model: OnnxTypes.ModelProto;
  try {
    model = onnx.ModelProto.decode(u8);
  } catch (e) {
    throw formatError(OP, `not an ONNX model (the protobuf does not decode: ${e instanceof Error ? e.message : String(e)})`);
  }
  if (!model.graph) throw formatError(OP, "not an ONNX model (it has no graph)");
  const entry = model.opsetImport.find((o) => o.domain === "" || o.domain === "ai.onnx");
  if (entry === undefined) throw formatError(OP, "the model imports no default-domain opset");
  const opset = int64(entry.version);
  if (opset < 7) throw formatError(OP, `expects opset 7 or later, the model uses opset ${opset}`);
  return { graph: model.graph, opset };
}

/** The one graph input that is not an initializer (older IR versions list initializers as inputs too). */
function dataInput(graph: OnnxTypes.IGraphProto, constants: ReadonlyMap<string, unknown>): OnnxTypes.IValueInfoProto {
  const inputs = (graph.input ?? []).filter((i) => !constants.has(i.name ?? ""));
  if (inputs.length !== 1) throw formatError(OP, `expects one data input, the graph has ${inputs.length} (${inputs.map((i) => JSON.stringify(i.name)).join(", ")})`);
  return inputs[0]!;
}

/**
 * Features per example of a declared [batch, ...] tensor (the product of the dimensions after the
 * batch, so [batch, 1, 28, 28] has 784), or undefined when the file does not say.
 */
function features(info: OnnxTypes.IValueInfoProto, what: string): number | undefined {
  const type = info.type?.tensorType;
  if (!type) return undefined;
  if (type.elemType && type.elemType !== DataType.FLOAT && type.elemType !== DataType.DOUBLE) {
    throw formatError(OP, `the graph's ${what} "${info.name}" has element type ${DataType[type.elemType] ?? type.elemType}, expected FLOAT or DOUBLE`);
  }
  const dims = type.shape?.dim;
  if (!dims) return undefined;
  if (dims.length < 2) throw formatError(OP, `the graph's ${what} "${info.name}" has ${dims.length} dimension(s), expected [batch, features]`);
  let n = 1;
  for (const d of dims.slice(1)) {
    if (d.dimValue === null || d.dimValue === undefined || d.dimParam) return undefined;
    n *= int64(d.dimValue);
  }
  return n;
}

/** Walks the nodes in order, each of which must take the previous one's output. */
class Chain {
  readonly layers: ImportedDense[] = [];
  current: string;
  /** The node that set the last dense layer's activation (or undefined while it has none). */
  private activationNode: string | undefined;
  /** True right after a Gemm / MatMul: an Add may still add to its bias. */
  private biasOpen = false;

  constructor(input: string, private readonly opset: number) {
    this.current = input;
  }

  visit(n: OnnxTypes.INodeProto, index: number, constants: Map<string, OnnxTypes.ITensorProto>): void {
    const op = n.opType ?? "";
    const label = `node ${n.name ? JSON.stringify(n.name) : index} (${op})`;
    if (n.domain && n.domain !== "ai.onnx") throw formatError(OP, `${label} is in domain "${n.domain}"; shapegrad imports only standard ONNX operators (${SUPPORTED})`);
    const outputs = (n.output ?? []).filter((o) => o !== "");
    if (op === "Constant") {
      const value = (n.attribute ?? []).find((a) => a.name === "value")?.t;
      if (!value || outputs.length !== 1) throw formatError(OP, `${label} holds no tensor "value"`);
      constants.set(outputs[0]!, value);
      return;
    }
    const dataInputs = (n.input ?? []).filter((i) => i !== "" && !constants.has(i));
    if (dataInputs.length !== 1 || dataInputs[0] !== this.current) {
      throw formatError(OP, `${label} takes ${dataInputs.length === 0 ? "no computed input" : dataInputs.map((i) => `"${i}"`).join(" and ")} where the chain expects only "${this.current}": shapegrad imports a chain of layers, each fed by the previous one`);
    }
    if (op === "Dropout" ? outputs.length < 1 : outputs.length !== 1) throw formatError(OP, `${label} has ${outputs.length} outputs, expected 1`);
    const attrs = attributes(n);
    const constant = (i: number) => n.input?.[i] ? constants.get(n.input[i]!) : undefined;
    switch (op) {
      case "Identity":
      case "Dropout":
        break;
      case "Flatten":
        if ((attrs.get("axis") ?? 1) !== 1) throw formatError(OP, `${label} flattens from axis ${attrs.get("axis")}, expected 1 ([batch, ...] to [batch, features])`);
        break;
      case "Gemm":
        this.gemm(label, attrs, constant(1), constant(2));
        break;
      case "MatMul":
        this.dense(label, readWeights(label, constant(1), false, 1), new Float64Array(0));
        break;
      case "Add":
        this.add(label, constants.get(n.input?.find((i) => i !== this.current) ?? ""));
        break;
      default: {
        const activation = ACTIVATIONS[op];
        if (activation === undefined) throw formatError(OP, `${label}: operator ${op} is not supported (shapegrad imports ${SUPPORTED})`);
        if (op === "Softmax") {
          const axis = attrs.get("axis") ?? (this.opset >= 13 ? -1 : 1);
          if (axis !== 1 && axis !== -1) throw formatError(OP, `${label} takes the softmax over axis ${axis}, expected 1 or -1 (the features)`);
        }
        this.activate(label, activation);
      }
    }
    this.current = outputs[0]!;
  }

  private gemm(label: string, attrs: ReadonlyMap<string, number>, b: OnnxTypes.ITensorProto | undefined, c: OnnxTypes.ITensorProto | undefined): void {
    if ((attrs.get("transA") ?? 0) !== 0) throw formatError(OP, `${label} has transA = 1, expected 0 (one example per row)`);
    const w = readWeights(label, b, (attrs.get("transB") ?? 0) === 1, attrs.get("alpha") ?? 1);
    const beta = attrs.get("beta") ?? 1;
    const bias = c === undefined ? new Float64Array(0) : readBias(label, c, w.outputs).map((v) => v * beta);
    this.dense(label, w, bias);
  }

  private dense(label: string, w: { weights: Float64Array; inputs: number; outputs: number }, bias: Float64Array): void {
    this.layers.push({ source: label, ...w, bias: bias.length === 0 ? new Float64Array(w.outputs) : bias, activation: "identity" });
    this.activationNode = undefined;
    this.biasOpen = true;
  }

  private add(label: string, addend: OnnxTypes.ITensorProto | undefined): void {
    const last = this.layers[this.layers.length - 1];
    if (!this.biasOpen || last === undefined) throw formatError(OP, `${label} adds to something other than a Gemm or MatMul output; shapegrad imports Add only as a dense layer's bias`);
    if (addend === undefined) throw formatError(OP, `${label} adds a computed tensor; shapegrad imports Add only with a constant bias`);
    const b = readBias(label, addend, last.outputs);
    for (let i = 0; i < b.length; i++) last.bias[i]! += b[i]!;
  }

  private activate(label: string, activation: LayerActivation): void {
    const last = this.layers[this.layers.length - 1];
    if (last === undefined) throw formatError(OP, `${label} comes before any dense layer (Gemm or MatMul); shapegrad's layers apply an activation after a dense layer`);
    if (this.activationNode !== undefined) throw formatError(OP, `${label} follows the activation ${this.activationNode}; shapegrad applies one activation per dense layer`);
    last.activation = activation;
    this.activationNode = label;
    this.biasOpen = false;
  }
}

/** The node's INT and FLOAT attributes by name. */
function attributes(n: OnnxTypes.INodeProto): Map<string, number> {
  const map = new Map<string, number>();
  for (const a of n.attribute ?? []) {
    if (!a.name) continue;
    if (a.type === onnx.AttributeProto.AttributeType.FLOAT) map.set(a.name, a.f ?? 0);
    else if (a.type === onnx.AttributeProto.AttributeType.INT) map.set(a.name, int64(a.i));
  }
  return map;
}

/** A weight matrix as shapegrad's W [outputs, inputs]: from [out, in] when `transposed` (Gemm transB = 1), else from [in, out]. */
function readWeights(label: string, t: OnnxTypes.ITensorProto | undefined, transposed: boolean, alpha: number): { weights: Float64Array; inputs: number; outputs: number } {
  if (t === undefined) throw formatError(OP, `${label} multiplies by a computed tensor; shapegrad imports weights stored as initializers`);
  const { dims, values } = readTensor(label, t);
  if (dims.length !== 2) throw formatError(OP, `${label} has weights "${t.name}" of shape [${dims.join(", ")}], expected 2 dimensions`);
  const r = dims[0]!, c = dims[1]!;
  const outputs = transposed ? r : c, inputs = transposed ? c : r;
  const weights = new Float64Array(outputs * inputs);
  for (let o = 0; o < outputs; o++) {
    for (let i = 0; i < inputs; i++) weights[o * inputs + i] = alpha * (transposed ? values[o * inputs + i]! : values[i * outputs + o]!);
  }
  return { weights, inputs, outputs };
}

/** A bias of `outputs` values: shape [outputs] or [1, outputs], or one value broadcast. */
function readBias(label: string, t: OnnxTypes.ITensorProto, outputs: number): Float64Array {
  const { dims, values } = readTensor(label, t);
  const ok = (dims.length === 1 && dims[0] === outputs) || (dims.length === 2 && dims[0] === 1 && dims[1] === outputs) || values.length === 1;
  if (!ok) throw formatError(OP, `${label} has bias "${t.name}" of shape [${dims.join(", ")}], expected [${outputs}]`);
  return values.length === 1 ? new Float64Array(outputs).fill(values[0]!) : values;
}

/** A FLOAT or DOUBLE tensor's values, from raw_data (little-endian) or float_data / double_data. */
function readTensor(label: string, t: OnnxTypes.ITensorProto): { dims: number[]; values: Float64Array } {
  const name = `"${t.name ?? ""}"`;
  if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) throw formatError(OP, `${label}: tensor ${name} is stored in an external file, which this loader does not read (save the model with its weights inside)`);
  const type = t.dataType ?? 0;
  if (type !== DataType.FLOAT && type !== DataType.DOUBLE) throw formatError(OP, `${label}: tensor ${name} has element type ${DataType[type] ?? type}, expected FLOAT or DOUBLE`);
  const dims = (t.dims ?? []).map((d) => int64(d));
  if (dims.some((d) => !Number.isSafeInteger(d) || d < 1)) throw formatError(OP, `${label}: tensor ${name} has shape [${dims.join(", ")}], expected sizes of 1 or more`);
  const count = dims.reduce((a, b) => a * b, 1);
  const width = type === DataType.FLOAT ? 4 : 8;
  const raw = t.rawData;
  let values: Float64Array;
  if (raw && raw.length > 0) {
    if (raw.length !== count * width) throw formatError(OP, `${label}: tensor ${name} of shape [${dims.join(", ")}] needs ${count * width} bytes, raw_data holds ${raw.length}`);
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    values = new Float64Array(count);
    for (let i = 0; i < count; i++) values[i] = width === 4 ? view.getFloat32(i * 4, true) : view.getFloat64(i * 8, true);
  } else {
    const list = (width === 4 ? t.floatData : t.doubleData) ?? [];
    if (list.length !== count) throw formatError(OP, `${label}: tensor ${name} of shape [${dims.join(", ")}] needs ${count} values, the file holds ${list.length}`);
    values = Float64Array.from(list);
  }
  return { dims, values };
}
