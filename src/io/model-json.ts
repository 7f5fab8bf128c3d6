/**
 * Models as versioned JSON. `modelToJSON(net)` writes a version 2 document: the element type, the
 * loss, the input shape and the layers by kind with their hyperparameters, activation and
 * parameters. `modelFromJSON(text, expected)` reads version 2 and version 1 (dense networks only,
 * as shapegrad wrote before convolutions) and checks every field; anything wrong (not JSON,
 * truncated, missing or extra fields, an unknown layer kind, layers that do not fit together,
 * parameters of the wrong size, NaN or Infinity, a version it does not know, another architecture
 * than expected) is a `ModelFormatError` saying what and where, and no half-loaded model is ever
 * returned. See expected.ts for the `expected` argument, which types the result.
 */
import type { DType } from "../shape/matrix.js";
import type { LayerActivation } from "../nn/activations/index.js";
import { isLayerActivation } from "../nn/activations/index.js";
import type { AnyNetwork, LossName, Mlp } from "../nn/network.js";
import { layerBiases, layerWeights } from "../nn/network.js";
import type { Architecture, Conv2dDescription, DenseDescription, FlattenDescription, MaxPool2dDescription } from "./architecture.js";
import { denseArchitecture, describeNetwork, parseDType, parseInput, parseLayers, parseLoss, shapesOf } from "./architecture.js";
import { ModelFormatError } from "./errors.js";
import type { Fail } from "./errors.js";
import type { LoadOptions, ExpectedArg, ExpectedKind, Loaded } from "./expected.js";
import { targetNetwork } from "./expected.js";
import { checkFiniteParameters } from "./tensors.js";

export { ModelFormatError };

/** The format name and the version this library writes (it reads versions 1 and 2). */
export const MODEL_FORMAT = "shapegrad-mlp";
export const MODEL_VERSION = 2;

/** The parameters of a layer with weights: W^l row by row (for a conv, F rows of C*KH*KW numbers in (c, kh, kw) order) and b^l. */
export interface LayerParameters {
  readonly weights: number[][];
  readonly bias: number[];
}

/** One layer of a version 2 document. */
export type LayerDocument =
  | (DenseDescription & LayerParameters)
  | (Conv2dDescription & LayerParameters)
  | MaxPool2dDescription
  | FlattenDescription;

/** The JSON document `modelToJSON` writes (version 2). */
export interface ModelDocument {
  readonly format: typeof MODEL_FORMAT;
  readonly version: typeof MODEL_VERSION;
  readonly dtype: DType;
  readonly loss: LossName;
  /** The shape of one input example: [features] or [channels, height, width]. */
  readonly input: number[];
  readonly layers: LayerDocument[];
}

/** A version 1 document (dense float64 networks; still read): weights row by row, W^l as sizes[l] rows of sizes[l-1] numbers. */
export interface ModelDocumentV1 {
  readonly format: typeof MODEL_FORMAT;
  readonly version: 1;
  readonly sizes: number[];
  readonly activations: LayerActivation[];
  readonly loss: LossName;
  readonly weights: number[][][];
  readonly biases: number[][];
}

/**
 * `modelToJSON(net)`: the network as a version 2 JSON text (numbers printed exactly, so a round
 * trip is lossless, float32 networks included). Refuses (RangeError naming the tensor and index)
 * a network with a NaN or infinite parameter, which JSON would write as null; a model too large
 * for one JavaScript string (about 20 million parameters) is a RangeError that points to `.safetensors`.
 */
export function modelToJSON<N extends AnyNetwork>(net: N): string {
  checkFiniteParameters("modelToJSON", net);
  const arch = describeNetwork("modelToJSON", net);
  const layers = arch.layers.map((layer, l): LayerDocument => {
    if (layer.kind === "maxPool2d" || layer.kind === "flatten") return layer;
    const w = net.weights[l], b = net.biases[l];
    if (!w || !b) throw new TypeError(`modelToJSON: layer ${l + 1} (${layer.kind}) has no weights`);
    const rows: number[][] = [];
    for (let i = 0; i < w.rows; i++) rows.push(Array.from(w.data.subarray(i * w.cols, (i + 1) * w.cols)));
    return { ...layer, weights: rows, bias: Array.from(b.data) };
  });
  const doc: ModelDocument = { format: MODEL_FORMAT, version: MODEL_VERSION, dtype: arch.dtype, loss: arch.loss, input: [...arch.input], layers };
  try {
    return JSON.stringify(doc);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    const count = layerWeights(net).reduce((n, m) => n + m.data.length, 0);
    throw new RangeError(`modelToJSON: the model's ${count.toLocaleString("en-US")} weights make a JSON text longer than a JavaScript string may be (${e.message}); save it as .safetensors (modelToSafetensors) instead`);
  }
}

