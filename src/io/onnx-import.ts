/**
 * Import from ONNX: `modelFromOnnx(bytes, expected)` reads a chain of layers and activations, as
 * `torch.onnx.export` writes for an nn.Sequential of Linear / Conv2d / MaxPool2d / Flatten / ReLU /
 * Sigmoid / Tanh / Softmax (Gemm, or MatMul + Add with initializers; Conv; MaxPool; Flatten), and
 * returns the network the caller expects (an `Mlp<[784, 128, 10]>` for sizes, the `Network` of a
 * layer list, see expected.ts) after checking every shape. Anything else (another operator, a
 * branch, weights that are not constant, dilations or groups, an element type other than float32 /
 * float64) is a ModelFormatError naming the node.
 */
import type { Shape } from "../shape/dims.js";
import type { DType } from "../shape/matrix.js";
import type { LayerActivation } from "../nn/activations/index.js";
import type { AnyNetwork, Mlp } from "../nn/network.js";
import type { LoadOptions, ExpectedArg, ExpectedKind, Loaded } from "./expected.js";
import type { ImportedLayer } from "./interop-layers.js";
import { formatError, netFromLayers } from "./interop-layers.js";
import { DataType, int64, onnx, type OnnxTypes } from "./onnx-proto.js";

const OP = "modelFromOnnx";
const SUPPORTED = "Gemm, MatMul, Add, Conv, MaxPool, Flatten, Relu, Sigmoid, Tanh, Softmax, Identity, Dropout";
const ACTIVATIONS: Readonly<Record<string, LayerActivation>> = { Relu: "relu", Sigmoid: "sigmoid", Tanh: "tanh", Softmax: "softmax" };

/**
 * `modelFromOnnx(bytes, [784, 128, 10])`: an `Mlp<[784, 128, 10]>`; `modelFromOnnx(bytes, [input(1, 28, 28),
 * conv2d(8, 5), relu(), ...])`: the `Network` of that layer list; `modelFromOnnx(bytes, "any")`: whatever
 * the graph computes; `modelFromOnnx(bytes)`: the dense network it holds, as an `Mlp<number[]>`.
 * Options: `{ dtype, convert }` (float64 initializers go into a float32 network only with convert).
 */
