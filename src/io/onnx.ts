/**
 * Export to ONNX: `modelToOnnx(net)` is the bytes of a `model.onnx` that ONNX Runtime (servers,
 * browsers, phones), PyTorch tooling and every ONNX consumer can run. Browser-safe: the protobuf
 * encoding is onnx-proto's (protobufjs), no Node module.
 *
 * The graph: input "input" of shape [batch, features], or [batch, C, H, W] for a network of
 * images (NCHW, shapegrad's own layout of an example), with a symbolic batch dimension; then one
 * node per layer: Gemm (transB = 1, so the weights are stored [out, in] exactly as shapegrad's W
 * and PyTorch's Linear.weight), Conv (W [F, C, KH, KW], strides, kernel_shape and pads
 * [top, left, bottom, right] in pixels, TensorFlow's "same" written out), MaxPool, Flatten
 * (axis 1); and Relu / Sigmoid / Tanh / Softmax (axis -1, after a Flatten when the output is an
 * image) after a layer (nothing for identity); output "output" [batch, ...output shape]. One
 * example per row, as ONNX models take it (shapegrad's own matrices hold one example per column).
 * Opset 13, IR version 7.
 */
import type { Shape } from "../shape/dims.js";
import type { AnyNetwork } from "../nn/network.js";
import type { InteropLayer } from "./interop-layers.js";
import { layersOf } from "./interop-layers.js";
import { AttributeType, DataType, onnx, type OnnxTypes } from "./onnx-proto.js";

/** The opset and IR version written: opset 13 (ONNX 1.8) needs IR version 7. */
export const ONNX_OPSET = 13;
export const ONNX_IR_VERSION = 7;

/** Options of `modelToOnnx`. */
export interface OnnxExportOptions {
  /**
   * Element type of the weights, the input and the output. "float32" (default) is what ONNX
   * runtimes and converters expect; each weight is rounded to the nearest float32. "float64" keeps
   * shapegrad's weights exactly (ONNX Runtime's CPU provider runs Gemm, MaxPool, Flatten and the
   * activations in double, but has no double Conv: export a convolutional network in float32 for it).
   */
  readonly dtype?: "float32" | "float64";
}

/** `modelToOnnx(net)`: the bytes of an ONNX model (opset 13) computing `predict(net, x)` on rows. */
export function modelToOnnx<N extends AnyNetwork>(net: N, options: OnnxExportOptions = {}): Uint8Array {
  const dtype = options?.dtype ?? "float32";
  if (dtype !== "float32" && dtype !== "float64") throw new RangeError(`modelToOnnx expects dtype "float32" or "float64", got ${JSON.stringify(dtype)}`);
  const elemType = dtype === "float32" ? DataType.FLOAT : DataType.DOUBLE;
  const { input, output, layers, loss } = layersOf("modelToOnnx", net);
  const { nodes, initializers, outputShape } = onnxNodes(layers, "input", "output", elemType, output);
  const graph = onnx.GraphProto.create({
    name: "shapegrad",
    node: nodes,
    initializer: initializers,
    input: [valueInfo("input", elemType, input)],
    output: [valueInfo("output", elemType, outputShape)],
    docString: `shapegrad network, input [${input.join(", ")}] per example, loss ${loss} (not part of the graph); one example per row`,
  });
  const model = onnx.ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: "", version: ONNX_OPSET }],
    producerName: "shapegrad",
    graph,
  });
  return onnx.ModelProto.encode(model).finish();
}

/**
 * The network-to-graph mapping: the layer list in, ONNX nodes and initializers out, starting from
 * the tensor named `input`. Node and tensor names follow PyTorch's exporter for an nn.Sequential
 * (`/0/Conv`, initializers `0.weight`, `0.bias`: the module index in the list, as in the
 * safetensors files). Returns the shape of one example of the output as well.
 */
