/**
 * Networks: a list of layers (the notes' layers l = 1..L), their parameters W^l and b^l, one
 * activation f per layer and the loss. `mlp(sizes)` builds the notes' fully connected network
 * (typed `Mlp<[784, 128, 10]>`), `sequential(...)` any chain of layers (dense ones give the same
 * `Mlp`, others a `Network<[Layer<"conv2d", ...>, ...]>`); both are run by one engine.
 *
 * Index convention, as in the notes: layer l = 1..L is `layers[l - 1]`; its W^l is `weights[l - 1]`
 * (`null` for a layer without weights), b^l is `biases[l - 1]`; `sizes[l]` is the number of values
 * in a^l (`sizes[0]` the input's) and `shapes[l]` their shape ([C, H, W] for an image).
 */
import type { Product } from "../shape/arithmetic.js";
import type { Dyn, IsUnion, Shape, SizeArg, SizeProblem } from "../shape/dims.js";
import { describe } from "../shape/dims.js";
import type { ShapeMessage, SizesCountMessage } from "../shape/errors.js";
import { ShapeError, shapeMessage, sizesCountMessage } from "../shape/errors.js";
import type { DType, DataOf, Matrix, MatrixLike } from "../shape/matrix.js";
import { checkSize, makeMatrix } from "../shape/matrix.js";
import { longLived, releaseArrays } from "../ops/memory.js";
import { checkDType } from "../ops/create.js";
import type { Rng } from "../ops/random.js";
import { isRng, rng as makeRng } from "../ops/random.js";
import type { ActivationName, LayerActivation } from "./activations/index.js";
import { activationNames, isLayerActivation } from "./activations/index.js";
import type { LossName } from "./losses/index.js";
import { isLossName, losses } from "./losses/index.js";
import type { AnyLayer, BiasOf, Layer, LayerKind, LayerSpec, WeightOf } from "./layer.js";
import { formatShape, shapeSize } from "./layer.js";
import { kindOf } from "./layers/index.js";
import type { BiasesOf, Sizes, WeightsOf } from "./types.js";

export type { LossName };

/**
 * A network built from layers L (each a `Layer<Kind, In, Out, W>`), with parameters of element
 * type D. `Network<[Layer<"conv2d", [1, 28, 28], [8, 24, 24], [8, 25]>, ...]>` has
 * `weights: readonly [Matrix<8, 25>, ...]`. Every tuple is readonly: the optimizers change the
 * matrices' numbers in place, never which matrix stands where.
 */
export interface Network<L extends readonly AnyLayer[], D extends DType = "float64"> {
  readonly layers: L;
  /** sizes[l]: values in a^l, one column per example (sizes[0]: the input's). */
  readonly sizes: SizesOfLayers<L>;
  /** shapes[l]: the shape of one example of a^l. */
  readonly shapes: ShapesOfLayers<L>;
  /** W^l of each layer l (index l - 1), `null` where the layer has none. */
  readonly weights: { readonly [I in keyof L]: WeightOf<L[I]["weightShape"], D> };
  readonly biases: { readonly [I in keyof L]: BiasOf<L[I]["weightShape"], D> };
  /** f of each layer l = 1..L (index l - 1); "softmax" only on the last layer, with crossEntropy. */
  readonly activations: readonly LayerActivation[];
  readonly loss: LossName;
  readonly dtype: D;
}

/** `SizesOfLayers<L>`: the input's size, then each layer's output size (`[784, 4608, ...]`). */
export type SizesOfLayers<L extends readonly AnyLayer[]> =
  readonly [Product<L[0]["inputShape"]>, ...{ [I in keyof L]: Product<L[I]["outputShape"]> }];
/** `ShapesOfLayers<L>`: the input's shape, then each layer's output shape. */
export type ShapesOfLayers<L extends readonly AnyLayer[]> =
  readonly [L[0]["inputShape"], ...{ [I in keyof L]: L[I]["outputShape"] }];

