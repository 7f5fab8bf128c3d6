/**
 * Model save and load as versioned JSON. `modelFromJSON(text, [784, 128, 10])` checks that the
 * file holds exactly that architecture and returns a fully typed `Mlp<[784, 128, 10]>`; anything
 * wrong (not JSON, truncated, missing or extra arrays, wrong sizes, NaN or Infinity, unknown
 * version) is a `ModelFormatError` saying what, and no half-loaded model is ever returned.
 */
import type { LayerActivation } from "../nn/activations/index.js";
import { activationNames } from "../nn/activations/index.js";
import type { LossName, Mlp } from "../nn/network.js";
import { build, layerBiases, layerWeights } from "../nn/network.js";
import type { Sizes } from "../nn/types.js";
import { checkFiniteParameters } from "./tensors.js";

/** The format name and version this library writes and reads. */
export const MODEL_FORMAT = "shapegrad-mlp";
export const MODEL_VERSION = 1;

/** The JSON document: weights row by row, W^l as sizes[l] rows of sizes[l-1] numbers. */
export interface ModelDocument {
  readonly format: typeof MODEL_FORMAT;
  readonly version: typeof MODEL_VERSION;
  readonly sizes: number[];
  readonly activations: LayerActivation[];
  readonly loss: LossName;
  readonly weights: number[][][];
  readonly biases: number[][];
}

/** A model file that cannot be loaded; the message says what is wrong with it. */
export class ModelFormatError extends Error {
  /** What is wrong, without the name of the operation that found it. */
  readonly detail: string;
  /** `op` names the operation that found the damage (modelFromJSON, modelFromSafetensors, loadModel, ...). */
  constructor(message: string, op = "modelFromJSON") {
    super(`${op}: ${message}`);
    this.name = "ModelFormatError";
    this.detail = message;
  }
}

/**
 * `modelToJSON(net)`: the network as a versioned JSON text (numbers printed exactly, so a round trip
 * is lossless). Refuses (RangeError naming the tensor and index) a network with a NaN or infinite
 * parameter, which JSON would write as null; a model too large for one JavaScript string (about
 * 20 million parameters) is a RangeError that points to `.safetensors`.
 */
export function modelToJSON<S extends Sizes>(net: Mlp<S>): string {
  checkFiniteParameters("modelToJSON", net);
  const weights = layerWeights(net).map((w) => {
    const rows: number[][] = [];
    for (let i = 0; i < w.rows; i++) rows.push(Array.from(w.data.subarray(i * w.cols, (i + 1) * w.cols)));
    return rows;
  });
  const doc: ModelDocument = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    sizes: [...net.sizes],
    activations: [...net.activations],
    loss: net.loss,
    weights,
    biases: layerBiases(net).map((b) => Array.from(b.data)),
  };
  try {
    return JSON.stringify(doc);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    const count = weights.reduce((n, w) => n + w.length * (w[0]?.length ?? 0), 0);
    throw new RangeError(`modelToJSON: the model's ${count.toLocaleString("en-US")} weights make a JSON text longer than a JavaScript string may be (${e.message}); save it as .safetensors (modelToSafetensors) instead`);
  }
}

/**
 * `modelFromJSON(text, [784, 128, 10])`: an `Mlp<[784, 128, 10]>`, after checking every field.
 * Without `sizes`, any architecture is accepted and the result is an `Mlp<number[]>`.
 */
