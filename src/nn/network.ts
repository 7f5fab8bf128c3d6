/**
 * The notes' network: L fully connected layers, z^l = W^l a^(l-1) + b^l and a^l = f(z^l), ReLU in
 * the hidden layers and softmax with cross-entropy at the output (or any activation with mean
 * squared error). `mlp(sizes)` and `sequential(...layers)` both build this one `Mlp` type, so they
 * share one forward/backward engine.
 */
import type { BadSize } from "../shape/dims.js";
import type { SizeMessage } from "../shape/errors.js";
import { ShapeError, shapeMessage } from "../shape/errors.js";
import type { AnyColumn, AnyMatrix } from "../shape/matrix.js";
import { checkSize } from "../shape/matrix.js";
import { widen, zeros } from "../ops/create.js";
import type { Rng } from "../ops/random.js";
import { rng as makeRng } from "../ops/random.js";
import type { ActivationName, LayerActivation } from "./activation.js";
import { activationNames } from "./activation.js";
import type { BiasesOf, Params, Sizes, WeightsOf } from "./types.js";

/** The objective E: softmax with cross-entropy (the notes'), or mean squared error. */
export type LossName = "crossEntropy" | "meanSquaredError";

/**
 * A fully connected network with layer sizes S (input first). `Mlp<[784, 128, 10]>` has
 * `weights: [Matrix<128, 784>, Matrix<10, 128>]` and `biases: [Matrix<128, 1>, Matrix<10, 1>]`.
 */
export interface Mlp<S extends Sizes> extends Params<S> {
  readonly sizes: S;
  /** f of each layer l = 1..L (index l - 1); "softmax" only on the last layer, with crossEntropy. */
  readonly activations: readonly LayerActivation[];
  readonly loss: LossName;
}

/** A network whose sizes are only known at run time (e.g. from a command line). */
export type AnyMlp = Mlp<number[]>;

/** Weight initialisation: He (normal, variance 2 / fan-in, for ReLU), Glorot (uniform), or He for ReLU layers and Glorot elsewhere. */
export type InitName = "he" | "glorot" | "auto";

/** Options of `mlp`. */
export interface MlpOptions {
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
}

/** `CheckSizes<[784, 0, 10]>` marks each size that cannot be a layer size with a ShapeError. */
export type CheckSizes<S extends Sizes> = { [I in keyof S]: BadSize<S[I]> extends true ? ShapeError<SizeMessage<"mlp", S[I]>> : S[I] };

/**
 * `mlp([784, 128, 10], { seed: 1 })`: an `Mlp<[784, 128, 10]>`, He-initialised weights and zero
 * biases. Literal sizes are inferred without `as const`; a `number[]` gives an `Mlp<number[]>`
 * whose matrices are `Dyn`-sized and checked at run time.
 */
export function mlp<const S extends number[]>(sizes: S & CheckSizes<S>, options: MlpOptions = {}): Mlp<S> {
  const list: number[] = sizes;
  if (!Array.isArray(list) || list.length < 2) throw new ShapeError(shapeMessage("mlp", "at least two sizes (inputs and outputs)", `${Array.isArray(list) ? list.length : typeof list}`));
  list.forEach((n) => checkSize("mlp", n));
  const output = options.output ?? "softmax";
  const hidden = options.hidden ?? "relu";
  const activations: LayerActivation[] = list.slice(2).map(() => hidden);
  activations.push(output);
  const loss = options.loss ?? (output === "softmax" ? "crossEntropy" : "meanSquaredError");
  return build<S>(sizes, activations, loss, options);
}

/** Creates the parameters of a network and initialises them. Shared by `mlp` and `sequential`. */
export function build<S extends Sizes>(sizes: S, activations: readonly LayerActivation[], loss: LossName, options: MlpOptions = {}): Mlp<S> {
  validateStructure(sizes, activations, loss);
  const weights: AnyMatrix[] = [];
  const biases: AnyColumn[] = [];
  for (let l = 1; l < sizes.length; l++) {
    weights.push(zeros(sizes[l]!, sizes[l - 1]!));
    biases.push(zeros(sizes[l]!, 1));
  }
  // The arrays hold, in order, one (sizes[l] x sizes[l-1]) weight matrix and one sizes[l] x 1 bias
  // per layer, which is what WeightsOf<S> and BiasesOf<S> spell out; a loop cannot build a tuple type.
  const net: Mlp<S> = {
    sizes,
    weights: weights as unknown as WeightsOf<S>,
    biases: biases as unknown as BiasesOf<S>,
    activations: [...activations],
    loss,
  };
  initialize(net, options);
  return net;
}

function validateStructure(sizes: Sizes, activations: readonly LayerActivation[], loss: LossName): void {
  if (activations.length !== sizes.length - 1) {
    throw new ShapeError(shapeMessage("mlp", `${sizes.length - 1} activations (one per layer)`, `${activations.length}`));
  }
  activations.forEach((f, l) => {
    const last = l === activations.length - 1;
    if (f === "softmax" ? !last : !activationNames.includes(f)) {
      throw new ShapeError(shapeMessage("mlp", `relu, sigmoid, tanh or identity in layer ${l + 1} (softmax only at the output)`, String(f)));
    }
  });
  const out = activations[activations.length - 1];
  if (loss === "crossEntropy" && out !== "softmax") throw new ShapeError(shapeMessage("mlp", "a softmax output for crossEntropy", String(out)));
  if (loss === "meanSquaredError" && out === "softmax") throw new ShapeError(shapeMessage("mlp", "an activation other than softmax for meanSquaredError", "softmax"));
  if (loss !== "crossEntropy" && loss !== "meanSquaredError") throw new ShapeError(shapeMessage("mlp", "loss crossEntropy or meanSquaredError", String(loss)));
}

/** Re-draws every weight (He or Glorot, from a seed) and zeroes every bias, in place. */
export function initialize<S extends Sizes>(net: Mlp<S>, options: Pick<MlpOptions, "seed" | "rng" | "init"> = {}): Mlp<S> {
  const random = options.rng ?? makeRng(options.seed ?? 0);
  const init = options.init ?? "auto";
  if (init !== "he" && init !== "glorot" && init !== "auto") throw new RangeError(`initialize expects init he, glorot or auto, got ${String(init)}`);
  const weights = layerWeights(net), biases = layerBiases(net);
  weights.forEach((w, l) => {
    const fanIn = w.cols, fanOut = w.rows;
    const he = init === "he" || (init === "auto" && net.activations[l] === "relu");
    if (he) {
      const std = Math.sqrt(2 / fanIn);
      for (let i = 0; i < w.data.length; i++) w.data[i] = std * random.normal();
    } else {
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < w.data.length; i++) w.data[i] = (2 * random.next() - 1) * limit;
    }
    biases[l]!.data.fill(0);
  });
  return net;
}

/**
 * The weights as a plain array, for loops over layers. A loop cannot keep each layer's literal
 * shape (a tuple's elements differ), so the engine works on this view and checks shapes at run time;
 * the per-layer algebra it calls is generic and compile-checked (see engine.ts).
 */
export function layerWeights<S extends Sizes>(p: Params<S>): readonly AnyMatrix[] {
  return p.weights as unknown as readonly AnyMatrix[];
}

/** The biases as a plain array (see `layerWeights`). */
export function layerBiases<S extends Sizes>(p: Params<S>): readonly AnyColumn[] {
  return p.biases as unknown as readonly AnyColumn[];
}