/**
 * The notes' fully connected network with layer sizes S (input first). `Mlp<[784, 128, 10]>` has
 * `weights: readonly [Matrix<128, 784>, Matrix<10, 128>]` and `biases: readonly [Matrix<128, 1>,
 * Matrix<10, 1>]`. The same run-time object as a `Network` of dense layers.
 */
export interface Mlp<S extends Sizes, D extends DType = "float64"> {
  readonly layers: DenseLayers<S>;
  readonly sizes: Readonly<S>;
  readonly shapes: { readonly [I in keyof S]: [S[I]] };
  readonly weights: WeightsOf<S, D>;
  readonly biases: BiasesOf<S, D>;
  readonly activations: readonly LayerActivation[];
  readonly loss: LossName;
  readonly dtype: D;
}

/** `DenseLayers<[784, 128, 10]>`: `[Layer<"dense", [784], [128], [128, 784]>, Layer<"dense", [128], [10], [10, 128]>]`. */
export type DenseLayers<S extends Sizes> = S extends readonly [number, ...infer O extends number[]]
  ? { readonly [I in keyof O]: Layer<"dense", [S[I & keyof S] & number], [O[I]], [O[I], S[I & keyof S] & number]> }
  : readonly Layer<"dense", [Dyn], [Dyn], [Dyn, Dyn]>[];

/** A network whose sizes are only known at run time (e.g. from a command line). */
export type AnyMlp<D extends DType = "float64"> = Mlp<number[], D>;

/**
 * What every network is, whatever its layers: the constraint of the functions that take one
 * (`predict<N extends AnyNetwork>(net: N, ...)`), which read its shapes from N.
 */
export interface AnyNetwork {
  readonly layers: readonly AnyLayer[];
  readonly sizes: Sizes;
  readonly weights: readonly (MatrixLike | null)[];
  readonly biases: readonly (MatrixLike | null)[];
  readonly activations: readonly LayerActivation[];
  readonly loss: LossName;
  readonly dtype: DType;
}

/** Weight initialisation: He (normal, variance 2 / fan-in, for ReLU), Glorot (uniform), or He for ReLU layers and Glorot elsewhere. */
export type InitName = "he" | "glorot" | "auto";

/** Options of `mlp`. */
export interface MlpOptions<D extends DType = DType> {
  /** Seed of the initialisation (default 0); or pass `rng`. */
  readonly seed?: number;
  readonly rng?: Rng;
  /** Activation of the hidden layers (default "relu", as in the notes). */
  readonly hidden?: ActivationName;
  /** Activation of the output layer (default "softmax"). */
  readonly output?: LayerActivation;
  /** Objective (default "crossEntropy" with a softmax output, else "meanSquaredError"). */
  readonly loss?: LossName;
  /** Initialisation (default "auto": He for ReLU layers, Glorot for the others). */
  readonly init?: InitName;
  /** Element type of the parameters and of every buffer (default "float64"). */
  readonly dtype?: D;
}

/**
 * The `sizes` argument of `mlp`: each size checked like a size argument (a whole literal of 1 or
 * more, `number`, or a type parameter), and at least two of them when the list is a literal.
 */
export type SizesArg<S extends Sizes, Op extends string> = S & { readonly [I in keyof S]: SizeArg<S[I], Op> } & CountArg<S, Op>;
/**
 * At least two sizes: a ShapeError for a literal list of 0 or 1, `unknown` for any other length
 * (an indexed access, not a conditional type, so that a list generic in the caller passes: see Reject).
 */
export type CountArg<S extends Sizes, Op extends string> = {
  readonly "0": ShapeError<SizesCountMessage<Op, S["length"]>>;
  readonly "1": ShapeError<SizesCountMessage<Op, S["length"]>>;
  readonly [other: string]: unknown;
}[`${S["length"]}`];

/**
 * The `loss` option of `mlp`, checked against the output activation O (softmax when not given), with
 * the words of the run-time check: cross-entropy needs a softmax output, mean squared error any
 * other (an output that may be softmax, a union with it, is refused for it).
 */