export function modelFromJSON<const S extends number[]>(text: string, sizes: S): Mlp<S>;
export function modelFromJSON(text: string): Mlp<number[]>;
export function modelFromJSON(text: string, expected?: number[]): Mlp<number[]> {
  if (typeof text !== "string") throw new ModelFormatError(`expects a JSON text, got ${typeof text}`);
  let doc: unknown;
  try {
    // A byte-order mark (U+FEFF, as some Windows editors write) is not JSON; skip it.
    doc = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    throw new ModelFormatError(`the text is not valid JSON (${text.length === 0 ? "it is empty" : "truncated or damaged"}): ${(e as Error).message}`);
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw new ModelFormatError("expects a JSON object");
  const d = doc as Record<string, unknown>;
  const allowed = ["format", "version", "sizes", "activations", "loss", "weights", "biases"];
  const extra = Object.keys(d).filter((k) => !allowed.includes(k));
  if (extra.length > 0) throw new ModelFormatError(`unexpected field ${extra.map((k) => JSON.stringify(k)).join(", ")}`);
  for (const k of allowed) if (!(k in d)) throw new ModelFormatError(`missing field "${k}"`);
  if (d.format !== MODEL_FORMAT) throw new ModelFormatError(`expects format "${MODEL_FORMAT}", got ${JSON.stringify(d.format)}`);
  if (d.version !== MODEL_VERSION) throw new ModelFormatError(`unknown version ${JSON.stringify(d.version)} (this library reads version ${MODEL_VERSION})`);
  const sizes = d.sizes;
  if (!Array.isArray(sizes) || sizes.length < 2 || !sizes.every((n) => Number.isInteger(n) && n >= 1)) {
    throw new ModelFormatError(`expects sizes to be at least two whole numbers of 1 or more, got ${JSON.stringify(sizes)}`);
  }
  if (expected !== undefined && (expected.length !== sizes.length || expected.some((n, i) => n !== sizes[i]))) {
    throw new ModelFormatError(`expects a model of sizes [${expected.join(", ")}], the file holds [${sizes.join(", ")}]`);
  }
  const layers = sizes.length - 1;
  const acts = d.activations;
  if (!Array.isArray(acts) || acts.length !== layers) throw new ModelFormatError(`expects ${layers} activations, got ${JSON.stringify(acts)}`);
  acts.forEach((a, l) => {
    if (!(activationNames as readonly unknown[]).includes(a) && a !== "softmax") throw new ModelFormatError(`unknown activation ${JSON.stringify(a)} in layer ${l + 1}`);
  });
  if (d.loss !== "crossEntropy" && d.loss !== "meanSquaredError") throw new ModelFormatError(`unknown loss ${JSON.stringify(d.loss)}`);
  const weights = checkArray(d.weights, "weights", layers);
  const biases = checkArray(d.biases, "biases", layers);
  weights.forEach((w, l) => {
    const rows = checkArray(w, `weights[${l}]`, sizes[l + 1]);
    rows.forEach((row, i) => checkNumbers(row, `weights[${l}][${i}]`, sizes[l]));
  });
  biases.forEach((b, l) => checkNumbers(b, `biases[${l}]`, sizes[l + 1]));

  // Everything is checked: only now build, so a bad file never yields a half-loaded model.
  let net: Mlp<number[]>;
  try {
    net = build(sizes as number[], acts as LayerActivation[], d.loss);
  } catch (e) {
    throw new ModelFormatError((e as Error).message);
  }
  layerWeights(net).forEach((m, l) => (weights[l] as number[][]).forEach((row, i) => m.data.set(row, i * m.cols)));
  layerBiases(net).forEach((m, l) => m.data.set(biases[l] as number[]));
  return net;
}

function checkArray(v: unknown, name: string, length: number): unknown[] {
  if (!Array.isArray(v)) throw new ModelFormatError(`expects ${name} to be an array of ${length}, got ${v === null ? "null" : typeof v}`);
  if (v.length !== length) throw new ModelFormatError(`expects ${name} to hold ${length} entries, got ${v.length}`);
  return v;
}

function checkNumbers(v: unknown, name: string, length: number): void {
  const list = checkArray(v, name, length);
  list.forEach((x, i) => {
    // JSON cannot hold NaN or Infinity; a null or a string in their place is caught here.
    if (typeof x !== "number" || !Number.isFinite(x)) throw new ModelFormatError(`expects finite numbers, got ${typeof x === "number" ? String(x) : JSON.stringify(x)} at ${name}[${i}]`);
  });
}
