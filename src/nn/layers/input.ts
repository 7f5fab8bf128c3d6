/**
 * `input(1, 28, 28)`: the shape of one example, written first in `sequential` so that the layers
 * after it can take their sizes from it (`conv2d(8, 5)`, `dense(10)`). Not a layer of the notes:
 * it only declares a^0. `input(784)` declares a flat example.
 */
import type { Shape, SizeArg } from "../../shape/dims.js";
import type { InputPlaceMessage } from "../../shape/errors.js";
import { ShapeError, inputPlaceMessage } from "../../shape/errors.js";
import { checkSize } from "../../shape/matrix.js";
import type { LayerKind, LayerSpec, ShapeLaw, shapeLaw } from "../layer.js";

/** The shape of one example: `Input<[1, 28, 28]>`. */
export interface Input<S extends Shape> extends LayerSpec {
  readonly kind: "input";
  readonly shape: S;
  /** Type-only: the shape law below. */
  readonly [shapeLaw]?: InputLaw<S>;
}

/** The law: only first, and then the example's shape is S. */
interface InputLaw<S extends Shape> extends ShapeLaw {
  readonly output: this["input"] extends "none" ? [S, null] : InputPlaceMessage<this["at"]>;
}

/** `input(784)`: flat examples of 784 numbers. */
export function input<N extends number>(size: SizeArg<N, "input">): Input<[N]>;
/** `input(1, 28, 28)`: images of 1 channel, 28 rows, 28 columns. */
export function input<C extends number, H extends number, W extends number>(
  channels: SizeArg<C, "input">, height: SizeArg<H, "input">, width: SizeArg<W, "input">,
): Input<[C, H, W]>;
export function input(...sizes: unknown[]): Input<Shape> {
  if (sizes.length !== 1 && sizes.length !== 3) throw new TypeError(`input expects 1 size (features) or 3 (channels, height, width), got ${sizes.length}`);
  sizes.forEach((n) => checkSize("input", n));
  return { kind: "input", shape: sizes as number[] };
}

export const inputKind: LayerKind = {
  kind: "input",
  resolve(spec, before, at) {
    if (before !== null) throw new ShapeError(inputPlaceMessage(at));
    // Only input() makes a spec of kind "input".
    return { output: (spec as Input<Shape>).shape, weights: null };
  },
  fans: () => [1, 1],
  scratch: () => [0, 0],
  forward: () => false,
  backward: () => {},
};
