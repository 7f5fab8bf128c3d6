/**
 * The common ground of the ONNX and TensorFlow.js mappings: a network as a flat list of layers
 * (export), and a list of imported layers back to a checked network (import).
 *
 * Each format maps this list to its own nodes in one function (`onnxNodes`, `tfjsLayers`), so a
 * new layer kind is one more case in `layersOf` and one in each mapping. Layouts:
 * - shapegrad's activations are one column per example, each example [C, H, W] flattened
 *   row-major: ONNX's NCHW per example. So an ONNX input is [batch, C, H, W], Flatten is the
 *   identity on the data, and a conv layer's weights F x (C*KH*KW) are Conv's W [F, C, KH, KW].
 * - Keras / TF.js Conv2D is NHWC (`data_format: "channels_last"`): its kernel is [KH, KW, C, F]
 *   (shapegrad's [F, C, KH, KW] with its axes permuted by (2, 3, 1, 0)), and its Flatten walks
 *   H, W, C, so the first Dense after a Flatten of an image sees its inputs in (h, w, c) order where
 *   shapegrad uses (c, h, w). Export permutes that Dense's kernel rows from (c, h, w) to (h, w, c)
 *   order (import does the inverse), and the model's input is [batch, H, W, C]: callers feed images
 *   in HWC order, as Keras users do (with one channel, as MNIST, HWC and CHW are the same order).
 *   channels_last is kept rather than writing `data_format: "channels_first"` because it is
 *   Keras's default and TensorFlow in Python runs Conv2D on a CPU only in NHWC, so the model also
 *   runs after the tensorflowjs converter turns it into Keras.
 */
import type { Shape } from "../shape/dims.js";
import type { DType } from "../shape/matrix.js";
import type { Padding } from "../ops/conv.js";
import { convGeometry } from "../ops/conv.js";
import type { LayerActivation } from "../nn/activations/index.js";
import type { AnyNetwork, LossName } from "../nn/network.js";
import { layerBiases, layerWeights } from "../nn/network.js";
import type { Architecture, LayerDescription } from "./architecture.js";
import { describeNetwork, padsOf, resolveLayer, shapesOf } from "./architecture.js";
import type { Fail } from "./errors.js";
import { ModelFormatError } from "./errors.js";
import { targetNetwork } from "./expected.js";
import { firstNonFinite, pytorchModuleList } from "./tensors.js";

/** One node of an exported network; `module` is its index in the equivalent PyTorch nn.Sequential (tensors.ts), used in names. */
export type InteropLayer =
  | { readonly kind: "dense"; readonly module: number; readonly inputs: number; readonly outputs: number; readonly weights: ArrayLike<number>; readonly bias: ArrayLike<number> }
  | {
    readonly kind: "conv2d"; readonly module: number; readonly input: Shape; readonly filters: number; readonly kernel: readonly [number, number];
    readonly stride: readonly [number, number]; readonly padding: Padding;
    /** Padding in pixels: [top, bottom, left, right]. */
    readonly pads: readonly [number, number, number, number];
    /** [F, C, KH, KW] row-major (shapegrad's F x (C*KH*KW) matrix, PyTorch's and ONNX's layout). */
    readonly weights: ArrayLike<number>; readonly bias: ArrayLike<number>;
  }
  | { readonly kind: "maxPool2d"; readonly module: number; readonly input: Shape; readonly size: readonly [number, number]; readonly stride: readonly [number, number] }
  | { readonly kind: "flatten"; readonly module: number; readonly input: Shape }
  | { readonly kind: "activation"; readonly module: number; readonly activation: Exclude<LayerActivation, "identity">; readonly input: Shape };

/** A network as the exporters see it: the input and output shapes of one example and the layers in order. */
export interface InteropNetwork {
  readonly input: Shape;
  readonly output: Shape;
  readonly layers: readonly InteropLayer[];
  readonly loss: LossName;
  readonly dtype: DType;
}

