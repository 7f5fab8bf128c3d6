/**
 * What a caller expects a model file to hold, and the network that a load fills. Every loader
 * (`modelFromJSON`, `modelFromSafetensors`, `modelFromOnnx`, `modelFromTfjs`, `loadModel`,
 * `loadCheckpoint`) takes the same second argument, which also types its result:
 *
 * - the layer sizes of a dense network, `[784, 128, 10]`: an `Mlp<[784, 128, 10]>`;
 * - the layer list, the arguments of `sequential` as an array,
 *   `[input(1, 28, 28), conv2d(8, 5), relu(), maxPool2d(2), flatten(), dense(10), softmax()]`:
 *   exactly the `Network` that `sequential(...)` of those layers is (the compiler checks the list as
 *   it checks `sequential`'s arguments);
 * - `"any"`: whatever the file holds, as a `Network` whose shapes are known at run time;
 * - nothing: whatever dense network the file holds, as an `Mlp<number[]>` (a file holding other
 *   layer kinds is refused, naming them).
 *
 * The network is built from the expectation first (all zeros), the file's architecture is compared
 * with it, and only then are the numbers copied in: a file that does not match is a
 * ModelFormatError and no half-loaded network is ever returned.
 *
 * Element types: the result is `options.dtype` (default "float64"). shapegrad's own files record
 * the network's dtype; loading one as the other dtype needs `convert: true`. Files of other engines
 * record only their tensors' element types: float32 numbers widen exactly into a float64 network,
 * while float64 numbers are rounded into a float32 one only with `convert: true`.
 */
import type { Shape } from "../shape/dims.js";
import type { DType } from "../shape/matrix.js";
import type { AnyLayer } from "../nn/layer.js";
import type { ActivationName, LayerActivation } from "../nn/activations/index.js";
import { activationNames, isLayerActivation } from "../nn/activations/index.js";
import { isLossName, type LossName } from "../nn/losses/index.js";
import type { AnyNetwork, Mlp, Network, Plain, SizesArg } from "../nn/network.js";
import type { CheckLayers } from "../nn/flow.js";
import type { NetworkFrom } from "../nn/sequential.js";
import type { LayerArg } from "../nn/sequential.js";
import { sequentialWith } from "../nn/sequential.js";
import type { Architecture } from "./architecture.js";
import { buildArchitecture, compareArchitectures, denseArchitecture, denseSizes, describeLayerText, describeNetwork, zeroSource } from "./architecture.js";
import type { Fail } from "./errors.js";

/** Options of every loader. */
export interface LoadOptions<D extends DType = "float64"> {
  /** Element type of the network returned (default "float64"). */
  readonly dtype?: D;
  /**
   * Convert a model of the other element type: a shapegrad file recorded as float32 into a
   * float64 network (exact), or float64 numbers into a float32 network (each rounded to the
   * nearest float32). Without it, such a file is a ModelFormatError saying how to load it.
   */
  readonly convert?: boolean;
}

/** Options of `modelFromSafetensors` / `loadModel`: for a file without shapegrad metadata (e.g. a PyTorch state_dict) loaded by its sizes. */
export interface SafetensorsOptions<D extends DType = "float64"> extends LoadOptions<D> {
  /** Activation of the hidden layers of a file without shapegrad metadata (default "relu"). */
  readonly hidden?: ActivationName;
  /** Activation of its output layer (default "softmax"). */
  readonly output?: LayerActivation;
  /** Its objective (default "crossEntropy" with a softmax output, else "meanSquaredError"). */
  readonly loss?: LossName;
}

/**
 * What a loader returns for `"any"`: a network whose layer kinds and sizes are known at run time
 * only (every size `Dyn`, as `mlp(sizes: number[])` gives; inputs are `widen`ed matrices).
 * `sizes` and `shapes` are stated here rather than computed from the layer list, whose
 * element-count arithmetic needs literal shapes.
 */
export type RuntimeNetwork<D extends DType = "float64"> =
  Omit<Network<readonly AnyLayer[], D>, "sizes" | "shapes"> & { readonly sizes: readonly number[]; readonly shapes: readonly Shape[] };

/** The kinds of second argument a loader takes: sizes, a layer list, or "any". */
export type ExpectedKind = readonly number[] | readonly [LayerArg, ...LayerArg[]] | "any";

