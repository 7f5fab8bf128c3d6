/**
 * Import from the TensorFlow.js layers-model format: `modelFromTfjs(modelJson, weights, [4, 8, 3])`
 * reads a Sequential of Dense layers (with InputLayer, Activation, Flatten and Dropout layers
 * around them, Dropout being the identity at prediction time) as TF.js `model.save` and the
 * tensorflowjs converter write it, and returns a typed `Mlp<[4, 8, 3]>` after checking every
 * shape. Anything it cannot represent is a ModelFormatError saying which layer and why.
 */
import type { LayerActivation } from "../nn/activations/index.js";
import type { Mlp } from "../nn/network.js";
import type { ImportedDense } from "./interop-layers.js";
import { formatError, netFromLayers } from "./interop-layers.js";

const OP = "modelFromTfjs";
const ACTIVATIONS: Readonly<Record<string, LayerActivation>> = { linear: "identity", relu: "relu", sigmoid: "sigmoid", tanh: "tanh", softmax: "softmax" };

/** The bytes of the weights: one buffer, or the shards in the order the manifest lists them. */
export type TfjsWeightData = Uint8Array | ArrayBuffer | readonly (Uint8Array | ArrayBuffer)[];

/**
 * `modelFromTfjs(modelJson, weights, [4, 8, 3])`: an `Mlp<[4, 8, 3]>`, or a ModelFormatError.
 * `modelJson` is the model.json (text or parsed; TF.js's `ModelArtifacts` with `weightSpecs` work
 * too). Without `sizes`, any architecture is accepted and the result is an `Mlp<number[]>`.
 */
export function modelFromTfjs<const S extends number[]>(modelJson: string | object, weights: TfjsWeightData, sizes: S): Mlp<S>;
export function modelFromTfjs(modelJson: string | object, weights: TfjsWeightData): Mlp<number[]>;
export function modelFromTfjs(modelJson: string | object, weights: TfjsWeightData, expected?: number[]): Mlp<number[]> {
  const doc = parse(modelJson);
  const layers = sequentialLayers(doc);
  const tensors = readWeights(weightSpecs(doc), concat(weights));
  const dense: ImportedDense[] = [];
  let inputSize: number | undefined;
  layers.forEach((layer, index) => {
    const { className, config, label } = describe(layer, index);
    if (index === 0 || className === "InputLayer") inputSize ??= declaredFeatures(config, label);
    switch (className) {
      case "InputLayer":
      case "Flatten":
      case "Dropout":
        return;
      case "Dense":
        dense.push(denseLayer(config, label, tensors));
        return;
      case "Activation": {
        const last = dense[dense.length - 1];
        if (last === undefined) throw formatError(OP, `${label} comes before any Dense layer; shapegrad applies an activation after a dense layer`);
        if (last.activation !== "identity") throw formatError(OP, `${label} follows ${last.source}, which already applies ${last.activation}; shapegrad applies one activation per dense layer`);
        last.activation = activation(config.activation, label);
        return;
      }
      default:
        throw formatError(OP, `${label}: layer class ${className} is not supported (shapegrad imports Dense, Activation, InputLayer, Flatten, Dropout)`);
    }
  });
  const unused = [...tensors.keys()].filter((name) => !tensors.get(name)!.used);
  if (unused.length > 0) throw formatError(OP, `weight "${unused[0]}" belongs to no Dense layer of the model`);
  return netFromLayers(OP, dense, inputSize, expected);
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

/** Features per example from a declared batch input shape ([null, 784], or [null, 28, 28] before a Flatten). */
function declaredFeatures(config: Json, label: string): number | undefined {
  const shape = config.batch_input_shape ?? config.batchInputShape ?? config.batch_shape;
  if (shape === undefined || shape === null) return undefined;
  if (!Array.isArray(shape) || shape.length < 2 || !shape.slice(1).every(isSize)) {
    throw formatError(OP, `${label} declares input shape ${JSON.stringify(shape)}, expected [null, features, ...]`);
  }
  return shape.slice(1).reduce((a: number, b: number) => a * b, 1);
}

function activation(name: unknown, label: string): LayerActivation {
  const key = name === undefined || name === null ? "linear" : name;
  const f = typeof key === "string" ? ACTIVATIONS[key] : undefined;
  if (f === undefined) throw formatError(OP, `${label}: activation ${JSON.stringify(key)} is not supported (shapegrad imports linear, relu, sigmoid, tanh, softmax)`);
  return f;
}

function denseLayer(config: Json, label: string, tensors: Map<string, Tensor>): ImportedDense {
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
  const useBias = (config.use_bias ?? config.useBias ?? true) !== false;
  let bias: Float64Array = new Float64Array(outputs);
  if (useBias) {
    const b = take(tensors, name, "bias", label);
    if (b.shape.length !== 1 || b.shape[0] !== outputs) throw formatError(OP, `${label} has bias "${b.name}" of shape [${b.shape.join(", ")}], expected [${outputs}]`);
    bias = b.values;
  }
  return { source: label, inputs, outputs, weights, bias, activation: activation(config.activation, label) };
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