/** The network's layers in order, numbered as the modules of the equivalent PyTorch nn.Sequential. */
export function layersOf(op: string, net: AnyNetwork): InteropNetwork {
  const arch = describeNetwork(op, net);
  const fail: Fail = (m) => new TypeError(`${op}: ${m}`);
  const { inputs, output } = shapesOf(arch, fail);
  const weights = net.weights, biases = net.biases;
  const after = (l: number): Shape => inputs[l + 1] ?? output; // what layer l outputs
  const layers: InteropLayer[] = [];
  pytorchModuleList(arch, fail).forEach((m, module) => {
    const layer = arch.layers[m.layer]!, input = inputs[m.layer]!;
    if (m.role === "pad") return; // ONNX's Conv pads and Keras's "same" hold an uneven padding themselves
    if (m.role === "flatten") {
      layers.push({ kind: "flatten", module, input: after(m.layer) }); // before a softmax over an image output
      return;
    }
    if (m.role === "activation") {
      const f = layer.kind === "dense" || layer.kind === "conv2d" ? layer.activation : "identity";
      const flattened = layers[layers.length - 1]?.kind === "flatten" && layers[layers.length - 1]!.module === module - 1;
      if (f !== "identity") layers.push({ kind: "activation", module, activation: f, input: flattened ? [shapeSize(output)] : after(m.layer) });
      return;
    }
    const w = weights[m.layer], b = biases[m.layer];
    switch (layer.kind) {
      case "dense":
        if (!w || !b) throw fail(`layer ${m.layer + 1} (dense) has no weights`);
        layers.push({ kind: "dense", module, inputs: layer.inputs, outputs: layer.outputs, weights: w.data, bias: b.data });
        return;
      case "conv2d":
        if (!w || !b) throw fail(`layer ${m.layer + 1} (conv2d) has no weights`);
        layers.push({
          kind: "conv2d", module, input, filters: layer.filters, kernel: layer.kernel, stride: layer.stride, padding: layer.padding,
          pads: padsOf(layer, input), weights: w.data, bias: b.data,
        });
        return;
      case "maxPool2d":
        layers.push({ kind: "maxPool2d", module, input, size: layer.size, stride: layer.stride });
        return;
      case "flatten":
        layers.push({ kind: "flatten", module, input });
        return;
    }
  });
  return { input: arch.input, output, layers, loss: arch.loss, dtype: arch.dtype };
}

function shapeSize(shape: Shape): number {
  return shape.reduce((p, n) => p * n, 1);
}

// ---- import ----

/** A layer read from a file, in shapegrad's layout; `source` names the node or layer it came from, for messages. */
export type ImportedLayer =
  | {
    readonly kind: "dense"; readonly source: string; readonly inputs: number; readonly outputs: number;
    /** W [outputs, inputs] row-major. */
    readonly weights: Float64Array; bias: Float64Array;
    /** "hwc": the inputs come from a Keras Flatten of an image, in (h, w, c) order (import reorders them to (c, h, w)). */
    readonly order?: "hwc";
    /** True when the file holds these numbers in float64. */
    readonly wide: boolean;
    activation: LayerActivation; activationSource?: string;
  }
  | {
    readonly kind: "conv2d"; readonly source: string; readonly filters: number; readonly channels: number;
    readonly kernel: readonly [number, number]; readonly stride: readonly [number, number];
    /** [top, bottom, left, right] in pixels, or "same" (TensorFlow's rule, ONNX's SAME_UPPER). */
    readonly pads: readonly [number, number, number, number] | "same";
    /** [F, C, KH, KW] row-major. */
    readonly weights: Float64Array; bias: Float64Array;
    readonly wide: boolean;
    activation: LayerActivation; activationSource?: string;
  }
  | { readonly kind: "maxPool2d"; readonly source: string; readonly size: readonly [number, number]; readonly stride: readonly [number, number] }
  | { readonly kind: "flatten"; readonly source: string };

/** A ModelFormatError of the loader `op` (`modelFromOnnx: node "Gemm_3" ...`). */
export function formatError(op: string, message: string): ModelFormatError {
  return new ModelFormatError(message, op);
}

