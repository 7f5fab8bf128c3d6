/**
 * Export to ONNX: `modelToOnnx(net)` is the bytes of a `model.onnx` that ONNX Runtime (servers,
 * browsers, phones), PyTorch tooling and every ONNX consumer can run. Browser-safe: the protobuf
 * encoding is onnx-proto's (protobufjs), no Node module.
 *
 * The graph: input "input" [batch, sizes[0]] with a symbolic batch dimension, one Gemm per dense
 * layer (transB = 1, so the weights are stored [out, in] exactly as shapegrad's W and PyTorch's
 * Linear.weight), then Relu / Sigmoid / Tanh / Softmax(axis = -1) (nothing for identity), output
 * "output" [batch, sizes[L]]. One example per row, as ONNX models take it (shapegrad's own
 * matrices hold one example per column). Opset 13, IR version 7.
 */
import type { Mlp } from "../nn/network.js";
import type { Sizes } from "../nn/types.js";
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
   * shapegrad's weights exactly (ONNX Runtime's CPU provider runs these five operators in double).
   */
  readonly dtype?: "float32" | "float64";
}

/** `modelToOnnx(net)`: the bytes of an ONNX model (opset 13) computing `predict(net, x)` on rows. */
export function modelToOnnx<S extends Sizes>(net: Mlp<S>, options: OnnxExportOptions = {}): Uint8Array {
  const dtype = options.dtype ?? "float32";
  if (dtype !== "float32" && dtype !== "float64") throw new RangeError(`modelToOnnx expects dtype "float32" or "float64", got ${JSON.stringify(dtype)}`);
  const elemType = dtype === "float32" ? DataType.FLOAT : DataType.DOUBLE;
  const sizes: readonly number[] = net.sizes;
  const { nodes, initializers } = onnxNodes(layersOf(net), "input", "output", elemType);
  const graph = onnx.GraphProto.create({
    name: "shapegrad",
    node: nodes,
    initializer: initializers,
    input: [valueInfo("input", elemType, sizes[0]!)],
    output: [valueInfo("output", elemType, sizes[sizes.length - 1]!)],
    docString: `shapegrad network [${sizes.join(", ")}], loss ${net.loss} (not part of the graph); one example per row`,
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
 * (`/0/Gemm`, initializers `0.weight`, `0.bias`: the module index in the list).
 */
export function onnxNodes(layers: readonly InteropLayer[], input: string, output: string, elemType: number): { nodes: OnnxTypes.NodeProto[]; initializers: OnnxTypes.TensorProto[] } {
  const nodes: OnnxTypes.NodeProto[] = [];
  const initializers: OnnxTypes.TensorProto[] = [];
  let current = input;
  layers.forEach((layer, k) => {
    const op = opType(layer);
    const out = k === layers.length - 1 ? output : `/${k}/${op}_output_0`;
    if (layer.kind === "dense") {
      initializers.push(tensor(`${k}.weight`, [layer.outputs, layer.inputs], layer.weights, elemType));
      initializers.push(tensor(`${k}.bias`, [layer.outputs], layer.bias, elemType));
      nodes.push(node(op, k, [current, `${k}.weight`, `${k}.bias`], out, [intAttribute("transB", 1)]));
    } else {
      nodes.push(node(op, k, [current], out, op === "Softmax" ? [intAttribute("axis", -1)] : []));
    }
    current = out;
  });
  return { nodes, initializers };
}

function opType(layer: InteropLayer): string {
  if (layer.kind === "dense") return "Gemm";
  switch (layer.activation) {
    case "relu": return "Relu";
    case "sigmoid": return "Sigmoid";
    case "tanh": return "Tanh";
    case "softmax": return "Softmax";
  }
}

function node(opType: string, k: number, input: string[], output: string, attribute: OnnxTypes.AttributeProto[]): OnnxTypes.NodeProto {
  return onnx.NodeProto.create({ name: `/${k}/${opType}`, opType, input, output: [output], attribute });
}

function intAttribute(name: string, i: number): OnnxTypes.AttributeProto {
  return onnx.AttributeProto.create({ name, type: AttributeType.INT, i });
}

/** A [batch, features] tensor type with a symbolic batch dimension. */
function valueInfo(name: string, elemType: number, features: number): OnnxTypes.ValueInfoProto {
  const shape = { dim: [{ dimParam: "batch" }, { dimValue: features }] };
  return onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType, shape } } });
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
