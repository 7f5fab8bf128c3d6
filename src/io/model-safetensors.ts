/**
 * Models as safetensors files: the binary format for models of any size, and the route to PyTorch.
 * `modelToSafetensors(net)` writes each parameter's numbers as they are (F64, or F32 for a float32
 * network) under the names of the equivalent `nn.Sequential` (see tensors.ts; a convolution's
 * weights as a [F, C, KH, KW] tensor), with shapegrad's architecture in `__metadata__`;
 * `modelFromSafetensors(bytes, expected)` checks the whole file before building the network, so a
 * damaged file is a ModelFormatError, never a half-loaded model.
 */
import type { DType } from "../shape/matrix.js";
import type { AnyNetwork, Mlp } from "../nn/network.js";
import type { Architecture } from "./architecture.js";
import { denseArchitecture, describeNetwork, parseDType, parseInput, parseLayers, parseLoss } from "./architecture.js";
import type { Fail } from "./errors.js";
import { ModelFormatError } from "./errors.js";
import type { FileFacts, SafetensorsOptions, Settings, ExpectedArg, ExpectedKind, Loaded, SafetensorsOptionsFor } from "./expected.js";
import { targetNetwork } from "./expected.js";
import { MODEL_FORMAT, MODEL_VERSION } from "./model-json.js";
import type { SafetensorsHeader, TensorEntry, TensorToWrite } from "./safetensors.js";
import { concatChunks, readFloats, readSafetensorsHeader, safetensorsChunks } from "./safetensors.js";
import type { TensorSpec } from "./tensors.js";
import { checkFiniteParameters, firstNonFinite, pytorchModules, tensorData, tensorIndex, tensorLayout } from "./tensors.js";
import { isLayerActivation } from "../nn/activations/index.js";

export type { SafetensorsOptions };

const OP = "modelFromSafetensors";

/**
 * The `__metadata__` of a model file (strings only, as the format requires): format, version,
 * dtype, loss, the input shape and the layers (JSON), and the equivalent PyTorch `nn.Sequential`.
 */
export function modelMetadata(arch: Architecture): Record<string, string> {
  return {
    format: MODEL_FORMAT,
    version: String(MODEL_VERSION),
    dtype: arch.dtype,
    loss: arch.loss,
    input: JSON.stringify(arch.input),
    layers: JSON.stringify(arch.layers),
    pytorch: pytorchModules(arch),
  };
}

/** The tensors of a network, named and shaped as in tensors.ts, in file order. */
export function modelTensors(net: AnyNetwork, prefix = ""): TensorToWrite[] {
  return tensorLayout(describeNetwork("modelToSafetensors", net)).map((spec) => ({ name: prefix + spec.name, shape: spec.shape, data: tensorData(net, spec) }));
}

/**
 * `modelToSafetensors(net)`: the network as the bytes of a `.safetensors` file. Refuses (RangeError
 * naming the tensor and index) a network with a NaN or infinite parameter.
 */
export function modelToSafetensors<N extends AnyNetwork>(net: N): Uint8Array {
  checkFiniteParameters("modelToSafetensors", net);
  return concatChunks(modelChunks(net));
}

/** The file as chunks (views of the parameters on little-endian hosts), for writers that stream. */
export function modelChunks(net: AnyNetwork): Uint8Array[] {
  return safetensorsChunks(modelTensors(net), modelMetadata(describeNetwork("modelToSafetensors", net)));
}

/**
 * `modelFromSafetensors(bytes, [784, 128, 10])`: an `Mlp<[784, 128, 10]>`; with the layer list
 * (`[input(1, 28, 28), conv2d(8, 5), relu(), ...]`) the `Network` that `sequential` of those layers
 * is; with "any", whatever the file holds. A file written by shapegrad carries its architecture,
 * which must match; a file without shapegrad metadata (e.g. PyTorch's `save_file(model.state_dict(),
 * ...)`) needs the sizes (its activations from `options`: default ReLU hidden layers and a softmax
 * output) or the layer list. F32 and F64 tensors are accepted, in any order (see LoadOptions for
 * converting between element types).
 */
