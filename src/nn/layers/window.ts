/**
 * The arithmetic of a sliding window (a convolution's kernel, a pooling window) over an H x W
 * image, on the type level and at run time, with one message for a window that does not fit:
 * OH = floor((H + 2P - KH) / SH) + 1 (the same for width), or ceil(H / SH) for "same" padding.
 */
import type { Add, Div, LessThan, Mul, Sub } from "../../shape/arithmetic.js";
import type { IsUnion, ShowDim, SizeArg } from "../../shape/dims.js";
import type { WindowMessage } from "../../shape/errors.js";
import { ShapeError, windowMessage } from "../../shape/errors.js";
import type { ConvGeometry, Padding } from "../../ops/conv.js";
import { convGeometry } from "../../ops/conv.js";

/** The height of a size or a [height, width] pair: `First<5>` is 5, `First<[3, 5]>` is 3. */
export type First<K> = K extends readonly [infer A extends number, number] ? A : K extends number ? K : never;
/** The width of a size or a [height, width] pair: `Second<[3, 5]>` is 5. */
export type Second<K> = K extends readonly [number, infer B extends number] ? B : K extends number ? K : never;

/**
 * A kernel, window or stride argument (a size or a [height, width] pair) is checked against
 * `(K & number & SizeArg<K & number, Op>) | PairOf<K, Op>`, written out in each signature (an alias
 * would print as its name in an error, hiding the ShapeError). Neither half distributes over a
 * union: `flag ? 3 : 5`, `[flag ? 3 : 5, 5]` and `flag ? [3, 3] : [5, 5]` are refused as every
 * other union size is. A size that is a type parameter of the caller passes the first half (as
 * with `SizeArg`), so generic code compiles; `K & number` keeps a pair (or a union of pairs, for
 * which `SizeArg` gives `unknown`) from passing through the first half.
 */
/** A [height, width] pair, each checked as a size (a union of pairs is refused). */
export type PairOf<K, Op extends string> = [K] extends [readonly unknown[]]
  ? true extends IsUnion<K> ? ShapeError<`${Op} expects one [height, width] pair, got a union of pairs`>
    : [K] extends [readonly [infer A extends number, infer B extends number]] ? readonly [SizeArg<A, Op>, SizeArg<B, Op>] : never
  : never;

/** `CeilDiv<12, 5>` is `3`. */
type CeilDiv<A extends number, B extends number> = Div<Add<A, Sub<B, 1>>, B>;

/** How the (padded) input prints in the message: "4x4", or "6x6 (padded by 1)". */
type PaddedText<PH extends number, PW extends number, P extends number> =
  `${ShowDim<PH>}x${ShowDim<PW>}${P extends 0 ? "" : ` (padded by ${ShowDim<P>})`}`;

/**
 * `Window<28, 28, 5, 5, 1, 1, "valid", At, "conv2d", "kernel">` is `[24, 24]`, the output's height
 * and width, or the message when the window is larger than the padded input.
 */
export type Window<
  H extends number, W extends number, KH extends number, KW extends number, SH extends number, SW extends number,
  P extends Padding, At extends number, Kind extends string, What extends string,
> = P extends "same"
  ? [CeilDiv<H, SH>, CeilDiv<W, SW>]
  : PaddedWindow<Add<H, Mul<2, PadOf<P>>>, Add<W, Mul<2, PadOf<P>>>, KH, KW, SH, SW, PadOf<P>, At, Kind, What>;
type PadOf<P> = P extends number ? P : 0;
type PaddedWindow<
  PH extends number, PW extends number, KH extends number, KW extends number, SH extends number, SW extends number,
  P extends number, At extends number, Kind extends string, What extends string,
> = [LessThan<PH, KH>] extends [true] ? WindowMessage<At, Kind, What, PaddedText<PH, PW, P>, `${ShowDim<KH>}x${ShowDim<KW>}`>
  : [LessThan<PW, KW>] extends [true] ? WindowMessage<At, Kind, What, PaddedText<PH, PW, P>, `${ShowDim<KH>}x${ShowDim<KW>}`>
  : [Add<Div<Sub<PH, KH>, SH>, 1>, Add<Div<Sub<PW, KW>, SW>, 1>]; // unknown sizes (LessThan is boolean) are checked at run time

/** Run-time twin of `Window`: the geometry the kernels need, or a ShapeError with the same text. */
export function windowOf(
  h: number, w: number, kh: number, kw: number, sh: number, sw: number, padding: Padding, at: number, kind: string, what: string,
): ConvGeometry {
  if (padding !== "same") {
    const p = padding === "valid" ? 0 : padding, ph = h + 2 * p, pw = w + 2 * p;
    if (ph < kh || pw < kw) throw new ShapeError(windowMessage(at, kind, what, `${ph}x${pw}${p === 0 ? "" : ` (padded by ${p})`}`, `${kh}x${kw}`));
  }
  return convGeometry(h, w, kh, kw, sh, sw, padding, kind);
}