export type LossArg<O extends LayerActivation, L extends LossName> = true extends IsUnion<L> ? ShapeError<ShapeMessage<"mlp", "one loss", "a union of losses">>
  : [L] extends ["crossEntropy"]
  ? [O] extends ["softmax"] ? L : ShapeError<ShapeMessage<"mlp", "a softmax output for crossEntropy", O>>
  : [L] extends ["meanSquaredError"]
    ? "softmax" extends O ? ShapeError<ShapeMessage<"mlp", "an activation other than softmax for meanSquaredError", O>> : L
    : L;

/** `[...S]`: a readonly tuple as the plain tuple type `Mlp` is written with (`readonly [4, 3]` to `[4, 3]`). */
export type Plain<S extends Sizes> = [...S];

/**
 * `mlp([784, 128, 10], { seed: 1 })`: an `Mlp<[784, 128, 10]>`, He-initialised weights and zero
 * biases. Literal sizes are inferred without `as const` (and an `as const` list works too); a
 * `number[]` gives an `Mlp<number[]>` whose matrices are `Dyn`-sized and checked at run time.
 * (The result is `NoInfer`: inside another call, `summary(mlp([784, ...hidden, 10]))`, TypeScript
 * would otherwise infer S from that call's expectation and widen the literal 10 to `number`.)
 */
export function mlp<
  const S extends readonly number[], D extends DType = "float64", O extends LayerActivation = "softmax", L extends LossName = never,
>(
  sizes: S & { readonly [I in keyof S]: SizeArg<S[I], "mlp"> } & CountArg<S, "mlp">,
  options: MlpOptions<D> & { readonly output?: O; readonly loss?: LossArg<O, L> } = {},
): NoInfer<Mlp<Plain<S>, D>> {
  const list: unknown = sizes;
  if (!Array.isArray(list)) throw new TypeError(`mlp expects an array of sizes, got ${describe(list)}`);
  if (list.length < 2) throw new ShapeError(sizesCountMessage("mlp", list.length));
  list.forEach((n) => checkSize("mlp", n));
  checkOptions("mlp", options);
  const output = options.output ?? "softmax";
  const hidden = options.hidden ?? "relu";
  const specs: LayerSpec[] = [];
  const acts: LayerActivation[] = [];
  for (let l = 1; l < list.length; l++) {
    specs.push({ kind: "dense", inputs: list[l - 1], outputs: list[l] } as LayerSpec);
    acts.push(l === list.length - 1 ? output : hidden);
  }
  const loss = options.loss ?? (output === "softmax" ? "crossEntropy" : "meanSquaredError");
  // The layers are dense ones of exactly these sizes, which is what Mlp<S> spells out.
  return buildNetwork(specs, acts, loss, options, null, undefined, "mlp") as unknown as Mlp<Plain<S>, D>;
}

/**
 * The fully connected network of these sizes, activations (one per layer) and loss, initialised
 * (for loaders that read sizes from a file). `mlp` is the typed way to build one.
 */
export function build<S extends Sizes>(sizes: S, activations: readonly LayerActivation[], loss: LossName, options: MlpOptions = {}): Mlp<S> {
  if (!Array.isArray(sizes) || sizes.length < 2) throw new ShapeError(sizesCountMessage("build", Array.isArray(sizes) ? sizes.length : 0));
  sizes.forEach((n) => checkSize("build", n));
  if (!Array.isArray(activations) || activations.length !== sizes.length - 1) {
    throw new ShapeError(shapeMessage("build", `${sizes.length - 1} activations (one per layer)`, describe(activations)));
  }
  const specs = sizes.slice(1).map((n, l) => ({ kind: "dense", inputs: sizes[l], outputs: n }) as LayerSpec);
  // Dense layers of exactly these sizes, which is what Mlp<S> spells out.
  return buildNetwork(specs, activations, loss, options) as unknown as Mlp<S>;
}