export function modelFromSafetensors<const E extends ExpectedKind, D extends DType = "float64">(bytes: Uint8Array, expected: ExpectedArg<E, "modelFromSafetensors">, options?: SafetensorsOptionsFor<E, D>): Loaded<E, D>;
export function modelFromSafetensors(bytes: Uint8Array): Mlp<number[]>;
export function modelFromSafetensors(bytes: Uint8Array, expected?: unknown, options?: SafetensorsOptions<DType>): unknown {
  return readModelSafetensors(OP, bytes, expected, options);
}

/** The loader behind modelFromSafetensors and loadModel (`op` names the operation in messages). */
export function readModelSafetensors(op: string, bytes: unknown, expected: unknown, options: unknown): AnyNetwork {
  const fail: Fail = (m) => new ModelFormatError(m, op);
  const header = readSafetensorsHeader(bytes, fail);
  return modelFromHeader(bytes as Uint8Array, header, fileFacts(header.metadata, fail), expected, options, "", fail);
}

/**
 * Builds the network from a checked header; `prefix` selects the model's tensors in a checkpoint,
 * whose other tensors `ignore` accepts. Returns the network and the settings it was loaded with.
 */
export function modelFromHeader(
  bytes: Uint8Array, header: SafetensorsHeader, facts: FileFacts, expected: unknown, options: unknown, prefix: string,
  fail: Fail, ignore: (name: string) => boolean = () => false, op = OP,
): AnyNetwork {
  const { net, settings } = targetNetwork(op, facts, expected, options, fail);
  // The file's own layout names its tensors; a file without architecture must have the target's.
  const specs = tensorLayout(facts.architecture ?? describeNetwork(op, net), fail);
  checkTensorSet(header, specs, prefix, facts, settings, fail, ignore);
  // The header is fully checked; the numbers are copied into the new network and checked there.
  // On any error the network is dropped, so no half-loaded model is ever returned.
  for (const spec of specs) {
    const data = tensorData(net, spec);
    const entry = header.tensors.get(prefix + spec.name)!;
    readFloats(bytes, entry, data);
    const at = firstNonFinite(data);
    if (at >= 0) {
      const narrowed = entry.dtype === "F64" && data instanceof Float32Array ? " (read as float32: a number beyond float32's range becomes Infinity)" : "";
      throw fail(`tensor "${prefix + spec.name}" holds ${data[at]} at ${tensorIndex(spec.shape, at)}: a model file must hold finite numbers${narrowed}`);
    }
  }
  return net;
}

/** What the metadata says: shapegrad's architecture (version 1 or 2), or nothing for a foreign file. */
export function fileFacts(metadata: Readonly<Record<string, string>> | undefined, fail: Fail): FileFacts {
  if (metadata?.format !== MODEL_FORMAT) return { architecture: undefined, recordsDType: false };
  if (metadata.version === "1") return { architecture: version1(metadata, fail), recordsDType: true };
  if (metadata.version !== "2") throw fail(`unknown version ${JSON.stringify(metadata.version)} (this library reads versions 1 and 2)`);
  const where = (key: string) => `__metadata__ "${key}"`;
  const dtype = parseDType(field(metadata, "dtype", fail), where("dtype"), fail);
  const loss = parseLoss(field(metadata, "loss", fail), ` in ${where("loss")}`, fail);
  const input = parseInput(json(metadata, "input", fail), where("input"), fail);
  const layers = parseLayers(json(metadata, "layers", fail), where("layers"), fail);
  return { architecture: { input, layers, loss, dtype }, recordsDType: true };
}

