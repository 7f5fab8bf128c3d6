/**
 * The common ground of the ONNX and TensorFlow.js mappings: a network as a flat list of layers
 * (export), and a list of imported dense layers back to a checked network (import).
 *
 * Each format maps this list to its own nodes in one function (`onnxNodes`, `tfjsLayers`), so a
 * new layer kind (Conv, MaxPool, Flatten) is one more case in `layersOf` and one in each mapping.
 * Layout notes for those, kept here so both mappings follow them:
 * - shapegrad's activations are one column per example, each example [C, H, W] flattened
 *   row-major: ONNX's NCHW per example. So an ONNX input is [batch, C, H, W], Flatten is the
 *   identity on the data, and a conv layer's weights F x (C*KH*KW) are Conv's W [F, C, KH, KW].
 * - Keras / TF.js Conv2D is NHWC (`data_format: "channels_last"`): its kernel is [KH, KW, C, F]
 *   (shapegrad's [F, C, KH, KW] with its axes permuted by (2, 3, 1, 0)), and its Flatten walks
 *   H, W, C, so the first Dense after a Flatten sees its inputs in (h, w, c) order where shapegrad
 *   uses (c, h, w). Export permutes that Dense's kernel rows from (c, h, w) to (h, w, c) order
 *   (import does the inverse), and the model's input is [batch, H, W, C]: callers feed images in
 *   HWC order, as Keras users do (with one channel, as MNIST, HWC and CHW are the same order).
 *   channels_last is kept rather than writing `data_format: "channels_first"` because it is
 *   Keras's default and TensorFlow in Python runs Conv2D on a CPU only in NHWC, so the model also
 *   runs after the tensorflowjs converter turns it into Keras.
 */
import type { LayerActivation } from "../nn/activations/index.js";
import type { LossName, Mlp } from "../nn/network.js";
import { build, layerBiases, layerWeights } from "../nn/network.js";
import type { Sizes } from "../nn/types.js";
import { ModelFormatError } from "./model-json.js";

/** One layer of an exported network. Weights are [outputs, inputs] row-major (shapegrad's W, PyTorch's Linear.weight). */
export type InteropLayer =
  | { readonly kind: "dense"; readonly inputs: number; readonly outputs: number; readonly weights: ArrayLike<number>; readonly bias: ArrayLike<number> }
  | { readonly kind: "activation"; readonly activation: Exclude<LayerActivation, "identity"> };

/** The network's layers in order: each dense layer, then its activation unless it is the identity. */
export function layersOf<S extends Sizes>(net: Mlp<S>): InteropLayer[] {
  const weights = layerWeights(net), biases = layerBiases(net);
  const layers: InteropLayer[] = [];
  weights.forEach((w, l) => {
    layers.push({ kind: "dense", inputs: w.cols, outputs: w.rows, weights: w.data, bias: biases[l]!.data });
    const f = net.activations[l]!;
    if (f !== "identity") layers.push({ kind: "activation", activation: f });
  });
  return layers;
}

/** A dense layer read from a file: W [outputs, inputs] row-major, b [outputs], and its activation. */
export interface ImportedDense {
  /** The node or layer it came from, for error messages. */
  readonly source: string;
  readonly inputs: number;
  readonly outputs: number;
  readonly weights: Float64Array;
  readonly bias: Float64Array;
  activation: LayerActivation;
}

/**
 * A ModelFormatError naming the loader: `modelFromOnnx: node "Gemm_3" ...`. (ModelFormatError's
 * constructor writes "modelFromJSON: " before every message; the loaders here replace that prefix.)
 */
export function formatError(op: string, message: string): ModelFormatError {
  const e = new ModelFormatError(message);
  e.message = `${op}: ${message}`;
  return e;
}

/**
 * Checks that the layers chain (each one's inputs = the previous one's outputs, the first one's =
 * `inputSize` when the file declares it), that softmax appears only at the output, and that the
 * sizes are the expected ones; then builds the network and copies the parameters in. Every value
 * must be finite. The loss is not stored by either format: softmax output means crossEntropy,
 * anything else meanSquaredError (the only pairs shapegrad trains).
 */
export function netFromLayers(op: string, layers: readonly ImportedDense[], inputSize: number | undefined, expected: readonly number[] | undefined): Mlp<number[]> {
  if (layers.length === 0) throw formatError(op, "expects at least one dense layer (Gemm, MatMul, Dense), found none");
  if (inputSize !== undefined && layers[0]!.inputs !== inputSize) {
    throw formatError(op, `${layers[0]!.source} expects ${layers[0]!.inputs} inputs but the model's input has ${inputSize} features`);
  }
  layers.forEach((d, l) => {
    const prev = layers[l - 1];
    if (prev !== undefined && prev.outputs !== d.inputs) throw formatError(op, `${d.source} expects ${d.inputs} inputs but ${prev.source} outputs ${prev.outputs}`);
    if (d.activation === "softmax" && l < layers.length - 1) throw formatError(op, `softmax after ${d.source} is only supported at the output (shapegrad's softmax pairs with the cross-entropy)`);
    checkFinite(op, d.weights, `${d.source} weights`);
    checkFinite(op, d.bias, `${d.source} bias`);
  });
  const sizes = [layers[0]!.inputs, ...layers.map((d) => d.outputs)];
  if (expected !== undefined && (expected.length !== sizes.length || expected.some((n, i) => n !== sizes[i]))) {
    throw formatError(op, `expects a model of sizes [${expected.join(", ")}], the file holds [${sizes.join(", ")}]`);
  }
  const activations = layers.map((d) => d.activation);
  const loss: LossName = activations[activations.length - 1] === "softmax" ? "crossEntropy" : "meanSquaredError";
  let net: Mlp<number[]>;
  try {
    net = build(sizes, activations, loss);
  } catch (e) {
    throw formatError(op, e instanceof Error ? e.message : String(e));
  }
  layerWeights(net).forEach((w, l) => w.data.set(layers[l]!.weights));
  layerBiases(net).forEach((b, l) => b.data.set(layers[l]!.bias));
  return net;
}

function checkFinite(op: string, values: Float64Array, name: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) throw formatError(op, `expects finite numbers, got ${values[i]} at ${name}[${i}]`);
  }
}
