/**
 * Max pooling over images [C, H, W]: each channel's PH x PW windows (moving by a stride, default
 * the window size) become their maximum, [C, OH, OW] with OH = floor((H - PH) / SH) + 1. Going
 * back, each delta goes to the input its window's maximum came from.
 */
import type { Shape, SizeArg } from "../../shape/dims.js";
import type { InputKindMessage, NeedsInputMessage, ShowExample } from "../../shape/errors.js";
import { ShapeError, inputKindMessage, needsInputMessage, showExample } from "../../shape/errors.js";
import type { ConvGeometry } from "../../ops/conv.js";
import { maxPool, maxPoolBackward } from "../../ops/conv.js";
import type { AnyLayer, LayerKind, LayerSpec, ShapeLaw, shapeLaw } from "../layer.js";
import { pair } from "./conv2d.js";
import type { First, PairOf, Second, Window } from "./window.js";
import { windowOf } from "./window.js";

/** A PH x PW window moving by SH x SW: `MaxPool2d<2, 2, 2, 2>`. */
export interface MaxPool2d<PH extends number, PW extends number, SH extends number, SW extends number> extends LayerSpec {
  readonly kind: "maxPool2d";
  readonly size: readonly [PH, PW];
  readonly stride: readonly [SH, SW];
  /** Type-only: the shape law below. */
  readonly [shapeLaw]?: MaxPool2dLaw<PH, PW, SH, SW>;
}

const IMAGE = "an image input [channels, height, width]";

/** The law: [C, H, W] gives [C, OH, OW], no weights. */
interface MaxPool2dLaw<PH extends number, PW extends number, SH extends number, SW extends number> extends ShapeLaw {
  readonly output: this["input"] extends "none" ? NeedsInputMessage<this["at"], "maxPool2d">
    : this["input"] extends readonly [infer C extends number, infer H extends number, infer W extends number]
      ? Window<H, W, PH, PW, SH, SW, "valid", this["at"], "maxPool2d", "window"> extends infer R
        ? R extends readonly [infer OH extends number, infer OW extends number] ? [[C, OH, OW], null] : R
        : never
      : InputKindMessage<this["at"], "maxPool2d", typeof IMAGE, this["prev"], this["input"] extends Shape ? ShowExample<this["input"]> : "Dyn">;
}

/** `maxPool2d(2)`: 2x2 windows, stride 2; `maxPool2d(3, 2)`: 3x3 windows every 2 (overlapping); sizes or [height, width] pairs. */
export function maxPool2d<const K extends number | readonly [number, number], const S extends number | readonly [number, number] = K>(
  size: (K & number & SizeArg<K & number, "maxPool2d">) | PairOf<K, "maxPool2d">, stride?: S & ((S & number & SizeArg<S & number, "maxPool2d">) | PairOf<S, "maxPool2d">), // S & ...: S inferred from a bare S (an optional parameter includes undefined, which defeated inference through the checks)
): MaxPool2d<First<K>, Second<K>, First<S>, Second<S>> {
  const [ph, pw] = pair("maxPool2d", "size", size);
  const [sh, sw] = stride === undefined ? [ph, pw] : pair("maxPool2d", "stride", stride);
  // Checked by pair(); the stride defaults to the size, as S defaults to K.
  return { kind: "maxPool2d", size: [ph as First<K>, pw as Second<K>], stride: [sh as First<S>, sw as Second<S>] };
}

function specOf(spec: LayerSpec): MaxPool2d<number, number, number, number> {
  // Only maxPool2d() (or a checked model file) makes a spec of kind "maxPool2d".
  return spec as MaxPool2d<number, number, number, number>;
}

const geometries = new WeakMap<AnyLayer, ConvGeometry>();

/** The geometry of a built pooling layer, for the kernels; computed once per layer. */
function geometry(layer: AnyLayer): ConvGeometry {
  let g = geometries.get(layer);
  if (g === undefined) {
    const { size, stride } = specOf(layer.spec);
    const [, h, w] = layer.inputShape;
    geometries.set(layer, (g = windowOf(h!, w!, size[0], size[1], stride[0], stride[1], "valid", 0, "maxPool2d", "window")));
  }
  return g;
}

export const maxPool2dKind: LayerKind = {
  kind: "maxPool2d",
  resolve(spec, input: Shape | null, at, prev) {
    const { size, stride } = specOf(spec);
    if (input === null) throw new ShapeError(needsInputMessage(at, "maxPool2d"));
    if (input.length !== 3) throw new ShapeError(inputKindMessage(at, "maxPool2d", IMAGE, prev, showExample(input)));
    const [c, h, w] = input as readonly [number, number, number];
    const g = windowOf(h, w, size[0], size[1], stride[0], stride[1], "valid", at, "maxPool2d", "window");
    return { output: [c, g.outH, g.outW], weights: null };
  },
  fans: () => [1, 1],
  // One argmax index per output value.
  scratch: (layer, batch) => [0, layer.outputShape.reduce((p, n) => p * n, 1) * batch],
  forward(layer, _w, _b, { input, a, batch, scratch }) {
    maxPool(input, a, layer.inputShape[0]!, batch, geometry(layer), scratch.indices); // a^l = max over each window
    return true;
  },
  backward(layer, _w, { batch, scratch }, delta, _gradients, deltaPrevious) {
    if (deltaPrevious) maxPoolBackward(delta, deltaPrevious, layer.inputShape[0]!, batch, geometry(layer), scratch.indices);
  },
};
