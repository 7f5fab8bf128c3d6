/**
 * Models as safetensors files: the binary format for models of any size, and the route to PyTorch.
 * `modelToSafetensors(net)` writes each parameter's numbers as they are (F64, or F32 for a float32
 * network) under the names of the equivalent `nn.Sequential` (see tensors.ts), with shapegrad's
 * architecture in `__metadata__`; `modelFromSafetensors(bytes, [784, 128, 10])` checks the whole
 * file before building the network, so a damaged file is a ModelFormatError, never a half-loaded model.
 */
import type { ActivationName, LayerActivation } from "../nn/activations/index.js";
import { activationNames } from "../nn/activations/index.js";
import type { LossName, Mlp } from "../nn/network.js";
import { build } from "../nn/network.js";
import type { Sizes } from "../nn/types.js";
import type { Rng } from "../ops/random.js";
import { MODEL_FORMAT, MODEL_VERSION, ModelFormatError } from "./model-json.js";
import type { SafetensorsHeader, TensorToWrite } from "./safetensors.js";
import { concatChunks, readFloats, readSafetensorsHeader, safetensorsChunks } from "./safetensors.js";
import type { NetworkStructure, TensorSpec } from "./tensors.js";
import { checkFiniteParameters, firstNonFinite, tensorData, tensorIndex, tensorLayout } from "./tensors.js";

/** How to read a file that carries no shapegrad metadata (e.g. one written by PyTorch). */
export interface SafetensorsOptions {
  /** Activation of the hidden layers of a file without shapegrad metadata (default "relu"). */
  readonly hidden?: ActivationName;
  /** Activation of its output layer (default "softmax"). */
  readonly output?: LayerActivation;
  /** Its objective (default "crossEntropy" with a softmax output, else "meanSquaredError"). */
  readonly loss?: LossName;
}

const OP = "modelFromSafetensors";

/** The `__metadata__` of a model file: shapegrad's architecture, as strings (the format allows only strings). */
export function modelMetadata(net: NetworkStructure & { readonly loss: LossName }, dtype: string): Record<string, string> {
  return {
    format: MODEL_FORMAT,
    version: String(MODEL_VERSION),
    sizes: JSON.stringify([...net.sizes]),
    activations: JSON.stringify([...net.activations]),
    loss: net.loss,
    dtype,
  };
}

/** The tensors of a network, named and shaped as in tensors.ts, in file order. */
export function modelTensors<S extends Sizes>(net: Mlp<S>, prefix = ""): TensorToWrite[] {
  return tensorLayout(net).map((spec) => ({ name: prefix + spec.name, shape: spec.shape, data: tensorData(net, spec) }));
}

/**
 * `modelToSafetensors(net)`: the network as the bytes of a `.safetensors` file. Refuses (RangeError
 * naming the tensor and index) a network with a NaN or infinite parameter.
 */
export function modelToSafetensors<S extends Sizes>(net: Mlp<S>): Uint8Array {
  checkFiniteParameters("modelToSafetensors", net);
  return concatChunks(modelChunks(net));
}

/** The file as chunks (views of the parameters on little-endian hosts), for writers that stream. */
export function modelChunks<S extends Sizes>(net: Mlp<S>): Uint8Array[] {
  const tensors = modelTensors(net);
  return safetensorsChunks(tensors, modelMetadata(net, dtypeName(tensors)));
}

/** "float32" when every tensor is a Float32Array, else "float64". */
export function dtypeName(tensors: readonly TensorToWrite[]): string {
  return tensors.length > 0 && tensors.every((t) => t.data instanceof Float32Array) ? "float32" : "float64";
}

/**
 * `modelFromSafetensors(bytes, [784, 128, 10])`: a typed `Mlp<[784, 128, 10]>`. A file written by
 * shapegrad carries its architecture; a file without shapegrad metadata (e.g. PyTorch's
 * `save_file(model.state_dict(), ...)`) needs `sizes`, and its activations come from `options`
 * (default ReLU hidden layers and a softmax output). F32 and F64 tensors are accepted, in any order.
 */
export function modelFromSafetensors<const S extends number[]>(bytes: Uint8Array, sizes: S, options?: SafetensorsOptions): Mlp<S>;
export function modelFromSafetensors(bytes: Uint8Array): Mlp<number[]>;
export function modelFromSafetensors(bytes: Uint8Array, expected?: number[], options: SafetensorsOptions = {}): Mlp<number[]> {
  const fail = (message: string) => new ModelFormatError(message, OP);
  const header = readSafetensorsHeader(bytes, fail);
  return modelFromHeader(bytes, header, expected, options, "", fail);
}

/** Builds the network from a checked header; `prefix` selects the model's tensors in a checkpoint. */
export function modelFromHeader(
  bytes: Uint8Array, header: SafetensorsHeader, expected: number[] | undefined, options: SafetensorsOptions, prefix: string,
  fail: (message: string) => Error, ignore: (name: string) => boolean = () => false,
): Mlp<number[]> {
  const structure = architecture(header.metadata, expected, options, fail);
  const specs = tensorLayout(structure);
  checkTensorSet(header, specs, prefix, fail, ignore);
  let net: Mlp<number[]>;
  try {
    net = build(structure.sizes, structure.activations, structure.loss, { rng: zeroSource });
  } catch (e) {
    throw fail((e as Error).message);
  }
  // The header is fully checked; the numbers are copied into the new network and checked there.
  // On any error the network is dropped, so no half-loaded model is ever returned.
  for (const spec of specs) {
    const data = tensorData(net, spec);
    readFloats(bytes, header.tensors.get(prefix + spec.name)!, data);
    const at = firstNonFinite(data);
    if (at >= 0) throw fail(`tensor "${prefix + spec.name}" holds ${data[at]} at ${tensorIndex(spec.shape, at)}: a model file must hold finite numbers`);
  }
  return net;
}