function onnxNodes(
  layers: readonly InteropLayer[], input: string, output: string, elemType: number, outputShape: Shape,
): { nodes: OnnxTypes.NodeProto[]; initializers: OnnxTypes.TensorProto[]; outputShape: Shape } {
  const nodes: OnnxTypes.NodeProto[] = [];
  const initializers: OnnxTypes.TensorProto[] = [];
  let current = input, shape = outputShape;
  layers.forEach((layer, k) => {
    const op = opType(layer);
    const out = k === layers.length - 1 ? output : `/${layer.module}/${op}_output_0`;
    const weights = `${layer.module}.weight`, bias = `${layer.module}.bias`;
    switch (layer.kind) {
      case "dense":
        initializers.push(tensor(weights, [layer.outputs, layer.inputs], layer.weights, elemType), tensor(bias, [layer.outputs], layer.bias, elemType));
        nodes.push(node(op, layer.module, [current, weights, bias], out, [intAttribute("transB", 1)]));
        break;
      case "conv2d": {
        const [kh, kw] = layer.kernel, [top, bottom, left, right] = layer.pads;
        initializers.push(tensor(weights, [layer.filters, layer.input[0]!, kh, kw], layer.weights, elemType), tensor(bias, [layer.filters], layer.bias, elemType));
        nodes.push(node(op, layer.module, [current, weights, bias], out, [
          intsAttribute("dilations", [1, 1]), intAttribute("group", 1), intsAttribute("kernel_shape", [kh, kw]),
          intsAttribute("pads", [top, left, bottom, right]), intsAttribute("strides", [...layer.stride]),
        ]));
        break;
      }
      case "maxPool2d":
        nodes.push(node(op, layer.module, [current], out, [
          intAttribute("ceil_mode", 0), intsAttribute("kernel_shape", [...layer.size]), intsAttribute("pads", [0, 0, 0, 0]), intsAttribute("strides", [...layer.stride]),
        ]));
        break;
      case "flatten":
        nodes.push(node(op, layer.module, [current], out, [intAttribute("axis", 1)]));
        // A Flatten last, or before a final softmax over an image output, makes the output flat
        // (elsewhere the output shape is already the flat one it passes on).
        if (k >= layers.length - 2) shape = [shape.reduce((p, n) => p * n, 1)];
        break;
      case "activation":
        nodes.push(node(op, layer.module, [current], out, op === "Softmax" ? [intAttribute("axis", -1)] : []));
        break;
    }
    current = out;
  });
  return { nodes, initializers, outputShape: shape };
}

function opType(layer: InteropLayer): string {
  switch (layer.kind) {
    case "dense": return "Gemm";
    case "conv2d": return "Conv";
    case "maxPool2d": return "MaxPool";
    case "flatten": return "Flatten";
    case "activation": return ACTIVATION_OPS[layer.activation];
  }
}

const ACTIVATION_OPS = { relu: "Relu", sigmoid: "Sigmoid", tanh: "Tanh", softmax: "Softmax" } as const;

function node(opType: string, k: number, input: string[], output: string, attribute: OnnxTypes.AttributeProto[]): OnnxTypes.NodeProto {
  return onnx.NodeProto.create({ name: `/${k}/${opType}`, opType, input, output: [output], attribute });
}

function intAttribute(name: string, i: number): OnnxTypes.AttributeProto {
  return onnx.AttributeProto.create({ name, type: AttributeType.INT, i });
}

function intsAttribute(name: string, ints: number[]): OnnxTypes.AttributeProto {
  return onnx.AttributeProto.create({ name, type: AttributeType.INTS, ints });
}

/** A [batch, ...shape] tensor type with a symbolic batch dimension. */
function valueInfo(name: string, elemType: number, shape: Shape): OnnxTypes.ValueInfoProto {
  const dims = { dim: [{ dimParam: "batch" }, ...shape.map((n) => ({ dimValue: n }))] };
  return onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType, shape: dims } } });
}
/** An initializer in raw_data: little-endian float32 or float64, as the ONNX spec fixes it. */
function tensor(name: string, dims: number[], values: ArrayLike<number>, elemType: number): OnnxTypes.TensorProto {
  const width = elemType === DataType.FLOAT ? 4 : 8;
  const bytes = new Uint8Array(values.length * width);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (width === 4) {
      // A finite float64 beyond float32's range would become Infinity: refuse instead.
      if (!Number.isFinite(Math.fround(v))) throw new RangeError(`modelToOnnx: ${name}[${i}] = ${v} does not fit in float32 (export with { dtype: "float64" })`);
      view.setFloat32(i * 4, v, true);
    } else {
      view.setFloat64(i * 8, v, true);
    }
  }
  return onnx.TensorProto.create({ name, dims, dataType: elemType, rawData: bytes });
}