/**
 * Turns the imported layers into an architecture (each one's input checked against the previous
 * one's output, the first one's against the declared input shape; a padding in pixels into
 * "valid", a number, or "same"), builds the network the caller expects (see expected.ts), checks
 * it against that architecture and copies the parameters in. Every value must be finite. The loss
 * is not stored by either format: a softmax output means crossEntropy, anything else
 * meanSquaredError (the only pairs shapegrad trains).
 *
 * `declared` is the input shape of one example the file declares ([features] or [C, H, W]), if any;
 * without it, a network that starts with a dense layer takes its input size, and one that starts
 * with a convolution needs a layer list starting with `input(c, h, w)`.
 */
export function netFromLayers(op: string, layers: readonly ImportedLayer[], declared: Shape | undefined, expected: unknown, options: unknown): AnyNetwork {
  const fail: Fail = (m) => formatError(op, m);
  if (!layers.some((l) => l.kind === "dense" || l.kind === "conv2d")) throw fail("expects at least one layer with weights (Gemm, MatMul, Conv, Dense, Conv2D), found none");
  const input = declared ?? inputFromFirst(layers[0]!) ?? inputFromExpected(expected);
  if (input === undefined) throw fail(`the file does not declare the shape of its input images: pass a layer list that starts with input(channels, height, width)`);
  const descriptions = describeImported(layers, input, fail);
  const arch: Architecture = {
    input, layers: descriptions, dtype: layers.some((l) => "wide" in l && l.wide) ? "float64" : "float32",
    loss: activationOf(descriptions[descriptions.length - 1]!) === "softmax" ? "crossEntropy" : "meanSquaredError",
  };
  const { net, settings } = targetNetwork(op, { architecture: arch, recordsDType: false }, expected, options, fail);
  const weighted = layers.filter((l) => l.kind === "dense" || l.kind === "conv2d");
  if (settings.dtype === "float32" && !settings.convert) {
    const wide = weighted.find((l) => l.wide);
    if (wide) throw fail(`${wide.source} holds float64 numbers; a float32 network takes them only with { convert: true } (each rounded to float32)`);
  }
  const w = layerWeights(net), b = layerBiases(net);
  weighted.forEach((l, k) => {
    checkFinite(op, l.weights, `${l.source} weights`);
    checkFinite(op, l.bias, `${l.source} bias`);
    w[k]!.data.set(l.weights);
    b[k]!.data.set(l.bias);
  });
  return net;
}

function inputFromFirst(first: ImportedLayer): Shape | undefined {
  return first.kind === "dense" ? [first.inputs] : undefined;
}

function inputFromExpected(expected: unknown): Shape | undefined {
  if (!Array.isArray(expected)) return undefined;
  const first: unknown = expected[0];
  if (typeof first === "number") return [first];
  if (typeof first === "object" && first !== null && (first as { kind?: unknown }).kind === "input") {
    const shape = (first as { shape?: unknown }).shape;
    if (Array.isArray(shape) && shape.every((n) => typeof n === "number")) return shape;
  }
  return undefined;
}

function activationOf(layer: LayerDescription): LayerActivation {
  return layer.kind === "dense" || layer.kind === "conv2d" ? layer.activation : "identity";
}

