/**
 * Type-level layout of a network, computed with mapped tuples (no recursion, so a 500-layer
 * definition type-checks without TS2589).
 *
 * For a fully connected network the layout follows from its sizes, input first: `[784, 128, 10]`.
 * Every network (convolutional ones too) has `sizes`: the number of values in each a^l, which is all
 * the activations' and deltas' types need. Index convention, as in the notes: sizes[0] is the input,
 * sizes[l] the size of layer l (l = 1..L); `a[l]` is a^l (a[0] = x) and `z[l]` is z^l (z[0] is null).
 */
import type { Dyn } from "../shape/dims.js";
import type { DType, Matrix } from "../shape/matrix.js";

/** A list of layer sizes, input first: `[784, 128, 10]`. */
export type Sizes = readonly number[];

/** `LayerOutputs<[784, 128, 10]>` is `[128, 10]`: the size of each layer l = 1..L. */
export type LayerOutputs<S extends Sizes> = S extends readonly [number, ...infer O extends number[]] ? O : number[];

/** `InputSize<[784, 128, 10]>` is `784`. */
export type InputSize<S extends Sizes> = S extends readonly [infer I extends number, ...number[]] ? I : Dyn;

/** `OutputSize<[784, 128, 10]>` is `10`. */
export type OutputSize<S extends Sizes> = S extends readonly [...number[], infer O extends number] ? O : Dyn;

type WeightsFor<S extends Sizes, O extends Sizes, D extends DType> = { readonly [I in keyof O]: Matrix<O[I], S[I & keyof S] & number, D> };
type BiasesFor<O extends Sizes, D extends DType> = { readonly [I in keyof O]: Matrix<O[I], 1, D> };

/** `WeightsOf<[784, 128, 10]>` is `readonly [Matrix<128, 784>, Matrix<10, 128>]`: W^l is (size of l) x (size of l-1). */
export type WeightsOf<S extends Sizes, D extends DType = "float64"> = WeightsFor<S, LayerOutputs<S>, D>;

/** `BiasesOf<[784, 128, 10]>` is `readonly [Matrix<128, 1>, Matrix<10, 1>]`: b^l is a column. */
export type BiasesOf<S extends Sizes, D extends DType = "float64"> = BiasesFor<LayerOutputs<S>, D>;

/** `ActivationsOf<[784, 128, 10], 64>` is `[Matrix<784, 64>, Matrix<128, 64>, Matrix<10, 64>]`: a^0 = x, then a^1..a^L. */
export type ActivationsOf<S extends Sizes, B extends number, D extends DType = "float64"> = { readonly [I in keyof S]: Matrix<S[I], B, D> };

/** `WeightedSumsOf<[784, 128, 10], 64>` is `[null, Matrix<128, 64>, Matrix<10, 64>]`: z^l = W^l a^(l-1) + b^l. */
export type WeightedSumsOf<S extends Sizes, B extends number, D extends DType = "float64"> =
  { readonly [I in keyof S]: I extends "0" ? null : Matrix<S[I], B, D> };

/** The trainable parameters of a network N, or anything shaped like them (gradients, optimizer state). */
export interface ParamsOf<N extends { readonly weights: unknown; readonly biases: unknown }> {
  readonly weights: N["weights"];
  readonly biases: N["biases"];
}

/** `Params<[784, 128, 10]>`: the parameters of the fully connected network of those sizes. */
export interface Params<S extends Sizes, D extends DType = "float64"> {
  readonly weights: WeightsOf<S, D>;
  readonly biases: BiasesOf<S, D>;
}

/** `Gradients<S>`: dE/dW^l and dE/db^l, typed exactly like the parameters they update. */
export type Gradients<S extends Sizes, D extends DType = "float64"> = Params<S, D>;
