/**
 * What a layer kind is, on the type level and at run time. Each kind lives in one file of
 * `layers/` and provides both halves side by side:
 *
 * - its SPEC, the value a user writes in `sequential(...)` (`conv2d(8, 5)` is a `Conv2d<8, 5, 5, ...>`),
 *   which carries its SHAPE LAW as a type-level function: given the shape of one input example it
 *   computes the output shape and the weight matrix's shape, or the text of a ShapeError;
 * - its RUN-TIME KIND: the same law as a function (throwing the same text), and the forward and
 *   backward passes.
 *
 * The engine and `sequential` never ask which kind a layer is: they apply its law and call its
 * functions, so a new layer kind is one new file plus an entry in `layers/index.ts`.
 *
 * Shape laws are "type lambdas": an interface whose `output` reads `this["input"]`. Applying one is
 * intersecting it with the input and reading `output` back (see `ApplyLaw`); this is how TypeScript
 * passes a generic type around without higher-kinded types.
 */
import type { Shape } from "../shape/dims.js";
import type { DType, Matrix, MatrixLike } from "../shape/matrix.js";
import type { Dyn } from "../shape/dims.js";
import type { AddBiasThenF, LayerActivation } from "./activations/index.js";

/** The key under which a spec carries its shape law (type-only). */
export declare const shapeLaw: unique symbol;

/**
 * A shape law: `input` is the shape of one example coming in ("none" when the layer is first),
 * `at` the layer's position in `sequential` (from 1) and `prev` the position of the layer that
 * produced the input. `output` is `[outputShape, weightShape | null]` (a weight shape is
 * `[rows, cols]`), or the text of a ShapeError.
 */
export interface ShapeLaw {
  /** `unknown` here so that intersecting with the actual input leaves exactly that input. */
  readonly input: unknown;
  readonly at: number;
  readonly prev: number;
  readonly output: unknown;
}

/** `ApplyLaw<Spec, [1, 28, 28], 2, 1>`: the spec's law applied to an input shape. */
export type ApplyLaw<Spec, In, At extends number, Prev extends number> =
  Spec extends { readonly [shapeLaw]?: infer F } ? Read<NonNullable<F>, In, At, Prev> : "sequential expects a layer";
type Read<F, In, At extends number, Prev extends number> =
  F extends ShapeLaw ? (F & { readonly input: In; readonly at: At; readonly prev: Prev })["output"] : "sequential expects a layer";

/** What every spec has: its kind's name (the engine finds the run-time kind by it once, at build time). */
export interface LayerSpec {
  readonly kind: string;
}

/**
 * A layer of a built network, one per layer l of the notes (an activation belongs to the layer
 * before it): `Layer<"conv2d", [1, 28, 28], [8, 24, 24], [8, 25]>` turns a 1x28x28 example into
 * 8x24x24 with an 8 x 25 weight matrix; `W` is `null` for a layer without weights (pooling,
 * flatten). At run time it also holds the spec it was built from and its activation f.
 */
export interface Layer<Kind extends string, In extends Shape, Out extends Shape, W extends readonly [number, number] | null> {
  readonly kind: Kind;
  readonly inputShape: In;
  readonly outputShape: Out;
  readonly weightShape: W;
  /** f of this layer: a^l = f(z^l) ("identity" for layers without weights). */
  readonly activation: LayerActivation;
  readonly spec: LayerSpec;
}

/** Any built layer. */
export type AnyLayer = Layer<string, Shape, Shape, readonly [number, number] | null>;

/** The forward and backward pass of one layer at run time, for a batch of B columns. */
export interface LayerBuffers {
  /** a^(l-1): the input, (size of l-1) x B. */
  readonly input: MatrixLike;
  /** z^l: the weighted input (or the output of a layer without weights), (size of l) x B. */
  readonly z: MatrixLike;
  /** a^l = f(z^l). */
  readonly a: MatrixLike;
  readonly batch: number;
  /** The kind's own scratch memory for this batch size (see `LayerKind.scratch`). */
  readonly scratch: Scratch;
}

/** Scratch buffers a kind asks for per batch size (e.g. im2col's unfolded input, max-pool's argmax). */
export interface Scratch {
  readonly values: Float64Array | Float32Array;
  readonly indices: Int32Array;
}

/** The run-time half of a layer kind. */
export interface LayerKind {
  readonly kind: string;
  /**
   * The run-time twin of the spec's shape law: the output shape and weight shape for an input
   * shape, or a thrown ShapeError with the same text. `input` is null for the first layer.
   */
  resolve(spec: LayerSpec, input: Shape | null, at: number, prev: number): { readonly output: Shape; readonly weights: readonly [number, number] | null };
  /** Numbers of inputs and outputs each weight connects (for He and Glorot initialisation). */
  fans(layer: AnyLayer): readonly [fanIn: number, fanOut: number];
  /** Scratch sizes for a batch of `batch` examples: [values, indices]. */
  scratch(layer: AnyLayer, batch: number): readonly [values: number, indices: number];
  /**
   * z^l from a^(l-1) (and W^l, b^l when the layer has weights). When `addBiasThenF` is given (the
   * activation's fused pass), the kind may use it to add the bias and write a^l = f(z^l) in one
   * pass. Returns true when it wrote a^l (then the engine does not apply f).
   */
  forward(layer: AnyLayer, weights: MatrixLike | null, bias: MatrixLike | null, buffers: LayerBuffers, addBiasThenF: AddBiasThenF | null): boolean;
  /**
   * From delta^l = dE/dz^l: dE/dW^l and dE/db^l (means over the batch) into `gradients`, and, when
   * `deltaPrevious` is given, (dz^l / da^(l-1))^T delta^l into it (the engine then multiplies by
   * f'(z^(l-1)), completing the notes' delta^(l-1)).
   */
  backward(
    layer: AnyLayer, weights: MatrixLike | null, buffers: LayerBuffers, delta: MatrixLike,
    gradients: { readonly weights: MatrixLike; readonly bias: MatrixLike } | null, deltaPrevious: MatrixLike | null,
  ): void;
}

/** A weight matrix of a built layer, typed from its weight shape (`null` for a layer without weights). */
export type WeightOf<W, D extends DType> = W extends readonly [infer R extends number, infer C extends number] ? Matrix<R, C, D> : null;
/** The bias of a built layer: one per output row of W (a column), or `null`. */
export type BiasOf<W, D extends DType> = W extends readonly [infer R extends number, number] ? Matrix<R, 1, D> : null;

/** A shape printed for tables and messages: `[16, 6, 6]` as "16x6x6". */
export function formatShape(shape: Shape): string {
  return shape.map((n) => String(n)).join("x");
}

/** The values in one example of a shape: `size([16, 6, 6])` is 576. */
export function shapeSize(shape: Shape): number {
  return shape.reduce((p, n) => p * n, 1);
}

export type { Dyn };
