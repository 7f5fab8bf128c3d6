/**
 * `flatten()`: an image [C, H, W] as a flat vector of C*H*W values. Examples are already stored as
 * flat columns (row-major), so the values do not change: a^l = a^(l-1) and, going back,
 * dE/da^(l-1) = delta^l (each a copy of one buffer).
 */
import type { Mul, Product } from "../../shape/arithmetic.js";
import type { DType, Matrix } from "../../shape/matrix.js";
import { flatten as flattenMatrix } from "../../ops/reshape.js";
import type { OutArg } from "../../ops/out.js";
import type { Shape } from "../../shape/dims.js";
import type { NeedsInputMessage } from "../../shape/errors.js";
import { ShapeError, needsInputMessage } from "../../shape/errors.js";
import type { LayerKind, LayerSpec, ShapeLaw, shapeLaw } from "../layer.js";
import { shapeSize } from "../layer.js";

/** The flatten layer. */
export interface Flatten extends LayerSpec {
  readonly kind: "flatten";
  /** Type-only: the shape law below. */
  readonly [shapeLaw]?: FlattenLaw;
}

/** The law: every shape S gives [Product<S>] (`[16, 6, 6]` gives `[576]`), no weights. */
interface FlattenLaw extends ShapeLaw {
  readonly output: this["input"] extends infer S extends Shape ? [[Product<S>], null] : NeedsInputMessage<this["at"], "flatten">;
}

/** `flatten()`: a flatten layer (for `sequential`). `flatten(m)`: a matrix's rows one after another as a column, R x C -> (R*C) x 1. */
export function flatten(): Flatten;
export function flatten<R extends number, C extends number, D extends DType = "float64", R3 extends number = Mul<R, C>, C3 extends number = 1, D3 extends DType = D>(
  m: Matrix<R, C, D>, out?: OutArg<"flatten", Mul<R, C>, 1, D, R3, C3, D3>,
): Matrix<Mul<R, C>, 1, D>;
export function flatten(m?: unknown, out?: unknown): unknown {
  // flattenMatrix checks m and out at run time, as every op does.
  return m === undefined ? { kind: "flatten" } : flattenMatrix(m as Matrix<number, number>, out as undefined);
}

export const flattenKind: LayerKind = {
  kind: "flatten",
  resolve(_spec, input: Shape | null, at) {
    if (input === null) throw new ShapeError(needsInputMessage(at, "flatten"));
    return { output: [shapeSize(input)], weights: null };
  },
  fans: () => [1, 1],
  scratch: () => [0, 0],
  forward(_layer, _w, _b, { input, a }) {
    a.data.set(input.data); // a^l = a^(l-1), the same values in the same order
    return true;
  },
  backward(_layer, _w, _buffers, delta, _gradients, deltaPrevious) {
    deltaPrevious?.data.set(delta.data); // dE/da^(l-1) = delta^l
  },
};