/**
 * A loader's second argument as the compiler checks it, in one signature (overloads would report
 * a bad size as "No overload matches this call", hiding the ShapeError): sizes are checked like
 * mlp's (`[784, 0, 10]` puts a ShapeError at the 0), a layer list like sequential's arguments.
 */
export type ExpectedArg<E, Op extends string> = [E] extends ["any"] ? E
  : [E] extends [readonly number[]] ? SizesArg<E, Op>
  : [E] extends [readonly [LayerArg, ...LayerArg[]]] ? E & CheckLayers<E> : never;

/** The options of a safetensors load: a file read by its sizes may say its activations (a PyTorch state_dict has none). */
export type SafetensorsOptionsFor<E, D extends DType> = [E] extends [readonly number[]] ? SafetensorsOptions<D> : LoadOptions<D>;

/** What a load returns: `Loaded<[784, 128, 10], "float64">` is `Mlp<[784, 128, 10]>`; a layer list gives its sequential network; "any" a RuntimeNetwork. */
export type Loaded<E, D extends DType> = [E] extends ["any"] ? RuntimeNetwork<D>
  : [E] extends [readonly number[]] ? Mlp<Plain<E>, D>
  : [E] extends [readonly [LayerArg, ...LayerArg[]]] ? NetworkFrom<E, D> : never;

/** The second argument of every loader, as it arrives at run time. */
export type Expected = readonly number[] | readonly LayerArg[] | "any" | undefined;

/** The checked options. */
export interface Settings {
  readonly dtype: DType;
  readonly convert: boolean;
}

/** Checks the options object of a loader (plain-JavaScript callers), with the defaults filled in. */
export function loadSettings(op: string, options: unknown): Settings & { readonly hidden?: ActivationName; readonly output?: LayerActivation; readonly loss?: LossName } {
  if (options === undefined) return { dtype: "float64", convert: false };
  if (typeof options !== "object" || options === null) throw new TypeError(`${op} expects an options object, got ${options === null ? "null" : typeof options}`);
  const o = options as Record<string, unknown>;
  const known = ["dtype", "convert", "hidden", "output", "loss"];
  const unknown = Object.keys(o).filter((k) => !known.includes(k) && o[k] !== undefined);
  if (unknown.length > 0) throw new TypeError(`${op} does not know the option ${unknown.map((k) => JSON.stringify(k)).join(", ")} (it takes ${known.join(", ")})`);
  if (o.dtype !== undefined && o.dtype !== "float64" && o.dtype !== "float32") throw new TypeError(`${op} expects dtype "float64" or "float32", got ${JSON.stringify(o.dtype)}`);
  if (o.convert !== undefined && typeof o.convert !== "boolean") throw new TypeError(`${op} expects convert true or false, got ${JSON.stringify(o.convert)}`);
  if (o.hidden !== undefined && !(activationNames as readonly unknown[]).includes(o.hidden)) throw new TypeError(`${op} expects hidden relu, sigmoid, tanh or identity, got ${JSON.stringify(o.hidden)}`);
  if (o.output !== undefined && !isLayerActivation(o.output)) throw new TypeError(`${op} expects output an activation, got ${JSON.stringify(o.output)}`);
  if (o.loss !== undefined && !isLossName(o.loss)) throw new TypeError(`${op} expects loss crossEntropy or meanSquaredError, got ${JSON.stringify(o.loss)}`);
  return {
    dtype: o.dtype ?? "float64", convert: o.convert ?? false,
    ...(o.hidden !== undefined ? { hidden: o.hidden as ActivationName } : {}),
    ...(o.output !== undefined ? { output: o.output as LayerActivation } : {}),
    ...(o.loss !== undefined ? { loss: o.loss as LossName } : {}),
  };
}

function isSizes(v: unknown): v is readonly number[] {
  return Array.isArray(v) && v.length > 0 && v.every((n) => typeof n === "number");
}

function isLayerList(v: unknown): v is readonly [LayerArg, ...LayerArg[]] {
  return Array.isArray(v) && v.length > 0 && v.every((l) => typeof l === "object" && l !== null && typeof (l as { kind?: unknown }).kind === "string");
}

/** What a loader knows of a file before it builds anything. */
export interface FileFacts {
  /** The file's architecture, or undefined when it records none (a PyTorch state_dict). */
  readonly architecture: Architecture | undefined;
  /** True for shapegrad's own files, which record the network's element type (see the file comment). */
  readonly recordsDType: boolean;
}

/**
 * The (all-zero) network a load fills, built from what the caller expects and checked against
 * what the file holds; throws `fail` (a ModelFormatError) when the file does not match, and a
 * TypeError for an expectation that is none of the four forms.
 */
