/**
 * `sequential(dense(784, 128), relu(), dense(128, 10), softmax())`: a network from composed layers,
 * checked while compiling. A dense layer whose inputs differ from the previous dense layer's
 * outputs makes the call fail with `sequential layer 3 expects 127 inputs but layer 1 outputs 128`.
 * The result is the same `Mlp` as `mlp([784, 128, 10])`, run by the same engine.
 */
import type { SequentialMessage } from "../shape/errors.js";
import { ShapeError } from "../shape/errors.js";
import type { Dense, Layer } from "./layers.js";
import { flattenLayers } from "./layers.js";
import type { Mlp, MlpOptions } from "./network.js";
import { build } from "./network.js";

/**
 * For each layer, what the check needs: `[outputs of the latest dense layer before it, that
 * layer's position, own position]` (positions count from 1, activations included).
 * Tail recursion with an accumulator: fine to about a thousand layers.
 */
type Scan<L extends readonly unknown[], Last extends [number, number] | [] = [], Acc extends unknown[] = []> =
  L extends readonly [infer H, ...infer T]
    ? Scan<T, H extends Dense<number, infer O> ? [O, [...Acc, H]["length"]] : Last, [...Acc, [...Last, [...Acc, H]["length"]]]>
    : Acc;

/** A dense layer X at scan entry P, or a ShapeError when its inputs differ from the previous dense outputs. */
type CheckLayer<X, P> = X extends Dense<infer In, number>
  ? P extends [infer Out extends number, infer Prev extends number, infer Me extends number]
    ? [In] extends [Out]
      ? [Out] extends [In] ? X : ShapeError<SequentialMessage<Me, In, Prev, Out>>
      : ShapeError<SequentialMessage<Me, In, Prev, Out>>
    : X
  : X;

/** `CheckChain<L>`: L with each mis-wired dense layer replaced by its ShapeError. */
export type CheckChain<L extends readonly unknown[], P extends unknown[] = Scan<L>> = { [I in keyof L]: CheckLayer<L[I], P[I & keyof P]> };

/** `SizesOf<[Dense<784, 128>, ActivationLayer<"relu">, Dense<128, 10>]>` is `[784, 128, 10]`. */
export type SizesOf<L extends readonly unknown[], Acc extends number[] = []> = L extends readonly [infer H, ...infer T]
  ? SizesOf<T, H extends Dense<infer I, infer O> ? (Acc extends [] ? [I, O] : [...Acc, O]) : Acc>
  : Acc;

/**
 * A network from layers, weights initialised with seed 0 (He for ReLU layers, Glorot otherwise);
 * `initialize(net, { seed })` draws them again. The last activation decides the loss: softmax means
 * cross-entropy, anything else mean squared error.
 */
export function sequential<const L extends readonly [Dense<number, number>, ...Layer[]]>(...layers: L & CheckChain<L>): Mlp<SizesOf<L>> {
  return sequentialWith<L>({}, layers);
}

/** `sequential` with initialisation options (seed, init). */
export function sequentialWith<const L extends readonly [Dense<number, number>, ...Layer[]]>(
  options: Pick<MlpOptions, "seed" | "rng" | "init">, layers: L & CheckChain<L>,
): Mlp<SizesOf<L>> {
  const { sizes, activations } = flattenLayers(layers);
  const loss = activations[activations.length - 1] === "softmax" ? "crossEntropy" : "meanSquaredError";
  // flattenLayers computed the same list of sizes at run time that SizesOf<L> computes for the types.
  return build(sizes as SizesOf<L>, activations, loss, options);
}