/** Version 1 metadata (dense networks): sizes, activations, loss, dtype. */
function version1(metadata: Readonly<Record<string, string>>, fail: Fail): Architecture {
  const sizes = json(metadata, "sizes", fail);
  if (!Array.isArray(sizes) || sizes.length < 2 || !sizes.every((n) => Number.isSafeInteger(n) && n >= 1)) {
    throw fail(`expects __metadata__ sizes to be at least two whole numbers of 1 or more, got ${metadata.sizes}`);
  }
  const activations = json(metadata, "activations", fail);
  if (!Array.isArray(activations) || activations.length !== sizes.length - 1) throw fail(`expects ${sizes.length - 1} activations in __metadata__, got ${metadata.activations}`);
  const checked = activations.map((a: unknown, l) => {
    if (!isLayerActivation(a)) throw fail(`unknown activation ${JSON.stringify(a)} in layer ${l + 1}`);
    return a;
  });
  const loss = parseLoss(metadata.loss, " in __metadata__", fail);
  const dtype = metadata.dtype === undefined ? "float64" : parseDType(metadata.dtype, '__metadata__ "dtype"', fail);
  return denseArchitecture(sizes, checked, loss, dtype);
}

function field(metadata: Readonly<Record<string, string>>, key: string, fail: Fail): string {
  const text = metadata[key];
  if (text === undefined) throw fail(`__metadata__ has no "${key}"`);
  return text;
}

function json(metadata: Readonly<Record<string, string>>, key: string, fail: Fail): unknown {
  const text = field(metadata, key, fail);
  try {
    return JSON.parse(text);
  } catch {
    throw fail(`__metadata__ "${key}" is not valid JSON: ${JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}...` : text)}`);
  }
}

/** Up to four quoted names, then how many more. */
function names(list: readonly string[]): string {
  const shown = list.slice(0, 4).map((k) => JSON.stringify(k)).join(", ");
  return list.length > 4 ? `${shown} and ${list.length - 4} more` : shown;
}

/**
 * The file must hold exactly the layout's tensors (any order), each a float tensor of the layout's
 * shape, of the element type the file records (shapegrad's files), and not wider than the network
 * unless converting (other files).
 */
function checkTensorSet(
  header: SafetensorsHeader, specs: readonly TensorSpec[], prefix: string, facts: FileFacts, settings: Settings, fail: Fail, ignore: (name: string) => boolean,
): void {
  const wanted = new Set(specs.map((s) => prefix + s.name));
  const extra = [...header.tensors.keys()].filter((k) => !wanted.has(k) && !ignore(k));
  if (extra.length > 0) throw fail(`unexpected tensor ${names(extra)} (the model's tensors are ${names([...wanted])})`);
  for (const spec of specs) {
    const name = prefix + spec.name;
    const entry = header.tensors.get(name);
    if (entry === undefined) throw fail(`missing tensor "${name}" (${spec.kind} of layer ${spec.layer + 1}, shape [${spec.shape.join(", ")}])`);
    checkEntry(entry, spec.shape, facts, settings, fail);
  }
}

/** One tensor's element type and shape (also for a checkpoint's optimizer buffers). */
export function checkEntry(entry: TensorEntry, shape: readonly number[], facts: FileFacts, settings: Settings, fail: Fail): void {
  const name = entry.name;
  if (entry.dtype !== "F64" && entry.dtype !== "F32") throw fail(`tensor "${name}" has dtype ${entry.dtype}; shapegrad reads F64 and F32`);
  if (entry.shape.length !== shape.length || entry.shape.some((n, i) => n !== shape[i])) {
    throw fail(`tensor "${name}" has shape [${entry.shape.join(", ")}], the model needs [${shape.join(", ")}]`);
  }
  const recorded = facts.architecture?.dtype;
  if (facts.recordsDType && recorded !== undefined && entry.dtype !== (recorded === "float32" ? "F32" : "F64")) {
    throw fail(`tensor "${name}" has dtype ${entry.dtype}, but the file records a ${recorded} network (${recorded === "float32" ? "F32" : "F64"} tensors)`);
  }
  if (!facts.recordsDType && entry.dtype === "F64" && settings.dtype === "float32" && !settings.convert) {
    throw fail(`tensor "${name}" holds F64 numbers; a float32 network takes them only with { convert: true } (each rounded to float32)`);
  }
}