export function targetNetwork(op: string, file: FileFacts, expected: unknown, options: unknown, fail: Fail): { net: AnyNetwork; settings: Settings } {
  const s = loadSettings(op, options);
  const settings: Settings = { dtype: s.dtype, convert: s.convert };
  const arch = file.architecture;
  const foreign = s.hidden !== undefined || s.output !== undefined || s.loss !== undefined;
  if (foreign && !isSizes(expected)) throw new TypeError(`${op}: the options hidden, output and loss go with layer sizes; a layer list states its own activations`);
  if (arch !== undefined && file.recordsDType && arch.dtype !== s.dtype && !s.convert) {
    throw fail(`the file holds a ${arch.dtype} network; load it with { dtype: "${arch.dtype}" }, or pass { dtype: "${s.dtype}", convert: true } to convert it${s.dtype === "float32" ? " (rounding each number to float32)" : ""}`);
  }
  if (isSizes(expected)) return { net: denseTarget(op, arch, expected, s, fail), settings };
  if (isLayerList(expected)) {
    // sequentialWith checks the list as `sequential` does (a wrong list is the caller's error, thrown as it is).
    const net = sequentialWith({ dtype: s.dtype, rng: zeroSource }, expected);
    if (arch !== undefined) compareArchitectures(arch, describeNetwork(op, net), "as the layer list says", fail);
    return { net, settings };
  }
  if (expected !== undefined && expected !== "any") {
    throw new TypeError(`${op} expects the layer sizes ([784, 128, 10]), the layer list ([input(1, 28, 28), conv2d(8, 5), relu(), ...]) or "any", got ${describeValue(expected)}`);
  }
  if (arch === undefined) throw fail("the file records no architecture: pass the layer sizes ([784, 128, 10]) or the layer list ([input(1, 28, 28), conv2d(8, 5), relu(), ...])");
  if (expected === "any") return { net: buildArchitecture(arch, s.dtype, fail), settings };
  const dense = denseSizes(arch, fail);
  if ("notDense" in dense) {
    throw fail(`the file holds a network with layer ${dense.at} ${describeLayerText(dense.notDense)}, which an Mlp cannot hold: pass its layer list ([input(...), conv2d(...), ...]) or "any"`);
  }
  return { net: buildArchitecture(denseArchitecture(dense.sizes, dense.activations, arch.loss, s.dtype), s.dtype, fail), settings };
}

/** The dense network of the expected sizes: as the file says (activations, loss), or for a file without architecture, from the options. */
function denseTarget(op: string, arch: Architecture | undefined, sizes: readonly number[], s: ReturnType<typeof loadSettings>, fail: Fail): AnyNetwork {
  if (sizes.length < 2 || !sizes.every((n) => Number.isSafeInteger(n) && n >= 1)) {
    throw new RangeError(`${op} expects sizes to be at least two whole numbers of 1 or more, got ${JSON.stringify(sizes)}`);
  }
  if (arch === undefined) {
    const output = s.output ?? "softmax";
    const activations: LayerActivation[] = sizes.slice(2).map(() => s.hidden ?? "relu");
    activations.push(output);
    const loss = s.loss ?? (output === "softmax" ? "crossEntropy" : "meanSquaredError");
    return buildArchitecture(denseArchitecture(sizes, activations, loss, s.dtype), s.dtype, fail);
  }
  const dense = denseSizes(arch, fail);
  if ("notDense" in dense) {
    throw fail(`expects a dense network of sizes [${sizes.join(", ")}], the file holds layer ${dense.at} ${describeLayerText(dense.notDense)}: pass its layer list ([input(...), conv2d(...), ...]) or "any"`);
  }
  if (dense.sizes.length !== sizes.length || dense.sizes.some((n, i) => n !== sizes[i])) {
    throw fail(`expects a model of sizes [${sizes.join(", ")}], the file holds [${dense.sizes.join(", ")}]`);
  }
  return buildArchitecture(denseArchitecture(sizes, dense.activations, arch.loss, s.dtype), s.dtype, fail);
}

function describeValue(v: unknown): string {
  if (Array.isArray(v)) return v.length === 0 ? "an empty list" : `a list of ${v.map((x) => (x === null ? "null" : typeof x)).join(", ")}`;
  return v === null ? "null" : typeof v === "string" ? JSON.stringify(v) : typeof v;
}
