/**
 * Import from the TensorFlow.js layers-model format: `modelFromTfjs(modelJson, weights, expected)`
 * reads a Sequential of Dense, Conv2D, MaxPooling2D and Flatten layers (with InputLayer,
 * Activation, ZeroPadding2D and Dropout layers around them, Dropout being the identity at
 * prediction time) as TF.js `model.save` and the tensorflowjs converter write it, and returns the
 * network the caller expects (an `Mlp<[4, 8, 3]>` for sizes, the `Network` of a layer list, see
 * expected.ts) after checking every shape. Keras images are NHWC: kernels are permuted to
 * shapegrad's [F, C, KH, KW] and the Dense after a Flatten of an image has its rows put back in
 * (c, h, w) order (see interop-layers.ts), so the network takes [C, H, W] examples. Anything it
 * cannot represent is a ModelFormatError saying which layer and why.
 */
import type { Shape } from "../shape/dims.js";
import type { DType } from "../shape/matrix.js";
import type { LayerActivation } from "../nn/activations/index.js";
import type { Mlp } from "../nn/network.js";
import type { LoadOptions, ExpectedArg, ExpectedKind, Loaded } from "./expected.js";
import type { ImportedLayer } from "./interop-layers.js";
import { formatError, netFromLayers } from "./interop-layers.js";

const OP = "modelFromTfjs";
const ACTIVATIONS: Readonly<Record<string, LayerActivation>> = { linear: "identity", relu: "relu", sigmoid: "sigmoid", tanh: "tanh", softmax: "softmax" };
const SUPPORTED = "Dense, Conv2D, MaxPooling2D, Flatten, Activation, InputLayer, ZeroPadding2D, Dropout";

/** The bytes of the weights: one buffer, or the shards in the order the manifest lists them. */
export type TfjsWeightData = Uint8Array | ArrayBuffer | readonly (Uint8Array | ArrayBuffer)[];

/**
 * `modelFromTfjs(modelJson, weights, [4, 8, 3])`: an `Mlp<[4, 8, 3]>`; with a layer list
 * (`[input(1, 28, 28), conv2d(8, 5), relu(), ...]`) the `Network` of that list; with "any",
 * whatever the model computes; without, the dense network it holds as an `Mlp<number[]>`.
 * `modelJson` is the model.json (text or parsed; TF.js's `ModelArtifacts` with `weightSpecs` work
 * too). Options: `{ dtype, convert }` (the weights are float32, exact in either element type).
 */
export function modelFromTfjs<const E extends ExpectedKind, D extends DType = "float64">(modelJson: string | object, weights: TfjsWeightData, expected: ExpectedArg<E, "modelFromTfjs">, options?: LoadOptions<D>): Loaded<E, D>;
export function modelFromTfjs(modelJson: string | object, weights: TfjsWeightData): Mlp<number[]>;
export function modelFromTfjs(modelJson: string | object, weights: TfjsWeightData, expected?: unknown, options?: LoadOptions<DType>): unknown {
  const doc = parse(modelJson);
  const layers = sequentialLayers(doc);
  const tensors = readWeights(weightSpecs(doc), concat(weights));
  const imported: ImportedLayer[] = [];
  let input: Shape | undefined, afterFlatten = false, pad: { pads: [number, number, number, number]; label: string } | undefined;
  layers.forEach((layer, index) => {
    const { className, config, label } = describe(layer, index);
    if (index === 0 || className === "InputLayer") input ??= declaredInput(config, label);
    if (pad !== undefined && className !== "Conv2D") throw formatError(OP, `${pad.label} pads the input of ${label}; shapegrad imports a ZeroPadding2D only right before a Conv2D`);
    switch (className) {
      case "InputLayer":
      case "Dropout":
        return;
      case "Flatten":
        checkChannelsLast(config, label);
        imported.push({ kind: "flatten", source: label });
        afterFlatten = true;
        return;
      case "Dense":
        imported.push(denseLayer(config, label, tensors, afterFlatten));
        afterFlatten = false;
        return;
      case "ZeroPadding2D":
        checkChannelsLast(config, label);
        pad = { pads: zeroPadding(config.padding, label), label };
        return;
      case "Conv2D":
        imported.push(convLayer(config, label, tensors, pad));
        pad = undefined;
        afterFlatten = false;
        return;
      case "MaxPooling2D":
        imported.push(poolLayer(config, label));
        afterFlatten = false;
        return;
      case "Activation":
        attach(imported, activation(config.activation, label), label);
        return;
      default:
        throw formatError(OP, `${label}: layer class ${className} is not supported (shapegrad imports ${SUPPORTED})`);
    }
  });
  if (pad !== undefined) throw formatError(OP, `${pad.label} is the last layer; shapegrad imports a ZeroPadding2D only right before a Conv2D`);
  const unused = [...tensors.keys()].filter((name) => !tensors.get(name)!.used);
  if (unused.length > 0) throw formatError(OP, `weight "${unused[0]}" belongs to no Dense or Conv2D layer of the model`);
  return netFromLayers(OP, imported, input, expected, options);
}