/** Throws unless the options of mlp / sequentialWith are what they claim (plain-JavaScript callers). */
function checkOptions(op: string, options: unknown): void {
  if (typeof options !== "object" || options === null) throw new TypeError(`${op} expects an options object, got ${describe(options)}`);
  const o = options as Record<string, unknown>;
  if (o.seed !== undefined && (typeof o.seed !== "number" || !Number.isFinite(o.seed))) throw new TypeError(`${op} expects seed to be a number, got ${describe(o.seed)}`);
  if (o.rng !== undefined && !isRng(o.rng)) throw new TypeError(`${op} expects rng to be an Rng (from rng(seed)), got ${describe(o.rng)}`);
  if (o.hidden !== undefined && !(activationNames as readonly unknown[]).includes(o.hidden)) throw new TypeError(`${op} expects hidden to be relu, sigmoid, tanh or identity, got ${describe(o.hidden)}`);
  if (o.output !== undefined && !isLayerActivation(o.output)) throw new TypeError(`${op} expects output to be an activation, got ${describe(o.output)}`);
  if (o.loss !== undefined && !isLossName(o.loss)) throw new TypeError(`${op} expects loss crossEntropy or meanSquaredError, got ${describe(o.loss)}`);
  if (o.init !== undefined && o.init !== "he" && o.init !== "glorot" && o.init !== "auto") throw new TypeError(`${op} expects init he, glorot or auto, got ${describe(o.init)}`);
  if (o.dtype !== undefined) checkDType(op, o.dtype);
}

/** A built layer at run time: the typed `Layer` fields plus its kind's functions. */
export interface RuntimeLayer extends AnyLayer {
  readonly runtime: LayerKind;
}

/**
 * Builds a network from layer specs (input(...) and activations already separated out): resolves
 * every layer's shapes by its kind's law (a ShapeError naming the position otherwise), creates the
 * parameters and initialises them. `positions[i]` is spec i's position as the user counts it.
 */
export function buildNetwork(
  specs: readonly LayerSpec[], activations: readonly LayerActivation[], loss: LossName,
  options: MlpOptions = {}, inputShape: Shape | null = null, positions?: readonly number[], op = "build",
): AnyNetwork {
  const dtype = checkDType(op, options.dtype ?? "float64");
  if (!isLossName(loss)) throw new ShapeError(shapeMessage(op, "loss crossEntropy or meanSquaredError", describe(loss)));
  const layers: RuntimeLayer[] = [];
  let shape = inputShape, prev = 0;
  specs.forEach((spec, i) => {
    const runtime = kindOf(spec?.kind);
    if (runtime === undefined || spec.kind === "input") throw new ShapeError(shapeMessage("sequential", `a layer at layer ${positions?.[i] ?? i + 1}`, describe(spec)));
    const at = positions?.[i] ?? i + 1;
    const { output, weights } = runtime.resolve(spec, shape, at, prev);
    const first = shape ?? (weights ? [weights[1]] : null);
    if (first === null) throw new ShapeError(shapeMessage("sequential", "an input shape", "none"));
    const activation = activations[i] ?? "identity";
    layers.push({ kind: spec.kind, inputShape: first, outputShape: output, weightShape: weights, activation, spec, runtime });
    shape = output;
    prev = at;
  });
  validateStructure(op, layers, loss);
  const weights = layers.map((l) => (l.weightShape ? matrix(l.weightShape[0], l.weightShape[1], dtype) : null));
  const biases = layers.map((l) => (l.weightShape ? matrix(l.weightShape[0], 1, dtype) : null));
  const sizes = [shapeSize(layers[0]!.inputShape), ...layers.map((l) => shapeSize(l.outputShape))];
  const shapes = [layers[0]!.inputShape, ...layers.map((l) => l.outputShape)];
  const net: AnyNetwork = { layers, sizes, shapes, weights, biases, activations: layers.map((l) => l.activation), loss, dtype } as AnyNetwork;
  initialize(net, options);
  return net;
}

/** A parameter matrix, kept where the kernels read it in place (see ops/memory.ts). */
function matrix(rows: number, cols: number, dtype: DType): Matrix<Dyn, Dyn, DType> {
  return makeMatrix(rows, cols, dtype, longLived(dtype, rows * cols));
}