export function modelFromOnnx<const E extends ExpectedKind, D extends DType = "float64">(bytes: Uint8Array | ArrayBuffer, expected: ExpectedArg<E, "modelFromOnnx">, options?: LoadOptions<D>): Loaded<E, D>;
export function modelFromOnnx(bytes: Uint8Array | ArrayBuffer): Mlp<number[]>;
export function modelFromOnnx(bytes: Uint8Array | ArrayBuffer, expected?: unknown, options?: LoadOptions<DType>): unknown {
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
  const net: AnyNetwork = netFromLayers(OP, chain.layers, declaredShape(input, "input"), expected, options);
  const declared = declaredShape(output, "output");
  const outFeatures = declared?.reduce((p, n) => p * n, 1), got = net.sizes[net.sizes.length - 1]!;
  if (outFeatures !== undefined && outFeatures !== got) {
    const last = [...chain.layers].reverse().find((l) => l.kind === "dense" || l.kind === "conv2d")!;
    throw formatError(OP, `the graph's output "${output.name}" declares ${outFeatures} features but ${last.source} outputs ${got}`);
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
 * The shape of one example of a declared [batch, ...] tensor: [C, H, W] for [batch, C, H, W],
 * [features] for [batch, features] (and for other ranks, the product of the dimensions after the
 * batch: row-major, as shapegrad reads them); undefined when the file does not say.
 */
function declaredShape(info: OnnxTypes.IValueInfoProto, what: string): Shape | undefined {
  const type = info.type?.tensorType;
  if (!type) return undefined;
  if (type.elemType && type.elemType !== DataType.FLOAT && type.elemType !== DataType.DOUBLE) {
    throw formatError(OP, `the graph's ${what} "${info.name}" has element type ${DataType[type.elemType] ?? type.elemType}, expected FLOAT or DOUBLE`);
  }
  const dims = type.shape?.dim;
  if (!dims) return undefined;
  if (dims.length < 2) throw formatError(OP, `the graph's ${what} "${info.name}" has ${dims.length} dimension(s), expected [batch, features] or [batch, channels, height, width]`);
  const sizes: number[] = [];
  for (const d of dims.slice(1)) {
    if (d.dimValue === null || d.dimValue === undefined || d.dimParam) return undefined;
    sizes.push(int64(d.dimValue));
  }
  return sizes.length === 3 ? sizes : [sizes.reduce((p, n) => p * n, 1)];
}

type Dense = Extract<ImportedLayer, { kind: "dense" }>;
type Conv = Extract<ImportedLayer, { kind: "conv2d" }>;

/** Walks the nodes in order, each of which must take the previous one's output. */
class Chain {
  readonly layers: ImportedLayer[] = [];
  current: string;
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
        if (int(attrs, "axis", 1) !== 1) throw formatError(OP, `${label} flattens from axis ${String(attrs.get("axis"))}, expected 1 ([batch, ...] to [batch, features])`);
        this.layers.push({ kind: "flatten", source: label });
        this.biasOpen = false;
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
      case "Conv":
        this.conv(label, attrs, constant(1), constant(2));
        break;
      case "MaxPool":
        this.maxPool(label, attrs);
        break;
      default: {
        const activation = ACTIVATIONS[op];
        if (activation === undefined) throw formatError(OP, `${label}: operator ${op} is not supported (shapegrad imports ${SUPPORTED})`);
        if (op === "Softmax") {
          const axis = int(attrs, "axis", this.opset >= 13 ? -1 : 1);
          if (axis !== 1 && axis !== -1) throw formatError(OP, `${label} takes the softmax over axis ${axis}, expected 1 or -1 (the features)`);
        }
        this.activate(label, activation);
      }
    }
    this.current = outputs[0]!;
  }

  private gemm(label: string, attrs: Attributes, b: OnnxTypes.ITensorProto | undefined, c: OnnxTypes.ITensorProto | undefined): void {
    if (int(attrs, "transA", 0) !== 0) throw formatError(OP, `${label} has transA = 1, expected 0 (one example per row)`);
    const w = readWeights(label, b, int(attrs, "transB", 0) === 1, float(attrs, "alpha", 1));
    const beta = float(attrs, "beta", 1);
    const bias = c === undefined ? new Float64Array(0) : readBias(label, c, w.outputs).values.map((v) => v * beta);
    this.dense(label, w, bias, c !== undefined && isWide(c));
  }

  private dense(label: string, w: { weights: Float64Array; inputs: number; outputs: number; wide: boolean }, bias: Float64Array, wideBias = false): void {
    const layer: Dense = { kind: "dense", source: label, ...w, wide: w.wide || wideBias, bias: bias.length === 0 ? new Float64Array(w.outputs) : bias, activation: "identity" };
    this.layers.push(layer);
    this.biasOpen = true;
  }

  private add(label: string, addend: OnnxTypes.ITensorProto | undefined): void {
    const last = this.layers[this.layers.length - 1];
    if (!this.biasOpen || last === undefined || last.kind !== "dense") throw formatError(OP, `${label} adds to something other than a Gemm or MatMul output; shapegrad imports Add only as a dense layer's bias`);
    if (addend === undefined) throw formatError(OP, `${label} adds a computed tensor; shapegrad imports Add only with a constant bias`);
    const b = readBias(label, addend, last.outputs).values;
    for (let i = 0; i < b.length; i++) last.bias[i]! += b[i]!;
  }

  private conv(label: string, attrs: Attributes, w: OnnxTypes.ITensorProto | undefined, b: OnnxTypes.ITensorProto | undefined): void {
    if (w === undefined) throw formatError(OP, `${label} convolves with a computed tensor; shapegrad imports weights stored as initializers`);
    const { dims, values } = readTensor(label, w);
    if (dims.length !== 4) throw formatError(OP, `${label} has weights "${w.name}" of shape [${dims.join(", ")}], expected [filters, channels, height, width]`);
    const filters = dims[0]!, channels = dims[1]!, kh = dims[2]!, kw = dims[3]!;
    if (int(attrs, "group", 1) !== 1) throw formatError(OP, `${label} is a grouped convolution (group = ${String(attrs.get("group"))}); shapegrad's conv2d has group 1`);
    const kernel = ints(attrs, "kernel_shape", [kh, kw]);
    if (kernel.length !== 2 || kernel[0] !== kh || kernel[1] !== kw) throw formatError(OP, `${label} has kernel_shape [${kernel.join(", ")}] but weights of ${kh}x${kw}`);
    const pads = this.pads(label, attrs);
    const bias = b === undefined ? new Float64Array(filters) : readBias(label, b, filters).values;
    const layer: Conv = {
      kind: "conv2d", source: label, filters, channels, kernel: [kh, kw], stride: this.strides(label, attrs), pads,
      weights: values, bias, wide: isWide(w) || (b !== undefined && isWide(b)), activation: "identity",
    };
    this.layers.push(layer);
    this.biasOpen = false;
  }

  private maxPool(label: string, attrs: Attributes): void {
    if (!attrs.has("kernel_shape")) throw formatError(OP, `${label} has no kernel_shape`);
    const size = ints(attrs, "kernel_shape", []);
    if (size.length !== 2 || !size.every((n) => n >= 1)) throw formatError(OP, `${label} has kernel_shape [${size.join(", ")}], expected [height, width]`);
    if (int(attrs, "ceil_mode", 0) !== 0) throw formatError(OP, `${label} rounds its output size up (ceil_mode = 1); shapegrad's maxPool2d rounds down`);
    if (int(attrs, "storage_order", 0) !== 0) throw formatError(OP, `${label} has storage_order 1; shapegrad reads row-major images`);
    const pads = this.pads(label, attrs);
    if (pads === "same" || pads.some((p) => p !== 0)) throw formatError(OP, `${label} pads its input; shapegrad's maxPool2d does not pad`);
    this.layers.push({ kind: "maxPool2d", source: label, size: [size[0]!, size[1]!], stride: this.strides(label, attrs) });
    this.biasOpen = false;
  }

  /** strides [height, width] (ONNX's default is 1 on each axis). */
  private strides(label: string, attrs: Attributes): [number, number] {
    const s = ints(attrs, "strides", [1, 1]);
    if (s.length !== 2 || !s.every((n) => Number.isSafeInteger(n) && n >= 1)) throw formatError(OP, `${label} has strides [${s.join(", ")}], expected two whole numbers of 1 or more`);
    const d = ints(attrs, "dilations", [1, 1]);
    if (d.some((n) => n !== 1)) throw formatError(OP, `${label} has dilations [${d.join(", ")}]; shapegrad's windows are not dilated (1, 1)`);
    return [s[0]!, s[1]!];
  }

  /** Padding [top, bottom, left, right] from ONNX's pads [top, left, bottom, right], or "same" for auto_pad SAME_UPPER. */
  private pads(label: string, attrs: Attributes): [number, number, number, number] | "same" {
    const auto = str(attrs, "auto_pad", "NOTSET");
    if (auto === "SAME_UPPER") return "same";
    if (auto === "VALID") return [0, 0, 0, 0];
    if (auto !== "NOTSET") throw formatError(OP, `${label} has auto_pad ${auto}; shapegrad reads NOTSET (explicit pads), VALID and SAME_UPPER (TensorFlow's "same")`);
    const p = ints(attrs, "pads", [0, 0, 0, 0]);
    if (p.length !== 4 || !p.every((n) => Number.isSafeInteger(n) && n >= 0)) throw formatError(OP, `${label} has pads [${p.join(", ")}], expected [top, left, bottom, right] of 0 or more`);
    return [p[0]!, p[2]!, p[1]!, p[3]!];
  }

  /**
   * An activation belongs to the last layer with weights. Between them may stand a Flatten (it
   * moves no number), and for relu, sigmoid and tanh a max pooling too: these f never decrease, so
   * f(max(x)) = max(f(x)) and the activation may be applied before the pooling, where shapegrad
   * applies it.
   */
  private activate(label: string, activation: LayerActivation): void {
    let k = this.layers.length - 1;
    while (k >= 0 && (this.layers[k]!.kind === "flatten" || (this.layers[k]!.kind === "maxPool2d" && activation !== "softmax"))) k--;
    const owner = this.layers[k];
    if (owner === undefined || (owner.kind !== "dense" && owner.kind !== "conv2d")) {
      const between = this.layers[this.layers.length - 1];
      throw formatError(OP, owner === undefined && between === undefined
        ? `${label} comes before any layer with weights (Gemm, MatMul or Conv); shapegrad's layers apply an activation after a layer with weights`
        : `${label} follows ${between!.source}, which has no weights; shapegrad applies an activation after a layer with weights`);
    }
    if (owner.activationSource !== undefined) throw formatError(OP, `${label} follows the activation ${owner.activationSource}; shapegrad applies one activation per layer`);
    owner.activation = activation;
    owner.activationSource = label;
    this.biasOpen = false;
  }
}

