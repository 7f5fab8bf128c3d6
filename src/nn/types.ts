/**
 * Type-level layout of a network, computed from its layer sizes with mapped tuples (no recursion,
 * so a 200-layer definition type-checks without TS2589).
 *
 * Index convention, as in the notes: sizes[0] is the input, sizes[l] the size of layer l (l = 1..L).
 * `weights[l - 1]` is W^l and `biases[l - 1]` is b^l; a forward pass's `a[l]` is a^l (a[0] = x)
 * and `z[l]` is z^l (z[0] is null: the input has no weighted sum).
 */
import type { Dyn, Size } from "../shape/dims.js";
import type { Matrix } from "../shape/matrix.js";

/** A list of layer sizes, input first: `[784, 128, 10]`. */
export type Sizes = readonly number[];

type Dim<T> = T extends number ? Size<T> : never;

/** `LayerOutputs<[784, 128, 10]>` is `[128, 10]`: the size of each layer l = 1..L. */
export type LayerOutputs<S extends Sizes> = S extends readonly [number, ...infer O extends number[]] ? O : number[];

/** `InputSize<[784, 128, 10]>` is `784`. */
export type InputSize<S extends Sizes> = S extends readonly [infer I extends number, ...number[]] ? Size<I> : Dyn;

/** `OutputSize<[784, 128, 10]>` is `10`. */
export type OutputSize<S extends Sizes> = S extends readonly [...number[], infer O extends number] ? Size<O> : Dyn;

type WeightsFor<S extends Sizes, O extends Sizes> = { -readonly [I in keyof O]: Matrix<Dim<O[I]>, Dim<S[I & keyof S]>> };
type BiasesFor<O extends Sizes> = { -readonly [I in keyof O]: Matrix<Dim<O[I]>, 1> };

/** `WeightsOf<[784, 128, 10]>` is `[Matrix<128, 784>, Matrix<10, 128>]`: W^l is (size of l) x (size of l-1). */
export type WeightsOf<S extends Sizes> = WeightsFor<S, LayerOutputs<S>>;

/** `BiasesOf<[784, 128, 10]>` is `[Matrix<128, 1>, Matrix<10, 1>]`: b^l is a column. */
export type BiasesOf<S extends Sizes> = BiasesFor<LayerOutputs<S>>;

/** `ActivationsOf<[784, 128, 10], 64>` is `[Matrix<784, 64>, Matrix<128, 64>, Matrix<10, 64>]`: a^0 = x, then a^1..a^L. */
export type ActivationsOf<S extends Sizes, B extends number> = { -readonly [I in keyof S]: Matrix<Dim<S[I]>, B> };

/** `WeightedSumsOf<[784, 128, 10], 64>` is `[null, Matrix<128, 64>, Matrix<10, 64>]`: z^l = W^l a^(l-1) + b^l. */
export type WeightedSumsOf<S extends Sizes, B extends number> = { -readonly [I in keyof S]: I extends "0" ? null : Matrix<Dim<S[I]>, B> };

/** The trainable parameters, or anything shaped like them (gradients, optimizer state). */
export interface Params<S extends Sizes> {
  readonly weights: WeightsOf<S>;
  readonly biases: BiasesOf<S>;
}

/** `Gradients<S>`: dE/dW^l and dE/db^l, typed exactly like the parameters they update. */
export type Gradients<S extends Sizes> = Params<S>;
