/**
 * The fully connected layer of the notes: z^l = W^l a^(l-1) + b^l, W^l of shape Out x In.
 * `dense(784, 128)` states both sizes (and the compiler checks the input against the layer before);
 * `dense(10)` takes its input size from the layer before (after `flatten()`, say).
 */
import type { Fits } from "../../shape/matrix.js";
import type { Shape, ShowDim, SizeArg } from "../../shape/dims.js";
import { ShapeError, inputKindMessage, needsInputMessage, sequentialMessage, showExample } from "../../shape/errors.js";
import type { InputKindMessage, NeedsInputMessage, SequentialMessage, ShowExample } from "../../shape/errors.js";
import { checkSize } from "../../shape/matrix.js";
import { biasGradient, backpropagate, weightGradient, weightedInput } from "../backprop.js";
import type { AnyLayer, LayerKind, LayerSpec, ShapeLaw, shapeLaw } from "../layer.js";
import { asColumn, asMatrix } from "./matrices.js";

/** A fully connected layer from `In` inputs (or "auto": the size of the layer before) to `Out` neurons. */
export interface Dense<In extends number | "auto", Out extends number> extends LayerSpec {
  readonly kind: "dense";
  readonly inputs: In;
  readonly outputs: Out;
  /** Type-only: the shape law below. */
  readonly [shapeLaw]?: DenseLaw<In, Out>;
}

/** What a dense layer needs coming in: a flat example. Printed in messages. */
const FLAT = "a flat input (put flatten() before it)";

/** The law: a flat input of In numbers (any number for "auto") gives [Out], with an Out x In weight matrix. */
interface DenseLaw<In extends number | "auto", Out extends number> extends ShapeLaw {
  readonly output: DenseOutput<this["input"], In, Out, this["at"], this["prev"]>;
}
type DenseOutput<Input, In extends number | "auto", Out extends number, At extends number, Prev extends number> =
  Input extends "none"
    ? In extends number ? [[Out], [Out, In]] : NeedsInputMessage<At, "dense">
    : Input extends readonly [infer N extends number]
      ? In extends number ? Fits<In, N, [[Out], [Out, In]], SequentialMessage<At, In, Prev, N>> : [[Out], [Out, N]]
      : InputKindMessage<At, "dense", typeof FLAT, Prev, Input extends Shape ? ShowExample<Input> : ShowDim<number>>;

/** `dense(784, 128)`: a `Dense<784, 128>` layer. */
export function dense<In extends number, Out extends number>(inputs: SizeArg<In, "dense">, outputs: SizeArg<Out, "dense">): Dense<In, Out>;
/** `dense(10)`: a `Dense<"auto", 10>` layer taking its input size from the layer before. */
export function dense<Out extends number>(outputs: SizeArg<Out, "dense">): Dense<"auto", Out>;
export function dense(first: unknown, second?: unknown): Dense<number | "auto", number> {
  checkSize("dense", first);
  if (second === undefined) return { kind: "dense", inputs: "auto", outputs: first as number };
  checkSize("dense", second);
  return { kind: "dense", inputs: first as number, outputs: second as number };
}

function specOf(spec: LayerSpec): Dense<number | "auto", number> {
  // The engine finds this kind by spec.kind === "dense", which only dense() makes (or a checked file).
  return spec as Dense<number | "auto", number>;
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