type Attributes = ReadonlyMap<string, number | number[] | string>;

/** The node's INT, FLOAT, INTS and STRING attributes by name. */
function attributes(n: OnnxTypes.INodeProto): Attributes {
  const map = new Map<string, number | number[] | string>();
  const T = onnx.AttributeProto.AttributeType;
  for (const a of n.attribute ?? []) {
    if (!a.name) continue;
    if (a.type === T.FLOAT) map.set(a.name, a.f ?? 0);
    else if (a.type === T.INT) map.set(a.name, int64(a.i));
    else if (a.type === T.INTS) map.set(a.name, (a.ints ?? []).map((v) => int64(v)));
    else if (a.type === T.STRING) map.set(a.name, new TextDecoder().decode(a.s ?? new Uint8Array(0)));
  }
  return map;
}

function int(attrs: Attributes, name: string, fallback: number): number {
  const v = attrs.get(name);
  return typeof v === "number" ? v : fallback;
}
const float = int;
function ints(attrs: Attributes, name: string, fallback: number[]): number[] {
  const v = attrs.get(name);
  return Array.isArray(v) ? v : fallback;
}
function str(attrs: Attributes, name: string, fallback: string): string {
  const v = attrs.get(name);
  return typeof v === "string" ? v : fallback;
}

function isWide(t: OnnxTypes.ITensorProto): boolean {
  return t.dataType === DataType.DOUBLE;
}

