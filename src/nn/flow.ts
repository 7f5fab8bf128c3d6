/**
 * How `sequential` checks a list of layers on the type level: the shape of one example flows from
 * layer to layer, each layer's shape law turns its input shape into its output shape, and every
 * argument is checked against what flows into it.
 *
 * `Before<L, "3">` is the state flowing into argument 3 (counting from 0): the current shape, the
 * position of the layer that made it, and what the previous argument was. It is defined from
 * `Before<L, "2">`, and TypeScript caches each instantiation, so computing the states in index order
 * (which a mapped tuple type does) costs one step per argument: linear, and no tail-recursion limit
 * (a 1,000-layer list checks; see bench/README.md for the measured cost).
 *
 * Every comparison is a non-distributive conditional (a union of layers is refused, never checked
 * branch by branch), and every conditional resolves when sizes are type parameters of the caller
 * (`dense(4, h), relu(), dense(h, 3)` checks that both h are the same h).
 */
import type { IsUnion, Shape } from "../shape/dims.js";
import type {
  ActivationPlaceMessage, NoWeightsMessage, SoftmaxPlaceMessage, UnionLayerMessage,
} from "../shape/errors.js";
import type { ShapeError } from "../shape/errors.js";
import type { ApplyLaw, Layer } from "./layer.js";

type Digit = "0" | "1" | "2" | "3" | "4" | "5" | "6" | "7" | "8" | "9";
type IncDigit = { "0": "1"; "1": "2"; "2": "3"; "3": "4"; "4": "5"; "5": "6"; "6": "7"; "7": "8"; "8": "9"; "9": "0" };
type DecDigit = { "1": "0"; "2": "1"; "3": "2"; "4": "3"; "5": "4"; "6": "5"; "7": "6"; "8": "7"; "9": "8" };

/** `Inc<"129">` is `"130"`: the next index, as the string a tuple's keys are. */
export type Inc<S extends string> = S extends `${infer H}${Digit}`
  ? S extends `${H}${infer D extends Digit}` ? (D extends "9" ? `${H extends "" ? "1" : Inc<H>}0` : `${H}${IncDigit[D]}`) : never
  : "1";
/** `Dec<"130">` is `"129"` (for "1" and up). */
export type Dec<S extends string> = S extends `${infer H}${Digit}`
  ? S extends `${H}${infer D extends Digit}` ? (D extends "0" ? `${Dec<H> extends "0" ? "" : Dec<H>}9` : `${H}${DecDigit[Exclude<D, "0">]}`) : never
  : never;
/** `Position<"0">` is `1`: an argument's position as messages count it. */
export type Position<I extends string> = Inc<I> extends `${infer P extends number}` ? P : never;

/** What came just before an argument: nothing, an activation, a layer with weights, or one without. */
type Previous = "nothing" | "activation" | "weights" | "no weights";

/** The state flowing into an argument. `Shape` "unknown" after an error: later arguments are not checked against it. */
interface FlowState<S extends Shape | "none" | "unknown", Prev extends number, Last extends Previous, HasWeights extends boolean> {
  readonly shape: S;
  readonly prev: Prev;
  readonly last: Last;
  readonly hasWeights: HasWeights;
}
type Start = FlowState<"none", 0, "nothing", false>;
type AnyState = FlowState<Shape | "none" | "unknown", number, Previous, boolean>;

/** An activation spec (`relu()` and the others): it changes no shape, and belongs to the layer before it. */
interface ActivationSpecLike {
  readonly kind: "activation";
  readonly name: string;
}

/** The state flowing into argument I of L. */
export type Before<L extends readonly unknown[], I extends string> = I extends "0" ? Start : After<L, Dec<I>>;

/** The state after argument P. */
type After<L extends readonly unknown[], P extends string> =
  P extends `${infer N extends number}` ? Step<L[N], Before<L, P>, Position<P>> : never;

type Step<X, S extends AnyState, At extends number> =
  X extends ActivationSpecLike ? FlowState<S["shape"], S["prev"], "activation", S["hasWeights"]>
  : S["shape"] extends "unknown" ? FlowState<"unknown", At, "weights", true>
  : ApplyLaw<X, S["shape"], At, S["prev"]> extends readonly [infer Out extends Shape, infer W]
    ? FlowState<Out, At, [W] extends [null] ? "no weights" : "weights", [W] extends [null] ? S["hasWeights"] : true>
    : FlowState<"unknown", At, "weights", true>;

/**
 * What is wrong with argument I of L: `true` when nothing, else a `ShapeError<"sequential layer 3 ...">`
 * naming its position.
 */
export type CheckAt<L extends readonly unknown[], I extends string, X = L[I & keyof L]> =
  number extends L["length"] ? true // a list of unknown length (while TypeScript infers L): nothing to check yet
  : I extends `${number}` ? CheckIndex<L, I, X> : true;