/**
 * `modelFromJSON(text, [784, 128, 10])`: an `Mlp<[784, 128, 10]>`; `modelFromJSON(text, [input(1, 28, 28),
 * conv2d(8, 5), relu(), ...])`: the `Network` that `sequential` of those layers is; `modelFromJSON(text,
 * "any")`: whatever the file holds; `modelFromJSON(text)`: the dense network it holds, as an
 * `Mlp<number[]>`. Options: `{ dtype, convert }` (see LoadOptions).
 */
export function modelFromJSON<const E extends ExpectedKind, D extends DType = "float64">(text: string, expected: ExpectedArg<E, "modelFromJSON">, options?: LoadOptions<D>): Loaded<E, D>;
export function modelFromJSON(text: string): Mlp<number[]>;
export function modelFromJSON(text: string, expected?: unknown, options?: LoadOptions<DType>): unknown {
  return readModelJSON("modelFromJSON", text, expected, options);
}

/** The loader behind modelFromJSON and loadModel (`op` names the operation in messages). */
export function readModelJSON(op: string, text: unknown, expected: unknown, options: unknown): AnyNetwork {
  const fail: Fail = (m) => new ModelFormatError(m, op);
  const file = parseDocument(text, fail);
  const { net } = targetNetwork(op, { architecture: file.architecture, recordsDType: true }, expected, options, fail);
  // Everything is checked and the network built: only now copy, layer by layer in order.
  const weights = layerWeights(net), biases = layerBiases(net);
  file.parameters.forEach((p, k) => {
    const w = weights[k]!, b = biases[k]!;
    p.weights.forEach((row, i) => w.data.set(row, i * w.cols));
    b.data.set(p.bias);
  });
  return net;
}

/** A checked document: its architecture and the parameters of its layers with weights, in order. */
interface ParsedDocument {
  readonly architecture: Architecture;
  readonly parameters: readonly { readonly weights: readonly number[][]; readonly bias: readonly number[] }[];
}

