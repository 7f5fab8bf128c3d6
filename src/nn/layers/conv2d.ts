/**
 * A 2-D convolution over images [C, H, W]: F filters of C x KH x KW weights slide over the image
 * (by a stride, over an optional zero padding), giving [F, OH, OW] with
 * OH = floor((H + 2P - KH) / SH) + 1 (or ceil(H / SH) with "same" padding), computed by the compiler.
 * Run as im2col plus one matrix product, so it is the notes' z^l = W^l a^(l-1) + b^l with W^l the
 * convolution's F x (C*KH*KW) matrix (see ../../ops/conv.ts and docs/derivation.md).
 */
import type { Mul } from "../../shape/arithmetic.js";
import type { IsUnion, Shape, SizeArg } from "../../shape/dims.js";
import { describe } from "../../shape/dims.js";
import type { InputKindMessage, NeedsInputMessage, PaddingMessage, ShowExample } from "../../shape/errors.js";
import { ShapeError, inputKindMessage, needsInputMessage, paddingMessage, showExample } from "../../shape/errors.js";
import { checkSize } from "../../shape/matrix.js";
import type { ConvGeometry, Padding } from "../../ops/conv.js";
import { convolve, convolveBackward } from "../../ops/conv.js";
import type { AnyLayer, LayerKind, LayerSpec, ShapeLaw, shapeLaw } from "../layer.js";
import type { First, PairOf, Second, Window } from "./window.js";
import { windowOf } from "./window.js";

/** F filters of KH x KW, stride SH x SW, padding P: `Conv2d<8, 5, 5, 1, 1, "valid">`. */
export interface Conv2d<F extends number, KH extends number, KW extends number, SH extends number, SW extends number, P extends Padding> extends LayerSpec {
  readonly kind: "conv2d";
  readonly filters: F;
  readonly kernel: readonly [KH, KW];
  readonly stride: readonly [SH, SW];
  readonly padding: P;
  /** Type-only: the shape law below. */
  readonly [shapeLaw]?: Conv2dLaw<F, KH, KW, SH, SW, P>;
}

/** What a convolution needs coming in. Printed in messages. */
const IMAGE = "an image input [channels, height, width]";

/** The law: [C, H, W] gives [F, OH, OW] with an F x (C*KH*KW) weight matrix. */
interface Conv2dLaw<F extends number, KH extends number, KW extends number, SH extends number, SW extends number, P extends Padding> extends ShapeLaw {
  readonly output: this["input"] extends "none" ? NeedsInputMessage<this["at"], "conv2d">
    : this["input"] extends readonly [infer C extends number, infer H extends number, infer W extends number]
      ? Window<H, W, KH, KW, SH, SW, P, this["at"], "conv2d", "kernel"> extends infer R
        ? R extends readonly [infer OH extends number, infer OW extends number] ? [[F, OH, OW], [F, Mul<C, Mul<KH, KW>>]] : R
        : never
      : InputKindMessage<this["at"], "conv2d", typeof IMAGE, this["prev"], this["input"] extends Shape ? ShowExample<this["input"]> : "Dyn">;
}

/**
 * A padding: "valid", "same", or a whole number of zeros on every side (0 or more); one of them,
 * not a union (`flag ? 1 : 2`).
 */
type PaddingArg<P> = [Padding] extends [P] ? P // a padding known at run time (typed Padding), checked then
  : true extends IsUnion<P> ? ShapeError<PaddingMessage<"a union of paddings">>
  : P extends number ? (BadPadding<P> extends true ? ShapeError<PaddingMessage<`${P}`>> : P) : P;
type BadPadding<P extends number> = number extends P ? false
  : `${P}` extends `-${string}` | `${string}.${string}` | `${string}e${string}` | `${string}Infinity` | "NaN" ? true : false;

/** Options of `conv2d`: the stride (a size or [height, width], default 1) and the padding ("valid" by default). */
export interface Conv2dOptions<S, P> {
  /** Steps between windows: a size or [height, width] (default 1). */
  readonly stride?: S;
  /** "valid" (default: no padding), "same" (output size ceil(H / stride)) or a number of zeros on every side. */
  readonly padding?: P;
}

/**
 * `conv2d(8, 5)`: 8 filters of 5x5, stride 1, no padding; `conv2d(16, [3, 5], { stride: 2,
 * padding: "same" })`. The number of input channels comes from the layer before.
 */
export function conv2d<
  F extends number, const K extends number | readonly [number, number], const S extends number | readonly [number, number] = 1, const P extends Padding = "valid",