type CheckIndex<L extends readonly unknown[], I extends string, X> =
  true extends IsUnion<X> ? ShapeError<UnionLayerMessage<Position<I>>>
  : Before<L, I> extends infer S extends AnyState
    ? X extends ActivationSpecLike ? CheckActivation<L, I, X, S>
    : S["shape"] extends "unknown" ? true
    : ApplyLaw<X, S["shape"], Position<I>, S["prev"]> extends infer R
      ? R extends string ? ShapeError<R> : CheckLast<L, I, R>
      : never
    : never;

/** An activation must follow a layer with weights, and softmax must be last. */
type CheckActivation<L extends readonly unknown[], I extends string, X extends ActivationSpecLike, S extends AnyState> =
  S["last"] extends "weights"
    ? X["name"] extends "softmax"
      ? Inc<I> extends `${L["length"]}` ? CheckLast<L, I, null> : ShapeError<SoftmaxPlaceMessage<Position<I>, L["length"]>>
      : CheckLast<L, I, null>
    : ShapeError<ActivationPlaceMessage<Position<I>, X["name"], ActivationGot<S["last"]>>>;
type ActivationGot<Last extends Previous> =
  Last extends "nothing" ? "it first" : Last extends "activation" ? "two activations in a row" : "it after a layer without weights";

/** The last argument also answers for the whole list: a network needs a layer with weights. */
type CheckLast<L extends readonly unknown[], I extends string, R> =
  Inc<I> extends `${L["length"]}`
    ? R extends readonly [Shape, infer W] ? ([W] extends [null] ? (Before<L, I>["hasWeights"] extends true ? true : ShapeError<NoWeightsMessage>) : true)
    : Before<L, I>["hasWeights"] extends true ? true : ShapeError<NoWeightsMessage>
    : true;

/** The argument X itself when `Problem` is `true`, else the problem (a ShapeError). X stands alone in a branch so TypeScript infers it. */
type Checked<X, Problem> = [Problem] extends [true] ? X : Problem;

/** `CheckLayers<L>`: L with each mis-wired argument replaced by its ShapeError (what `sequential`'s rest parameter is). */
export type CheckLayers<L extends readonly unknown[]> = { readonly [I in keyof L]: Checked<L[I], CheckAt<L, I & string>> };

/** The built layer made by argument N (a `Layer` type), given the state flowing into it. */
type LayerAt<L extends readonly unknown[], N extends number, I extends string> =
  Before<L, I> extends infer S extends AnyState
    ? S["shape"] extends Shape
      ? ApplyLaw<L[N], S["shape"], Position<I>, S["prev"]> extends readonly [infer Out extends Shape, infer W extends readonly [number, number] | null]
        ? Layer<KindOf<L[N]>, S["shape"], Out, W>
        : never
      : L[N] extends { readonly kind: "input" } ? never
      : ApplyLaw<L[N], "none", 1, 0> extends readonly [infer Out extends Shape, infer W extends readonly [number, number] | null]
        ? Layer<KindOf<L[N]>, FirstInput<W>, Out, W>
        : never
    : never;
type KindOf<X> = X extends { readonly kind: infer K extends string } ? K : string;
/** The input shape of a first layer that declares it (`dense(784, 128)` takes 784 numbers). */
type FirstInput<W> = W extends readonly [number, infer C extends number] ? [C] : Shape;

/**
 * `Built<L>`: the network's layers in the notes' sense, one per argument that is not an activation
 * or `input(...)`. Accumulated into a tuple 100 arguments at a time: `More` starts a fresh
 * tail-recursion. TypeScript stops a tail-recursive type at 1,000 steps, and within one such loop
 * each step cost more than the one before (500 at a time, a 500-argument list cost 1.8 times the
 * instantiations it costs 100 at a time; bench/typecheck/README.md), so the loops are kept short.
 */
export type Built<L extends readonly unknown[], I extends string = "0", Acc extends unknown[] = [], C extends 0[] = []> =
  I extends `${L["length"]}` ? Acc
  : C["length"] extends 100 ? More<L, I, Acc>
  : I extends `${infer N extends number}`
    ? L[N] extends ActivationSpecLike | { readonly kind: "input" } ? Built<L, Inc<I>, Acc, [...C, 0]>
      : Built<L, Inc<I>, [...Acc, LayerAt<L, N, I>], [...C, 0]>
    : never;
type More<L extends readonly unknown[], I extends string, Acc extends unknown[]> = Built<L, I, Acc> extends infer R ? R : never;

/** The activation written after each layer with weights (identity where none is), for the run-time build. */
export type { Shape };