/**
 * An Activation layer belongs to the last layer with weights. A Flatten may stand between them,
 * and for relu, sigmoid and tanh a pooling too (these f never decrease, so f(max(x)) = max(f(x))).
 */
function attach(layers: ImportedLayer[], f: LayerActivation, label: string): void {
  let k = layers.length - 1;
  while (k >= 0 && (layers[k]!.kind === "flatten" || (layers[k]!.kind === "maxPool2d" && f !== "softmax"))) k--;
  const owner = layers[k];
  if (owner === undefined || (owner.kind !== "dense" && owner.kind !== "conv2d")) {
    throw formatError(OP, owner === undefined ? `${label} comes before any Dense or Conv2D layer; shapegrad applies an activation after a layer with weights`
      : `${label} follows ${owner.source}, which has no weights; shapegrad applies an activation after a layer with weights`);
  }
  if (owner.activation !== "identity") throw formatError(OP, `${label} follows ${owner.source}, which already applies ${owner.activation}; shapegrad applies one activation per layer`);
  owner.activation = f;
  owner.activationSource = label;
}

type Json = Record<string, unknown>;

/** A whole number of 1 or more (a size). */
function isSize(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 1;
}

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function parse(modelJson: string | object): Json {
  let doc: unknown = modelJson;
  if (typeof modelJson === "string") {
    try {
      doc = JSON.parse(modelJson);
    } catch (e) {
      throw formatError(OP, `model.json is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (!isObject(doc)) throw formatError(OP, `expects model.json to be a JSON object, got ${Array.isArray(doc) ? "an array" : doc === null ? "null" : typeof doc}`);
  if (doc.format !== undefined && doc.format !== "layers-model") throw formatError(OP, `expects format "layers-model", got ${JSON.stringify(doc.format)} (a graph model cannot be imported: convert the Keras model as a layers model)`);
  return doc;
}

/** The Sequential's layer list, from `modelTopology` (or its `model_config`, as Keras-converted files nest it). */
function sequentialLayers(doc: Json): unknown[] {
  const topology = doc.modelTopology;
  if (!isObject(topology)) throw formatError(OP, "model.json has no modelTopology");
  const model = isObject(topology.model_config) ? topology.model_config : topology;
  if (model.class_name !== "Sequential") throw formatError(OP, `expects a Sequential model, got class ${JSON.stringify(model.class_name)}`);
  const config = model.config;
  // Keras before 2.2.3 wrote the layer list as the config itself.
  const layers = Array.isArray(config) ? config : isObject(config) ? config.layers : undefined;
  if (!Array.isArray(layers)) throw formatError(OP, "the Sequential model has no list of layers");
  return layers;
}

function describe(layer: unknown, index: number): { className: string; config: Json; label: string } {
  if (!isObject(layer) || typeof layer.class_name !== "string" || !isObject(layer.config)) throw formatError(OP, `layer ${index} is not a { class_name, config } object`);
  const name = typeof layer.config.name === "string" ? layer.config.name : String(index);
  return { className: layer.class_name, config: layer.config, label: `layer "${name}" (${layer.class_name})` };
}

/**
 * The shape of one example from a declared batch input shape: [null, H, W, C] (Keras's NHWC) is
 * shapegrad's [C, H, W]; [null, 784] is [784], and other ranks ([null, 28, 28] before a Flatten)
 * are their number of values, read row-major.
 */
function declaredInput(config: Json, label: string): Shape | undefined {
  const shape = config.batch_input_shape ?? config.batchInputShape ?? config.batch_shape;
  if (shape === undefined || shape === null) return undefined;
  if (!Array.isArray(shape) || shape.length < 2 || !shape.slice(1).every(isSize)) {
    throw formatError(OP, `${label} declares input shape ${JSON.stringify(shape)}, expected [null, features, ...]`);
  }
  const dims = shape.slice(1) as number[];
  return dims.length === 3 ? [dims[2]!, dims[0]!, dims[1]!] : [dims.reduce((a, b) => a * b, 1)];
}

function checkChannelsLast(config: Json, label: string): void {
  const f = config.data_format ?? config.dataFormat;
  if (f !== undefined && f !== null && f !== "channels_last") throw formatError(OP, `${label} has data_format ${JSON.stringify(f)}; shapegrad imports channels_last (NHWC), Keras's default`);
}

/** A size or [height, width] from a config field (`kernel_size: 5` or `[3, 5]`). */
function pairOf(v: unknown, what: string, label: string): [number, number] {
  if (isSize(v)) return [v, v];
  if (Array.isArray(v) && v.length === 2 && v.every(isSize)) return [v[0] as number, v[1] as number]; // checked: two sizes
  throw formatError(OP, `${label} has ${what} ${JSON.stringify(v)}, expected a whole number of 1 or more or [height, width]`);
}

/** ZeroPadding2D's padding as [top, bottom, left, right]: a number, [height, width], or [[top, bottom], [left, right]]. */
function zeroPadding(v: unknown, label: string): [number, number, number, number] {
  const whole = (n: unknown): n is number => typeof n === "number" && Number.isSafeInteger(n) && n >= 0;
  if (whole(v)) return [v, v, v, v];
  if (Array.isArray(v) && v.length === 2 && v.every(whole)) return [v[0] as number, v[0] as number, v[1] as number, v[1] as number]; // checked: two whole numbers
  if (Array.isArray(v) && v.length === 2 && v.every((p) => Array.isArray(p) && p.length === 2 && p.every(whole))) {
    // Checked just above: two pairs of whole numbers.
    const [[t, b], [l, r]] = v as [[number, number], [number, number]];
    return [t, b, l, r];
  }
  throw formatError(OP, `${label} has padding ${JSON.stringify(v)}, expected a number, [height, width] or [[top, bottom], [left, right]]`);
}

function convLayer(config: Json, label: string, tensors: Map<string, Tensor>, pad: { pads: [number, number, number, number] } | undefined): ImportedLayer {
  checkChannelsLast(config, label);
  const name = typeof config.name === "string" ? config.name : "";
  const filters = config.filters;
  if (!isSize(filters)) throw formatError(OP, `${label} has filters ${JSON.stringify(filters)}, expected a whole number of 1 or more`);
  const [kh, kw] = pairOf(config.kernel_size ?? config.kernelSize, "kernel_size", label);
  const stride = pairOf(config.strides ?? 1, "strides", label);
  const dilation = config.dilation_rate ?? config.dilationRate ?? 1;
  if (!(dilation === 1 || (Array.isArray(dilation) && dilation.every((d) => d === 1)))) throw formatError(OP, `${label} has dilation_rate ${JSON.stringify(dilation)}; shapegrad's conv2d is not dilated`);
  const padding = config.padding ?? "valid";
  if (padding !== "valid" && padding !== "same") throw formatError(OP, `${label} has padding ${JSON.stringify(padding)}; shapegrad imports "valid" and "same"`);
  if (pad !== undefined && padding !== "valid") throw formatError(OP, `${label} has padding "same" after a ZeroPadding2D; shapegrad imports a ZeroPadding2D before a "valid" Conv2D`);
  const kernel = take(tensors, name, "kernel", label);
  if (kernel.shape.length !== 4 || kernel.shape[0] !== kh || kernel.shape[1] !== kw || kernel.shape[3] !== filters) {
    throw formatError(OP, `${label} has kernel "${kernel.name}" of shape [${kernel.shape.join(", ")}], expected [${kh}, ${kw}, channels, ${filters}]`);
  }
  const channels = kernel.shape[2]!;
  // Keras's kernel is [KH, KW, C, F]; shapegrad's (and PyTorch's) [F, C, KH, KW].
  const weights = new Float64Array(filters * channels * kh * kw);
  for (let o = 0; o < filters; o++) for (let c = 0; c < channels; c++) for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) {
    weights[((o * channels + c) * kh + y) * kw + x] = kernel.values[((y * kw + x) * channels + c) * filters + o]!;
  }
  const bias = biasOf(config, name, label, tensors, filters);
  return {
    kind: "conv2d", source: label, filters, channels, kernel: [kh, kw], stride, pads: pad?.pads ?? (padding === "same" ? "same" : [0, 0, 0, 0]),
    weights, bias, wide: false, activation: activation(config.activation, label),
  };
}

function poolLayer(config: Json, label: string): ImportedLayer {
  checkChannelsLast(config, label);
  const size = pairOf(config.pool_size ?? config.poolSize ?? 2, "pool_size", label);
  const strides = config.strides;
  const stride = strides === undefined || strides === null ? size : pairOf(strides, "strides", label);
  if ((config.padding ?? "valid") !== "valid") throw formatError(OP, `${label} has padding ${JSON.stringify(config.padding)}; shapegrad's maxPool2d does not pad ("valid")`);
  return { kind: "maxPool2d", source: label, size, stride };
}

function activation(name: unknown, label: string): LayerActivation {
  const key = name === undefined || name === null ? "linear" : name;
  const f = typeof key === "string" ? ACTIVATIONS[key] : undefined;
  if (f === undefined) throw formatError(OP, `${label}: activation ${JSON.stringify(key)} is not supported (shapegrad imports linear, relu, sigmoid, tanh, softmax)`);
  return f;
}

function denseLayer(config: Json, label: string, tensors: Map<string, Tensor>, afterFlatten: boolean): ImportedLayer {
  const name = typeof config.name === "string" ? config.name : "";
  const units = config.units;
  if (!isSize(units)) throw formatError(OP, `${label} has units ${JSON.stringify(units)}, expected a whole number of 1 or more`);
  const outputs = units;
  const kernel = take(tensors, name, "kernel", label);
  if (kernel.shape.length !== 2 || kernel.shape[1] !== outputs) throw formatError(OP, `${label} has kernel "${kernel.name}" of shape [${kernel.shape.join(", ")}], expected [inputs, ${outputs}]`);
  const inputs = kernel.shape[0]!;
  // Keras's kernel is [in, out]; shapegrad's W is [out, in].
  const weights = new Float64Array(outputs * inputs);
  for (let o = 0; o < outputs; o++) for (let i = 0; i < inputs; i++) weights[o * inputs + i] = kernel.values[i * outputs + o]!;
  const bias = biasOf(config, name, label, tensors, outputs);
  return {
    kind: "dense", source: label, inputs, outputs, weights, bias, wide: false, activation: activation(config.activation, label),
    ...(afterFlatten ? { order: "hwc" as const } : {}),
  };
}

function biasOf(config: Json, name: string, label: string, tensors: Map<string, Tensor>, outputs: number): Float64Array {
  const useBias = (config.use_bias ?? config.useBias ?? true) !== false;
  if (!useBias) return new Float64Array(outputs);
  const b = take(tensors, name, "bias", label);
  if (b.shape.length !== 1 || b.shape[0] !== outputs) throw formatError(OP, `${label} has bias "${b.name}" of shape [${b.shape.join(", ")}], expected [${outputs}]`);
  return b.values;
}

interface Tensor {
  readonly name: string;
  readonly shape: number[];
  readonly values: Float64Array;
  used: boolean;
}

/** The layer's weight `dense_1/kernel` (or `.../dense_1/kernel`, as Keras-converted files prefix the model name). */
function take(tensors: Map<string, Tensor>, layer: string, kind: "kernel" | "bias", label: string): Tensor {
  const exact = `${layer}/${kind}`;
  const t = tensors.get(exact) ?? [...tensors.values()].find((w) => w.name.endsWith(`/${exact}`));
  if (t === undefined) throw formatError(OP, `${label} has no weight "${exact}" in the weights manifest`);
  if (t.used) throw formatError(OP, `${label}: weight "${t.name}" is used twice`);
  t.used = true;
  return t;
}

interface Spec {
  readonly name: string;
  readonly shape: number[];
}

/** The weight specs in file order: every group of `weightsManifest`, or `weightSpecs` (TF.js ModelArtifacts). */
function weightSpecs(doc: Json): Spec[] {
  const manifest = doc.weightsManifest;
  let list: unknown[];
  if (Array.isArray(manifest)) {
    list = manifest.flatMap((g, k) => {
      if (!isObject(g) || !Array.isArray(g.weights)) throw formatError(OP, `weightsManifest[${k}] has no list of weights`);
      return g.weights;
    });
  } else if (Array.isArray(doc.weightSpecs)) {
    list = doc.weightSpecs;
  } else {
    throw formatError(OP, "model.json has no weightsManifest (missing weights)");
  }
  return list.map((s, k) => {
    if (!isObject(s) || typeof s.name !== "string") throw formatError(OP, `weight ${k} of the manifest has no name`);
    if (s.quantization !== undefined) throw formatError(OP, `weight "${s.name}" is quantized; shapegrad imports float32 weights only`);
    if (s.dtype !== "float32") throw formatError(OP, `weight "${s.name}" has dtype ${JSON.stringify(s.dtype)}, expected "float32"`);
    const shape = s.shape;
    if (!Array.isArray(shape) || !shape.every(isSize)) throw formatError(OP, `weight "${s.name}" has shape ${JSON.stringify(shape)}, expected sizes of 1 or more`);
    return { name: s.name, shape };
  });
}

// Array.isArray does not narrow a readonly array type, hence this guard.
function isShardList(w: TfjsWeightData): w is readonly (Uint8Array | ArrayBuffer)[] {
  return Array.isArray(w);
}

/** The shards as one byte array. */
function concat(weights: TfjsWeightData): Uint8Array {
  const list = isShardList(weights);
  const parts: readonly unknown[] = list ? weights : [weights];
  const arrays = parts.map((p, k) => {
    if (p instanceof Uint8Array) return p;
    if (p instanceof ArrayBuffer) return new Uint8Array(p);
    throw formatError(OP, `expects the weights as Uint8Array or ArrayBuffer (or a list of them), got ${p === null ? "null" : typeof p}${list ? ` at shard ${k}` : ""}`);
  });
  if (arrays.length === 1) return arrays[0]!;
  const out = new Uint8Array(arrays.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of arrays) { out.set(a, at); at += a.length; }
  return out;
}

/** Cuts the bytes into the specs' tensors (little-endian float32), after checking the sizes add up exactly. */
function readWeights(specs: readonly Spec[], bytes: Uint8Array): Map<string, Tensor> {
  const needed = specs.reduce((n, s) => n + 4 * s.shape.reduce((a, b) => a * b, 1), 0);
  if (needed !== bytes.length) throw formatError(OP, `the weights manifest describes ${needed} bytes but the weight files hold ${bytes.length} (shard sizes do not match)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tensors = new Map<string, Tensor>();
  let at = 0;
  for (const s of specs) {
    if (tensors.has(s.name)) throw formatError(OP, `weight "${s.name}" appears twice in the manifest`);
    const values = new Float64Array(s.shape.reduce((a, b) => a * b, 1));
    for (let i = 0; i < values.length; i++, at += 4) values[i] = view.getFloat32(at, true);
    tensors.set(s.name, { name: s.name, shape: s.shape, values, used: false });
  }
  return tensors;
}
