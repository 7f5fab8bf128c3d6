/**
 * A network's architecture as every model file describes it: the shape of one input example, then
 * each layer by kind with its hyperparameters and activation, the loss and the element type. The
 * ONE place that turns a built network into that description (`describeNetwork`), reads it back
 * from untrusted JSON (`parseLayers`), checks that its layers fit together (`shapesOf`, by each
 * layer kind's own run-time law), compares two of them (`compareArchitectures`) and builds an
 * empty network from one (`buildArchitecture`). A new layer kind is a case in `describeLayer`,
 * `parseLayer`, `specOf` and `sameLayer`, and its tensors in tensors.ts.
 */
import type { Shape } from "../shape/dims.js";
import type { DType } from "../shape/matrix.js";
import type { Padding } from "../ops/conv.js";
import { convGeometry } from "../ops/conv.js";
import type { Rng } from "../ops/random.js";
import type { LayerActivation } from "../nn/activations/index.js";
import { isLayerActivation } from "../nn/activations/index.js";
import type { AnyLayer, LayerSpec } from "../nn/layer.js";
import { conv2d } from "../nn/layers/conv2d.js";
import { dense } from "../nn/layers/dense.js";
import { flatten } from "../nn/layers/flatten.js";
import { kindOf } from "../nn/layers/index.js";
import { maxPool2d } from "../nn/layers/max-pool2d.js";
import { isLossName, type LossName } from "../nn/losses/index.js";
import type { AnyNetwork } from "../nn/network.js";
import { buildNetwork } from "../nn/network.js";
import type { Fail } from "./errors.js";
import { messageOf } from "./errors.js";

/** A fully connected layer: W^l is outputs x inputs. */
export interface DenseDescription {
  readonly kind: "dense";
  readonly inputs: number;
  readonly outputs: number;
  readonly activation: LayerActivation;
}

/** A convolution: W^l is filters x (channels * kernel[0] * kernel[1]), PyTorch's Conv2d.weight [F, C, KH, KW] flattened. */
export interface Conv2dDescription {
  readonly kind: "conv2d";
  readonly filters: number;
  readonly kernel: readonly [number, number];
  readonly stride: readonly [number, number];
  readonly padding: Padding;
  readonly activation: LayerActivation;
}

/** Max pooling: windows of size[0] x size[1], moving by stride. */
export interface MaxPool2dDescription {
  readonly kind: "maxPool2d";
  readonly size: readonly [number, number];
  readonly stride: readonly [number, number];
}

/** Flatten: [C, H, W] to [C*H*W], the same numbers in the same order. */
export interface FlattenDescription {
  readonly kind: "flatten";
}

/** One layer as a model file describes it. */
export type LayerDescription = DenseDescription | Conv2dDescription | MaxPool2dDescription | FlattenDescription;

/** A whole network as a model file describes it (without its parameters). */
export interface Architecture {
  /** The shape of one input example: [features], or [channels, height, width]. */
  readonly input: Shape;
  readonly layers: readonly LayerDescription[];
  readonly loss: LossName;
  readonly dtype: DType;
}

/** The layer kinds model files hold. */
export const LAYER_KINDS = ["dense", "conv2d", "maxPool2d", "flatten"] as const;

// ---- from a built network ----

/** The architecture of a built network (its layers' specs, shapes and activations). */
export function describeNetwork(op: string, net: AnyNetwork): Architecture {
  const first = net.layers[0];
  if (first === undefined) throw new TypeError(`${op} expects a network (from mlp or sequential), got one without layers`);
  return { input: [...first.inputShape], layers: net.layers.map((layer, l) => describeLayer(op, layer, l)), loss: net.loss, dtype: net.dtype };
}

function describeLayer(op: string, layer: AnyLayer, l: number): LayerDescription {
  const spec: unknown = layer.spec;
  const w = layer.weightShape;
  if (layer.kind === "dense" && w !== null) return { kind: "dense", inputs: w[1], outputs: w[0], activation: layer.activation };
  if (layer.kind === "conv2d" && isSpec(spec, ["filters", "kernel", "stride", "padding"])) {
    const padding = spec.padding;
    if (padding === "valid" || padding === "same" || typeof padding === "number") {
      return { kind: "conv2d", filters: num(spec.filters), kernel: pair(spec.kernel), stride: pair(spec.stride), padding, activation: layer.activation };
    }
  }
  if (layer.kind === "maxPool2d" && isSpec(spec, ["size", "stride"])) return { kind: "maxPool2d", size: pair(spec.size), stride: pair(spec.stride) };
  if (layer.kind === "flatten") return { kind: "flatten" };
  throw new TypeError(`${op}: layer ${l + 1} is of kind ${JSON.stringify(layer.kind)}, which model files do not hold (they hold ${LAYER_KINDS.join(", ")})`);
}

