/**
 * The fully connected layer of the notes: z^l = W^l a^(l-1) + b^l, W^l of shape Out x In.
 * `dense(784, 128)` states both sizes (and the compiler checks the input against the layer before);
 * `dense(10)` takes its input size from the layer before (after `flatten()`, say).
 */
import type { Shape, ShowDim, SizeArg } from "../../shape/dims.js";
import type { Same } from "../../shape/matrix.js";
import { ShapeError, inputKindMessage, needsInputMessage, sequentialMessage, showExample } from "../../shape/errors.js";
import type { InputKindMessage, NeedsInputMessage, SequentialMessage, ShowExample } from "../../shape/errors.js";
import { checkSize } from "../../shape/matrix.js";
import { biasGradient, backpropagate, weightGradient, weightedInput } from "../backprop.js";
import type { AnyLayer, LayerKind, LayerSpec, ShapeLaw, shapeLaw } from "../layer.js";
import { asColumn, asMatrix } from "./matrices.js";

/** A fully connected layer from `In` inputs to `Out` neurons: `dense(784, 128)`. */
export interface Dense<In extends number, Out extends number> extends LayerSpec {
  readonly kind: "dense";
  readonly inputs: In;
  readonly outputs: Out;
  /** Type-only: the shape law below. */
  readonly [shapeLaw]?: DenseLaw<In, Out>;
}

/** A fully connected layer to `Out` neurons taking its input size from the layer before: `dense(10)`. */
export interface DenseTo<Out extends number> extends LayerSpec {
  readonly kind: "dense";
  readonly inputs: "auto";
  readonly outputs: Out;
  /** Type-only: the shape law below. */
  readonly [shapeLaw]?: DenseToLaw<Out>;
}

/** What a dense layer needs coming in: a flat example. Printed in messages. */
const FLAT = "a flat input (put flatten() before it)";

/** The law: a flat input of In numbers gives [Out], with an Out x In weight matrix (first, it declares its input). */
interface DenseLaw<In extends number, Out extends number> extends ShapeLaw {
  readonly output: this["input"] extends "none" ? [[Out], [Out, In]]
    : this["input"] extends readonly [infer N] ? Same<N, In, [[Out], [Out, In]], SequentialMessage<this["at"], In, this["prev"], N & number>>
    : NotFlat<this["input"], this["at"], this["prev"]>;
}

/** The law of `dense(out)`: a flat input of N numbers gives [Out], with an Out x N weight matrix. */
interface DenseToLaw<Out extends number> extends ShapeLaw {
  readonly output: this["input"] extends "none" ? NeedsInputMessage<this["at"], "dense">
    : this["input"] extends readonly [infer N extends number] ? [[Out], [Out, N]]
    : NotFlat<this["input"], this["at"], this["prev"]>;
}

type NotFlat<Input, At extends number, Prev extends number> =
  InputKindMessage<At, "dense", typeof FLAT, Prev, Input extends Shape ? ShowExample<Input> : ShowDim<number>>;

/** `dense(784, 128)`: a `Dense<784, 128>` layer. */
export function dense<In extends number, Out extends number>(inputs: SizeArg<In, "dense">, outputs: SizeArg<Out, "dense">): Dense<In, Out>;
/** `dense(10)`: a `DenseTo<10>` layer taking its input size from the layer before. */
export function dense<Out extends number>(outputs: SizeArg<Out, "dense">): DenseTo<Out>;
export function dense(first: unknown, second?: unknown): Dense<number, number> | DenseTo<number> {
  checkSize("dense", first);
  if (second === undefined) return { kind: "dense", inputs: "auto", outputs: first as number };
  checkSize("dense", second);
  return { kind: "dense", inputs: first as number, outputs: second as number };
}

function specOf(spec: LayerSpec): Dense<number, number> | DenseTo<number> {
  // The engine finds this kind by spec.kind === "dense", which only dense() makes (or a checked file).
  return spec as Dense<number, number> | DenseTo<number>;
}

/** The run-time half: the same law, and the notes' equations for the forward and backward pass. */
export const denseKind: LayerKind = {
  kind: "dense",
  resolve(spec, input: Shape | null, at, prev) {
    const { inputs, outputs } = specOf(spec);
    if (input === null) {
      if (inputs === "auto") throw new ShapeError(needsInputMessage(at, "dense"));
      return { output: [outputs], weights: [outputs, inputs] };
    }
    if (input.length !== 1) throw new ShapeError(inputKindMessage(at, "dense", FLAT, prev, showExample(input)));
    const n = input[0]!;
    if (inputs !== "auto" && inputs !== n) throw new ShapeError(sequentialMessage(at, inputs, prev, n));
    return { output: [outputs], weights: [outputs, n] };
  },
  fans: (layer: AnyLayer) => [layer.weightShape![1], layer.weightShape![0]],
  scratch: () => [0, 0],
  forward(_layer, weights, bias, { input, z, a }, addBiasThenF) {
    const w = asMatrix(weights!), b = asColumn(bias!);
    return weightedInput(w, b, asMatrix(input), asMatrix(z), asMatrix(a), addBiasThenF);
  },
  backward(_layer, weights, { input }, delta, gradients, deltaPrevious) {
    const d = asMatrix(delta);
    weightGradient(d, asMatrix(input), asMatrix(gradients!.weights)); // dE/dW^l = delta^l (a^(l-1))^T
    biasGradient(d, asColumn(gradients!.bias)); //                      dE/db^l = delta^l
    if (deltaPrevious) backpropagate(asMatrix(weights!), d, asMatrix(deltaPrevious)); // (W^l)^T delta^l
  },
};