/** The rules that do not depend on shapes: at least one layer with weights, softmax only last, a loss that fits the output. */
function validateStructure(op: string, layers: readonly AnyLayer[], loss: LossName): void {
  if (layers.length === 0 || !layers.some((l) => l.weightShape)) throw new ShapeError(shapeMessage("sequential", "at least one dense or conv2d layer", "none"));
  layers.forEach((layer, l) => {
    const f = layer.activation;
    if (!isLayerActivation(f)) throw new ShapeError(shapeMessage(op, `an activation in layer ${l + 1}`, describe(f)));
    if (f === "softmax" && l !== layers.length - 1) throw new ShapeError(shapeMessage(op, `relu, sigmoid, tanh or identity in layer ${l + 1} (softmax only at the output)`, "softmax"));
    if (f !== "identity" && !layer.weightShape) throw new ShapeError(shapeMessage(op, `identity in layer ${l + 1} (${layer.kind} has no weights)`, f));
  });
  const out = layers[layers.length - 1]!.activation;
  if (!losses[loss].accepts(out)) {
    throw new ShapeError(loss === "crossEntropy"
      ? shapeMessage(op, "a softmax output for crossEntropy", out)
      : shapeMessage(op, "an activation other than softmax for meanSquaredError", out));
  }
}

/** Re-draws every weight (He or Glorot, from a seed) and zeroes every bias, in place. */
export function initialize<N extends AnyNetwork>(net: N, options: Pick<MlpOptions, "seed" | "rng" | "init"> = {}): N {
  const random = options.rng ?? makeRng(options.seed ?? 0);
  const init = options.init ?? "auto";
  if (init !== "he" && init !== "glorot" && init !== "auto") throw new TypeError(`initialize expects init he, glorot or auto, got ${describe(init)}`);
  net.layers.forEach((layer, l) => {
    const w = net.weights[l], b = net.biases[l];
    if (!w || !b) return;
    const [fanIn, fanOut] = runtimeOf(layer).fans(layer);
    const he = init === "he" || (init === "auto" && layer.activation === "relu");
    if (he) {
      const std = Math.sqrt(2 / fanIn);
      for (let i = 0; i < w.data.length; i++) w.data[i] = std * random.normal();
    } else {
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < w.data.length; i++) w.data[i] = (2 * random.next() - 1) * limit;
    }
    b.data.fill(0);
  });
  return net;
}

/** The run-time kind of a built layer (networks built by this library carry it; a copied one is looked up). */
export function runtimeOf(layer: AnyLayer): LayerKind {
  const own = (layer as Partial<RuntimeLayer>).runtime;
  const kind = own ?? kindOf(layer.kind);
  if (kind === undefined) throw new ShapeError(shapeMessage("network", "layers of a known kind", describe(layer.kind)));
  return kind;
}

/** One line per layer, for messages: `conv2d 1x28x28 -> 8x24x24`. */
export function describeLayer(layer: AnyLayer): string {
  return `${layer.kind} ${formatShape(layer.inputShape)} -> ${formatShape(layer.outputShape)}`;
}


/** The weight matrices of the layers that have them, in order (for loops over parameters). */
export function layerWeights(net: { readonly weights: readonly (MatrixLike | null)[] }): readonly Matrix<Dyn, Dyn, DType>[] {
  // Every non-null entry is a matrix this library made (see buildNetwork).
  return net.weights.filter((w): w is MatrixLike => w !== null) as Matrix<Dyn, Dyn, DType>[];
}

/** The biases of the layers that have them, in order. */
export function layerBiases(net: { readonly biases: readonly (MatrixLike | null)[] }): readonly Matrix<Dyn, 1, DType>[] {
  // As in layerWeights.
  return net.biases.filter((b): b is MatrixLike => b !== null) as Matrix<Dyn, 1, DType>[];
}

/**
 * `dispose(net)`: gives the memory of the network's parameters back at once (the network must not
 * be used afterwards). Only needed by programs that make many networks: a dropped network's memory
 * returns anyway when it is garbage collected, but the collector does not see WebAssembly memory.
 */
export function dispose(net: AnyNetwork): void {
  releaseArrays([...net.weights.map((w) => w?.data), ...net.biases.map((b) => b?.data)]);
}