function parseDocument(text: unknown, fail: Fail): ParsedDocument {
  if (typeof text !== "string") throw fail(`expects a JSON text, got ${text === null ? "null" : typeof text}`);
  let doc: unknown;
  try {
    // A byte-order mark (U+FEFF, as some Windows editors write) is not JSON; skip it.
    doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw fail(`the text is not valid JSON (${text.length === 0 ? "it is empty" : "truncated or damaged"}): ${(e as Error).message}`);
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw fail("expects a JSON object");
  const d = doc as Record<string, unknown>;
  if (!("format" in d)) {
    const keys = Object.keys(d);
    throw fail(`missing field "format" (a model document starts {"format": "${MODEL_FORMAT}", "version": ...}; this object has ${keys.length === 0 ? "no fields" : `the fields ${keys.slice(0, 4).map((k) => JSON.stringify(k)).join(", ")}`})`);
  }
  if (d.format !== MODEL_FORMAT) throw fail(`expects format "${MODEL_FORMAT}", got ${JSON.stringify(d.format)}`);
  if (d.version === 1) return parseVersion1(d, fail);
  if (d.version === 2) return parseVersion2(d, fail);
  throw fail(`unknown version ${JSON.stringify(d.version)} (this library reads versions 1 and 2)`);
}

/** Exactly these fields, each present. */
function checkFields(d: Record<string, unknown>, allowed: readonly string[], fail: Fail): void {
  const extra = Object.keys(d).filter((k) => !allowed.includes(k));
  if (extra.length > 0) throw fail(`unexpected field ${extra.map((k) => JSON.stringify(k)).join(", ")}`);
  for (const k of allowed) if (!(k in d)) throw fail(`missing field "${k}"`);
}

function parseVersion2(d: Record<string, unknown>, fail: Fail): ParsedDocument {
  checkFields(d, ["format", "version", "dtype", "loss", "input", "layers"], fail);
  const dtype = parseDType(d.dtype, "dtype", fail);
  const loss = parseLoss(d.loss, "", fail);
  const input = parseInput(d.input, "input", fail);
  const layers = parseLayers(d.layers, "layers", fail, ["weights", "bias"]);
  const architecture: Architecture = { input, layers, loss, dtype };
  const shapes = shapesOf(architecture, fail);
  const raw = d.layers as Record<string, unknown>[]; // parseLayers checked: a list of objects
  const parameters = shapes.weights.flatMap((w, l) => {
    if (w === null) return [];
    const at = `layers[${l}]`;
    const layer = raw[l]!;
    if (!("weights" in layer)) throw fail(`missing field "weights" in ${at} (a ${layers[l]!.kind} layer)`);
    if (!("bias" in layer)) throw fail(`missing field "bias" in ${at} (a ${layers[l]!.kind} layer)`);
    const rows = checkArray(layer.weights, `${at}.weights`, w[0], fail);
    rows.forEach((row, i) => checkNumbers(row, `${at}.weights[${i}]`, w[1], dtype, fail));
    checkNumbers(layer.bias, `${at}.bias`, w[0], dtype, fail);
    return [{ weights: rows as number[][], bias: layer.bias as number[] }];
  });
  return { architecture, parameters };
}

function parseVersion1(d: Record<string, unknown>, fail: Fail): ParsedDocument {
  checkFields(d, ["format", "version", "sizes", "activations", "loss", "weights", "biases"], fail);
  const sizes = d.sizes;
  if (!Array.isArray(sizes) || sizes.length < 2 || !sizes.every((n) => Number.isSafeInteger(n) && n >= 1)) {
    throw fail(`expects sizes to be at least two whole numbers of 1 or more, got ${JSON.stringify(sizes)}`);
  }
  const count = sizes.length - 1;
  const acts = d.activations;
  if (!Array.isArray(acts) || acts.length !== count) throw fail(`expects ${count} activations, got ${JSON.stringify(acts)}`);
  const activations = acts.map((a, l) => {
    if (!isLayerActivation(a)) throw fail(`unknown activation ${JSON.stringify(a)} in layer ${l + 1}`);
    return a;
  });
  const loss = parseLoss(d.loss, "", fail);
  const weights = checkArray(d.weights, "weights", count, fail);
  const biases = checkArray(d.biases, "biases", count, fail);
  const parameters = weights.map((w, l) => {
    const rows = checkArray(w, `weights[${l}]`, sizes[l + 1], fail);
    rows.forEach((row, i) => checkNumbers(row, `weights[${l}][${i}]`, sizes[l], "float64", fail));
    checkNumbers(biases[l], `biases[${l}]`, sizes[l + 1], "float64", fail);
    return { weights: rows as number[][], bias: biases[l] as number[] };
  });
  // Version 1 held float64 dense networks only.
  const architecture = denseArchitecture(sizes, activations, loss, "float64");
  shapesOf(architecture, fail);
  return { architecture, parameters };
}

function checkArray(v: unknown, name: string, length: number, fail: Fail): unknown[] {
  if (!Array.isArray(v)) throw fail(`expects ${name} to be an array of ${length}, got ${v === null ? "null" : typeof v}`);
  if (v.length !== length) throw fail(`expects ${name} to hold ${length} entries, got ${v.length}`);
  return v;
}

function checkNumbers(v: unknown, name: string, length: number, dtype: DType, fail: Fail): void {
  const list = checkArray(v, name, length, fail);
  list.forEach((x, i) => {
    // JSON cannot hold NaN or Infinity; a null or a string in their place is caught here.
    if (typeof x !== "number" || !Number.isFinite(x)) throw fail(`expects finite numbers, got ${typeof x === "number" ? String(x) : JSON.stringify(x)} at ${name}[${i}]`);
    // A float32 document holds float32 numbers (printed exactly); anything else would be rounded silently.
    if (dtype === "float32" && Math.fround(x) !== x) throw fail(`expects float32 numbers in a float32 document, got ${x} at ${name}[${i}] (not a float32 number)`);
  });
}