/**
 * A random source that gives 0: the initial weights are overwritten by the file's, so drawing them
 * would be wasted (He initialisation of 37 M weights measured 3.7 s; this source makes it a fill).
 */
const zeroSource: Rng = Object.assign(() => 0, {
  next: () => 0, normal: () => 0, int: () => 0, shuffle: <T>(items: T) => items, state: () => ({ sfc32: [0, 0, 0, 0] as const, spare: null }),
});

interface Architecture extends NetworkStructure {
  readonly sizes: number[];
  readonly activations: LayerActivation[];
  readonly loss: LossName;
}

/** The architecture from shapegrad's metadata, or, for a foreign file, from `expected` and `options`. */
function architecture(metadata: Readonly<Record<string, string>> | undefined, expected: number[] | undefined, options: SafetensorsOptions, fail: (m: string) => Error): Architecture {
  if (metadata?.format !== MODEL_FORMAT) {
    if (expected === undefined) throw fail(`the file has no shapegrad metadata (format "${MODEL_FORMAT}"): pass the layer sizes, e.g. modelFromSafetensors(bytes, [784, 128, 10])`);
    checkSizes(expected, fail, "expects sizes");
    const output = options.output ?? "softmax";
    const activations: LayerActivation[] = expected.slice(2).map(() => options.hidden ?? "relu");
    activations.push(output);
    return { sizes: expected, activations, loss: options.loss ?? (output === "softmax" ? "crossEntropy" : "meanSquaredError") };
  }
  if (metadata.version !== String(MODEL_VERSION)) throw fail(`unknown version ${JSON.stringify(metadata.version)} (this library reads version ${MODEL_VERSION})`);
  const sizes = parseField(metadata, "sizes", fail);
  checkSizes(sizes, fail, "expects __metadata__ sizes to be");
  if (expected !== undefined && (expected.length !== sizes.length || expected.some((n, i) => n !== sizes[i]))) {
    throw fail(`expects a model of sizes [${expected.join(", ")}], the file holds [${sizes.join(", ")}]`);
  }
  const activations = parseField(metadata, "activations", fail);
  if (!Array.isArray(activations) || activations.length !== sizes.length - 1) throw fail(`expects ${sizes.length - 1} activations in __metadata__, got ${metadata.activations}`);
  const known = (a: unknown): a is LayerActivation => (activationNames as readonly unknown[]).includes(a) || a === "softmax";
  activations.forEach((a: unknown, l) => {
    if (!known(a)) throw fail(`unknown activation ${JSON.stringify(a)} in layer ${l + 1}`);
  });
  const loss = metadata.loss;
  if (loss !== "crossEntropy" && loss !== "meanSquaredError") throw fail(`unknown loss ${JSON.stringify(loss)} in __metadata__`);
  return { sizes, activations: activations.filter(known), loss };
}

function parseField(metadata: Readonly<Record<string, string>>, key: string, fail: (m: string) => Error): unknown {
  const text = metadata[key];
  if (text === undefined) throw fail(`__metadata__ has no "${key}"`);
  try {
    return JSON.parse(text);
  } catch {
    throw fail(`__metadata__ "${key}" is not valid JSON: ${JSON.stringify(text)}`);
  }
}

function checkSizes(sizes: unknown, fail: (m: string) => Error, what: string): asserts sizes is number[] {
  if (!Array.isArray(sizes) || sizes.length < 2 || !sizes.every((n) => Number.isInteger(n) && n >= 1)) {
    throw fail(`${what} at least two whole numbers of 1 or more, got ${JSON.stringify(sizes)}`);
  }
}

/** Up to four quoted names, then how many more. */
function names(list: readonly string[]): string {
  const shown = list.slice(0, 4).map((k) => JSON.stringify(k)).join(", ");
  return list.length > 4 ? `${shown} and ${list.length - 4} more` : shown;
}

/** The file must hold exactly the layout's tensors (any order), each a float tensor of the layout's shape. */
function checkTensorSet(header: SafetensorsHeader, specs: readonly TensorSpec[], prefix: string, fail: (m: string) => Error, ignore: (name: string) => boolean): void {
  const wanted = new Set(specs.map((s) => prefix + s.name));
  const extra = [...header.tensors.keys()].filter((k) => !wanted.has(k) && !ignore(k));
  if (extra.length > 0) throw fail(`unexpected tensor ${names(extra)} (the model's tensors are ${names([...wanted])})`);
  for (const spec of specs) {
    const name = prefix + spec.name;
    const entry = header.tensors.get(name);
    if (entry === undefined) throw fail(`missing tensor "${name}" (${spec.kind} of layer ${spec.layer + 1}, shape [${spec.shape.join(", ")}])`);
    if (entry.dtype !== "F64" && entry.dtype !== "F32") throw fail(`tensor "${name}" has dtype ${entry.dtype}; shapegrad reads F64 and F32`);
    if (entry.shape.length !== spec.shape.length || entry.shape.some((n, i) => n !== spec.shape[i])) {
      throw fail(`tensor "${name}" has shape [${entry.shape.join(", ")}], the model needs [${spec.shape.join(", ")}]`);
    }
  }
}