/** True when `spec` is an object holding every key in `keys` (a spec made by conv2d() or maxPool2d()). */
function isSpec<K extends string>(spec: unknown, keys: readonly K[]): spec is Record<K, unknown> {
  return typeof spec === "object" && spec !== null && keys.every((k) => k in spec);
}
function num(v: unknown): number {
  return typeof v === "number" ? v : NaN; // a spec made by conv2d() holds checked sizes; NaN fails every later check
}
function pair(v: unknown): readonly [number, number] {
  return Array.isArray(v) && v.length === 2 ? [num(v[0]), num(v[1])] : [NaN, NaN];
}

// ---- from untrusted JSON ----

/** The keys of each kind's description (besides "kind"). */
const KEYS: { readonly [K in LayerDescription["kind"]]: readonly string[] } = {
  dense: ["inputs", "outputs", "activation"],
  conv2d: ["filters", "kernel", "stride", "padding", "activation"],
  maxPool2d: ["size", "stride"],
  flatten: [],
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isWhole = (v: unknown, min: number): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= min;

/**
 * The layer list of a file (`where` says where it is, for messages: "layers" or `__metadata__ "layers"`),
 * each entry checked: a known kind, exactly its keys (plus `extra`, e.g. the parameters of a JSON
 * document), whole sizes, a known padding and activation.
 */
export function parseLayers(v: unknown, where: string, fail: Fail, extra: readonly string[] = []): LayerDescription[] {
  if (!Array.isArray(v) || v.length === 0) throw fail(`expects ${where} to be a list of at least one layer, got ${JSON.stringify(v)?.slice(0, 80)}`);
  return v.map((layer, l) => parseLayer(layer, `${where}[${l}]`, fail, extra));
}

function parseLayer(v: unknown, at: string, fail: Fail, extra: readonly string[]): LayerDescription {
  if (!isObject(v)) throw fail(`expects ${at} to be a layer object ({ "kind": ... }), got ${JSON.stringify(v)}`);
  const kind = v.kind;
  if (typeof kind !== "string" || !(LAYER_KINDS as readonly string[]).includes(kind)) {
    throw fail(`unknown layer kind ${JSON.stringify(kind)} at ${at} (model files hold ${LAYER_KINDS.join(", ")})`);
  }
  const k = kind as LayerDescription["kind"];
  const allowed = ["kind", ...KEYS[k], ...(k === "dense" || k === "conv2d" ? extra : [])];
  const unexpected = Object.keys(v).filter((key) => !allowed.includes(key));
  if (unexpected.length > 0) throw fail(`unexpected field ${unexpected.map((u) => JSON.stringify(u)).join(", ")} in ${at} (a ${k} layer has ${KEYS[k].join(", ") || "no other fields"})`);
  for (const key of KEYS[k]) if (!(key in v)) throw fail(`missing field "${key}" in ${at} (a ${k} layer)`);
  const whole = (key: string, min = 1): number => {
    if (!isWhole(v[key], min)) throw fail(`expects ${at}.${key} a whole number of ${min} or more, got ${JSON.stringify(v[key])}`);
    return v[key];
  };
  const twoSizes = (key: string): readonly [number, number] => {
    const p = v[key];
    if (!Array.isArray(p) || p.length !== 2 || !p.every((n) => isWhole(n, 1))) throw fail(`expects ${at}.${key} two whole numbers of 1 or more ([height, width]), got ${JSON.stringify(p)}`);
    return [p[0] as number, p[1] as number]; // checked just above: two whole numbers
  };
  const activation = (): LayerActivation => {
    const a = v.activation;
    if (!isLayerActivation(a)) throw fail(`unknown activation ${JSON.stringify(a)} at ${at}.activation`);
    return a;
  };
  switch (k) {
    case "dense":
      return { kind: k, inputs: whole("inputs"), outputs: whole("outputs"), activation: activation() };
    case "conv2d": {
      const padding = v.padding;
      if (padding !== "valid" && padding !== "same" && !isWhole(padding, 0)) throw fail(`expects ${at}.padding "valid", "same" or a whole number of 0 or more, got ${JSON.stringify(padding)}`);
      return { kind: k, filters: whole("filters"), kernel: twoSizes("kernel"), stride: twoSizes("stride"), padding, activation: activation() };
    }
    case "maxPool2d":
      return { kind: k, size: twoSizes("size"), stride: twoSizes("stride") };
    case "flatten":
      return { kind: k };
  }
}

/** An input shape from a file: [features] or [channels, height, width], whole numbers of 1 or more. */
export function parseInput(v: unknown, where: string, fail: Fail): Shape {
  if (!Array.isArray(v) || (v.length !== 1 && v.length !== 3) || !v.every((n) => isWhole(n, 1))) {
    throw fail(`expects ${where} to be [features] or [channels, height, width] (whole numbers of 1 or more), got ${JSON.stringify(v)}`);
  }
  return v;
}

export function parseLoss(v: unknown, where: string, fail: Fail): LossName {
  if (!isLossName(v)) throw fail(`unknown loss ${JSON.stringify(v)}${where}`);
  return v;
}

export function parseDType(v: unknown, where: string, fail: Fail): DType {
  if (v !== "float64" && v !== "float32") throw fail(`expects ${where} "float64" or "float32", got ${JSON.stringify(v)}`);
  return v;
}

// ---- shapes, specs, building ----

/** The spec `sequential` would take for a layer (made by the library's own constructors, which check every field). */
export function specOf(layer: LayerDescription): LayerSpec {
  switch (layer.kind) {
    case "dense": return dense(layer.inputs, layer.outputs);
    case "conv2d": return conv2d(layer.filters, layer.kernel, { stride: layer.stride, padding: layer.padding });
    case "maxPool2d": return maxPool2d(layer.size, layer.stride);
    case "flatten": return flatten();
  }
}

/** The activation of a layer (identity for the kinds without weights). */
export function activationOf(layer: LayerDescription): LayerActivation {
  return layer.kind === "dense" || layer.kind === "conv2d" ? layer.activation : "identity";
}

/** What flows through the layers: each layer's input shape and weight shape ([rows, cols] of W^l, or null). */
export interface LayerShapes {
  readonly inputs: readonly Shape[];
  readonly weights: readonly (readonly [number, number] | null)[];
  readonly output: Shape;
}

/**
 * Each layer's input shape, by each kind's run-time law (the twin of the compiler's): a layer that
 * does not fit the one before it is `fail` with the law's own message. Nothing is allocated.
 */
export function shapesOf(arch: Pick<Architecture, "input" | "layers">, fail: Fail): LayerShapes {
  const inputs: Shape[] = [], weights: (readonly [number, number] | null)[] = [];
  let shape: Shape = arch.input;
  arch.layers.forEach((layer, l) => {
    inputs.push(shape);
    const resolved = resolveLayer(layer, shape, l, fail);
    shape = resolved.output;
    weights.push(resolved.weights);
  });
  return { inputs, weights, output: shape };
}

/** Layer l's output shape and weight shape for an input of `shape`, by its kind's run-time law; `fail` when it does not fit. */
export function resolveLayer(layer: LayerDescription, shape: Shape, l: number, fail: Fail): { readonly output: Shape; readonly weights: readonly [number, number] | null } {
  try {
    const kind = kindOf(layer.kind);
    if (kind === undefined) throw new TypeError(`unknown layer kind ${JSON.stringify(layer.kind)}`);
    return kind.resolve(specOf(layer), shape, l + 1, l);
  } catch (e) {
    throw fail(`the layers do not fit together: ${messageOf(e)} (layer ${l + 1} is ${describeLayerText(layer)}, taking [${shape.join(", ")}])`);
  }
}

/** Padding in pixels [top, bottom, left, right] of a convolution taking `input` [C, H, W]. */
export function padsOf(layer: Conv2dDescription, input: Shape): readonly [number, number, number, number] {
  const g = convGeometry(input[1]!, input[2]!, layer.kernel[0], layer.kernel[1], layer.stride[0], layer.stride[1], layer.padding);
  return [g.padTop, g.padBottom, g.padLeft, g.padRight];
}

/**
 * A random source that gives 0: a loaded network's initial weights are overwritten by the file's,
 * so drawing them would be wasted (He initialisation of 37 M weights measured 3.7 s; this makes it a fill).
 */
export const zeroSource: Rng = Object.assign(() => 0, {
  next: () => 0, normal: () => 0, int: () => 0, shuffle: <T>(items: T) => items, state: () => ({ sfc32: [0, 0, 0, 0] as const, spare: null }),
});

/** An empty (all-zero) network of this architecture, of element type `dtype`. */
export function buildArchitecture(arch: Architecture, dtype: DType, fail: Fail): AnyNetwork {
  shapesOf(arch, fail); // names the layer that does not fit, before anything is allocated
  try {
    return buildNetwork(arch.layers.map(specOf), arch.layers.map(activationOf), arch.loss, { dtype, rng: zeroSource }, arch.input, undefined, "load");
  } catch (e) {
    throw fail(`the architecture is not one shapegrad builds: ${messageOf(e)}`);
  }
}

// ---- comparing ----

/** A layer as code that would make it: `conv2d(16, [5, 5], { stride: [1, 1], padding: "same" }) + relu`. */
export function describeLayerText(layer: LayerDescription): string {
  const f = (a: LayerActivation) => (a === "identity" ? "" : ` + ${a}`);
  switch (layer.kind) {
    case "dense": return `dense(${layer.inputs}, ${layer.outputs})${f(layer.activation)}`;
    case "conv2d": return `conv2d(${layer.filters}, [${layer.kernel.join(", ")}], { stride: [${layer.stride.join(", ")}], padding: ${JSON.stringify(layer.padding)} })${f(layer.activation)}`;
    case "maxPool2d": return `maxPool2d([${layer.size.join(", ")}], [${layer.stride.join(", ")}])`;
    case "flatten": return "flatten()";
  }
}

/** A layer that computes something, with its position in the file (flattens of a flat shape are not listed). */
interface Significant {
  readonly layer: LayerDescription;
  readonly input: Shape;
  readonly at: number;
}

/**
 * The layers that compute something, and the input they start from: a flatten of an already flat
 * shape changes nothing, and a flatten right after the input only says that the input's
 * [C, H, W] is read as C*H*W numbers (the layout is the same), so both are left out.
 */
export function significantLayers(arch: Pick<Architecture, "input" | "layers">, fail: Fail): { input: Shape; layers: Significant[] } {
  const shapes = shapesOf(arch, fail);
  let input = arch.input;
  const layers: Significant[] = [];
  arch.layers.forEach((layer, l) => {
    const shape = shapes.inputs[l]!;
    if (layer.kind === "flatten" && (shape.length === 1 || layers.length === 0)) {
      if (layers.length === 0) input = [shape.reduce((p, n) => p * n, 1)];
      return;
    }
    layers.push({ layer, input: shape, at: l + 1 });
  });
  return { input, layers };
}

/** True when the two layers compute the same function of their input (a conv's padding compared in pixels). */
function sameLayer(a: Significant, b: Significant): boolean {
  const x = a.layer, y = b.layer;
  if (x.kind !== y.kind || activationOf(x) !== activationOf(y)) return false;
  switch (x.kind) {
    case "dense": return y.kind === "dense" && x.inputs === y.inputs && x.outputs === y.outputs;
    case "conv2d":
      return y.kind === "conv2d" && x.filters === y.filters && same(x.kernel, y.kernel) && same(x.stride, y.stride) && same(padsOf(x, a.input), padsOf(y, b.input));
    case "maxPool2d": return y.kind === "maxPool2d" && same(x.size, y.size) && same(x.stride, y.stride);
    case "flatten": return true;
  }
}
const same = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((n, i) => n === b[i]);

/**
 * Throws `fail` unless the file's architecture computes what `expected` (the caller's layer list)
 * does: the same input shape and the same layers one by one (kinds, sizes, kernels, strides, padding
 * in pixels, activations). `what` names the expectation in messages ("the layer list").
 */
export function compareArchitectures(file: Architecture, expected: Architecture, what: string, fail: Fail): void {
  const f = significantLayers(file, fail), e = significantLayers(expected, fail);
  if (!same(f.input, e.input)) throw fail(`expects an input of shape [${e.input.join(", ")}] (${what}), the file's is [${f.input.join(", ")}]`);
  const n = Math.max(f.layers.length, e.layers.length);
  for (let i = 0; i < n; i++) {
    const a = f.layers[i], b = e.layers[i];
    if (a === undefined || b === undefined) {
      const list = (s: readonly Significant[]) => s.map((x) => x.layer.kind).join(", ");
      throw fail(`expects ${e.layers.length} layers (${what}: ${list(e.layers)}), the file holds ${f.layers.length} (${list(f.layers)})`);
    }
    if (!sameLayer(a, b)) throw fail(`expects layer ${a.at} to be ${describeLayerText(b.layer)} (${what}), the file holds ${describeLayerText(a.layer)}`);
  }
}

/**
 * The sizes of a dense network ([784, 128, 10]) when the architecture is one (flattens of flat
 * shapes, and a flatten of the input, allowed), else the first layer that is not dense.
 */
export function denseSizes(arch: Architecture, fail: Fail): { sizes: number[]; activations: LayerActivation[] } | { notDense: LayerDescription; at: number } {
  const { input, layers } = significantLayers(arch, fail);
  const sizes = [input.reduce((p, n) => p * n, 1)], activations: LayerActivation[] = [];
  for (const { layer, at } of layers) {
    if (layer.kind !== "dense") return { notDense: layer, at };
    sizes.push(layer.outputs);
    activations.push(layer.activation);
  }
  return { sizes, activations };
}

/** The architecture of the dense network of these sizes and activations. */
export function denseArchitecture(sizes: readonly number[], activations: readonly LayerActivation[], loss: LossName, dtype: DType): Architecture {
  return {
    input: [sizes[0]!],
    layers: activations.map((activation, l) => ({ kind: "dense", inputs: sizes[l]!, outputs: sizes[l + 1]!, activation })),
    loss, dtype,
  };
}