/** A weight matrix as shapegrad's W [outputs, inputs]: from [out, in] when `transposed` (Gemm transB = 1), else from [in, out]. */
function readWeights(label: string, t: OnnxTypes.ITensorProto | undefined, transposed: boolean, alpha: number): { weights: Float64Array; inputs: number; outputs: number; wide: boolean } {
  if (t === undefined) throw formatError(OP, `${label} multiplies by a computed tensor; shapegrad imports weights stored as initializers`);
  const { dims, values } = readTensor(label, t);
  if (dims.length !== 2) throw formatError(OP, `${label} has weights "${t.name}" of shape [${dims.join(", ")}], expected 2 dimensions`);
  const r = dims[0]!, c = dims[1]!;
  const outputs = transposed ? r : c, inputs = transposed ? c : r;
  const weights = new Float64Array(outputs * inputs);
  for (let o = 0; o < outputs; o++) {
    for (let i = 0; i < inputs; i++) weights[o * inputs + i] = alpha * (transposed ? values[o * inputs + i]! : values[i * outputs + o]!);
  }
  return { weights, inputs, outputs, wide: isWide(t) };
}

/** A bias of `outputs` values: shape [outputs] or [1, outputs], or one value broadcast. */
function readBias(label: string, t: OnnxTypes.ITensorProto, outputs: number): { values: Float64Array } {
  const { dims, values } = readTensor(label, t);
  const ok = (dims.length === 1 && dims[0] === outputs) || (dims.length === 2 && dims[0] === 1 && dims[1] === outputs) || values.length === 1;
  if (!ok) throw formatError(OP, `${label} has bias "${t.name}" of shape [${dims.join(", ")}], expected [${outputs}]`);
  return { values: values.length === 1 ? new Float64Array(outputs).fill(values[0]!) : values };
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