>(
  filters: SizeArg<F, "conv2d">, kernel: (K & number & SizeArg<K & number, "conv2d">) | PairOf<K, "conv2d">,
  // S and P are inferred from the first half (bare: with only the checks, TypeScript without
  // exactOptionalPropertyTypes inferred `number` for a padding typed Padding and nothing for a
  // stride typed number); the second half checks them.
  options?: Conv2dOptions<S, P> & Conv2dOptions<(S & number & SizeArg<S & number, "conv2d">) | PairOf<S, "conv2d">, PaddingArg<P>>,
): Conv2d<F, First<K>, Second<K>, First<S>, Second<S>, P> {
  checkSize("conv2d", filters);
  const [kh, kw] = pair("conv2d", "kernel", kernel);
  const [sh, sw] = pair("conv2d", "stride", options?.stride ?? 1);
  const padding: unknown = options?.padding ?? "valid";
  if (padding !== "valid" && padding !== "same" && !(Number.isInteger(padding) && (padding as number) >= 0)) {
    throw new TypeError(paddingMessage(describe(padding)));
  }
  // Each value was checked above against the type it is given here.
  return { kind: "conv2d", filters: filters as F, kernel: [kh as First<K>, kw as Second<K>], stride: [sh as First<S>, sw as Second<S>], padding: padding as P };
}

/** A size or a [height, width] pair, checked. */
export function pair(op: string, name: string, v: unknown): readonly [number, number] {
  const both: unknown[] = Array.isArray(v) ? v : [v, v];
  if (both.length !== 2) throw new TypeError(`${op} expects ${name} a size or [height, width], got ${describe(v)}`);
  both.forEach((n) => checkSize(op, n));
  return both as [number, number];
}

function specOf(spec: LayerSpec): Conv2d<number, number, number, number, number, Padding> {
  // Only conv2d() (or a checked model file) makes a spec of kind "conv2d".
  return spec as Conv2d<number, number, number, number, number, Padding>;
}

const geometries = new WeakMap<AnyLayer, ConvGeometry>();

/** The geometry of a built conv layer (its input shape and spec), for the kernels; computed once per layer. */
function geometry(layer: AnyLayer): ConvGeometry {
  let g = geometries.get(layer);
  if (g === undefined) {
    const { kernel, stride, padding } = specOf(layer.spec);
    const [, h, w] = layer.inputShape;
    geometries.set(layer, (g = windowOf(h!, w!, kernel[0], kernel[1], stride[0], stride[1], padding, 0, "conv2d", "kernel")));
  }
  return g;
}

export const conv2dKind: LayerKind = {
  kind: "conv2d",
  resolve(spec, input: Shape | null, at, prev) {
    const { filters, kernel, stride, padding } = specOf(spec);
    if (input === null) throw new ShapeError(needsInputMessage(at, "conv2d"));
    if (input.length !== 3) throw new ShapeError(inputKindMessage(at, "conv2d", IMAGE, prev, showExample(input)));
    const [c, h, w] = input as readonly [number, number, number];
    const g = windowOf(h, w, kernel[0], kernel[1], stride[0], stride[1], padding, at, "conv2d", "kernel");
    return { output: [filters, g.outH, g.outW], weights: [filters, c * kernel[0] * kernel[1]] };
  },
  // Each weight sees C*KH*KW inputs; each input reaches F*KH*KW weights (as TF.js's fan-out).
  fans: (layer) => {
    const [kh, kw] = specOf(layer.spec).kernel;
    return [layer.weightShape![1], layer.weightShape![0] * kh * kw];
  },
  // im2col's unfolded input: (C*KH*KW) x (OH*OW*B).
  scratch: (layer, batch) => [layer.weightShape![1] * layer.outputShape[1]! * layer.outputShape[2]! * batch, 0],
  forward(layer, weights, bias, { input, z, a, batch, scratch }, addBiasThenF) {
    // z^l = W^l im2col(a^(l-1)) + b^l, the bias added with f in one pass when f offers it
    convolve(input, weights!, addBiasThenF ? null : bias!, z, layer.inputShape[0]!, batch, geometry(layer), scratch.values);
    if (addBiasThenF) addBiasThenF(z.data, weights!.rows, z.data.length / weights!.rows, bias!.data, a.data);
    return addBiasThenF !== null;
  },
  backward(layer, weights, { batch, scratch }, delta, gradients, deltaPrevious) {
    // dE/dW^l = delta^l im2col(a^(l-1))^T, dE/db^l = delta^l summed, and col2im((W^l)^T delta^l)
    convolveBackward(weights!, delta, gradients!.weights, gradients!.bias, deltaPrevious, layer.inputShape[0]!, batch, geometry(layer), scratch.values);
  },
};