/** The imported layers as descriptions, each checked against the shape flowing into it. */
function describeImported(layers: readonly ImportedLayer[], input: Shape, fail: Fail): LayerDescription[] {
  const out: LayerDescription[] = [];
  let shape = input, previous = "the model's input", imageBeforeFlatten: Shape | undefined;
  layers.forEach((l, i) => {
    let d: LayerDescription;
    switch (l.kind) {
      case "dense": {
        const features = shape.length === 1 ? shape[0]! : undefined;
        if (features !== undefined && features !== l.inputs) {
          throw fail(`${l.source} expects ${l.inputs} inputs but ${i === 0 ? "the model's input has" : `${previous} outputs`} ${features}${i === 0 ? " features" : ""}`);
        }
        if (l.order === "hwc" && imageBeforeFlatten !== undefined) l.weights.set(fromHwcColumns(l.weights, l.outputs, imageBeforeFlatten));
        d = { kind: "dense", inputs: l.inputs, outputs: l.outputs, activation: l.activation };
        break;
      }
      case "conv2d": {
        if (shape.length === 3 && shape[0] !== l.channels) throw fail(`${l.source} expects ${l.channels} input channels but ${previous} gives ${shape[0]} (shape [${shape.join(", ")}])`);
        const padding = shape.length === 3 ? paddingOf(l, shape, fail) : "valid";
        d = { kind: "conv2d", filters: l.filters, kernel: l.kernel, stride: l.stride, padding, activation: l.activation };
        break;
      }
      case "maxPool2d":
        d = { kind: "maxPool2d", size: l.size, stride: l.stride };
        break;
      case "flatten":
        imageBeforeFlatten = shape.length === 3 ? shape : undefined;
        d = { kind: "flatten" };
        break;
    }
    if (activationOf(d) === "softmax" && i < layers.length - 1 && layers.slice(i + 1).some((x) => x.kind !== "flatten")) {
      throw fail(`softmax after ${l.source} is only supported at the output (shapegrad's softmax pairs with the cross-entropy)`);
    }
    const resolved = resolveLayer(d, shape, out.length, (m) => fail(`${l.source}: ${m}`));
    shape = resolved.output;
    previous = l.source;
    out.push(d);
  });
  return out;
}

/** A padding in pixels as shapegrad spells it: "valid", one number on every side, or "same" when it is TensorFlow's. */
function paddingOf(l: Extract<ImportedLayer, { kind: "conv2d" }>, shape: Shape, fail: Fail): Padding {
  if (l.pads === "same") return "same";
  const [top, bottom, left, right] = l.pads;
  if (top === bottom && left === right && top === left) return top === 0 ? "valid" : top;
  const g = convGeometry(shape[1]!, shape[2]!, l.kernel[0], l.kernel[1], l.stride[0], l.stride[1], "same");
  if (g.padTop === top && g.padBottom === bottom && g.padLeft === left && g.padRight === right) return "same";
  throw fail(`${l.source} pads [top ${top}, bottom ${bottom}, left ${left}, right ${right}]: shapegrad's conv2d pads the same number on every side, or as TensorFlow's "same" ([${g.padTop}, ${g.padBottom}, ${g.padLeft}, ${g.padRight}] here)`);
}

/**
 * A dense layer's W [outputs, C*H*W] whose columns are in (h, w, c) order (after a Keras Flatten of
 * an [H, W, C] image), with its columns put in shapegrad's (c, h, w) order.
 */
export function fromHwcColumns(w: ArrayLike<number>, outputs: number, image: Shape): Float64Array {
  const c = image[0]!, h = image[1]!, wd = image[2]!;
  const n = c * h * wd, out = new Float64Array(outputs * n);
  for (let o = 0; o < outputs; o++) {
    for (let ci = 0; ci < c; ci++) for (let y = 0; y < h; y++) for (let x = 0; x < wd; x++) {
      out[o * n + (ci * h + y) * wd + x] = w[o * n + (y * wd + x) * c + ci]!;
    }
  }
  return out;
}

/** The inverse of fromHwcColumns: W's columns from (c, h, w) to (h, w, c) order. */
export function toHwcColumns(w: ArrayLike<number>, outputs: number, image: Shape): Float64Array {
  const c = image[0]!, h = image[1]!, wd = image[2]!;
  const n = c * h * wd, out = new Float64Array(outputs * n);
  for (let o = 0; o < outputs; o++) {
    for (let ci = 0; ci < c; ci++) for (let y = 0; y < h; y++) for (let x = 0; x < wd; x++) {
      out[o * n + (y * wd + x) * c + ci] = w[o * n + (ci * h + y) * wd + x]!;
    }
  }
  return out;
}

function checkFinite(op: string, values: Float64Array, name: string): void {
  const i = firstNonFinite(values);
  if (i >= 0) throw formatError(op, `expects finite numbers, got ${values[i]} at ${name}[${i}]`);
}

