/**
 * Shape errors: one message template, used both as a type (compile time) and as a value (run time).
 *
 * Each op's message is a function below; its type is taken from the function itself
 * (`ReturnType<typeof matmulMessage<R, K, K2, C>>`), so the text a compile error shows and the text
 * a run-time `ShapeError` carries come from the same line of code and cannot drift apart.
 * Messages are ASCII and contain no colon (TypeScript escapes non-ASCII in types; vitest's type-check
 * parser splits on colons).
 */
import type { Sub } from "./arithmetic.js";
import type { Shape, ShowDim } from "./dims.js";
import { showDim, showShape } from "./dims.js";

/** Every shape message reads `<op> expects <expected>, got <received>`. */
export type ShapeMessage<Op extends string, Expected extends string, Got extends string> =
  `${Op} expects ${Expected}, got ${Got}`;

/** Builds a `ShapeMessage`; the return type is the message itself, as a literal type. */
export function shapeMessage<Op extends string, Expected extends string, Got extends string>(
  op: Op,
  expected: Expected,
  got: Got,
): ShapeMessage<Op, Expected, Got> {
  return `${op} expects ${expected}, got ${got}`;
}

/**
 * The error of a shape mismatch. At compile time a parameter whose shape does not fit becomes
 * `ShapeError<"matmul expects ...">`, so the compiler prints the message; at run time the same
 * text is thrown as an instance of this class.
 */
export class ShapeError<Message extends string = string> extends Error {
  declare readonly message: Message;
  constructor(message: Message) {
    super(message);
    this.name = "ShapeError";
  }
}

/** `matmul(a, b)`: (R x K) times (K x C). */
export const matmulMessage = <R extends number, K extends number, K2 extends number, C extends number>(
  r: R, k: K, k2: K2, c: C,
) => shapeMessage("matmul", `b.rows = a.cols = ${showDim(k)}`, `${showShape(r, k)} times ${showShape(k2, c)}`);
export type MatmulMessage<R extends number, K extends number, K2 extends number, C extends number> =
  ReturnType<typeof matmulMessage<R, K, K2, C>>;

/** `matmulTransA(a, b)` = aT b: a is (K x R), b is (K x C). */
export const matmulTransAMessage = <K extends number, R extends number, K2 extends number, C extends number>(
  k: K, r: R, k2: K2, c: C,
) => shapeMessage("matmulTransA", `b.rows = a.rows = ${showDim(k)}`, `aT of ${showShape(k, r)} times ${showShape(k2, c)}`);
export type MatmulTransAMessage<K extends number, R extends number, K2 extends number, C extends number> =
  ReturnType<typeof matmulTransAMessage<K, R, K2, C>>;

/** `matmulTransB(a, b)` = a bT: a is (R x K), b is (C x K). */
export const matmulTransBMessage = <R extends number, K extends number, C extends number, K2 extends number>(
  r: R, k: K, c: C, k2: K2,
) => shapeMessage("matmulTransB", `b.cols = a.cols = ${showDim(k)}`, `${showShape(r, k)} times bT of ${showShape(c, k2)}`);
export type MatmulTransBMessage<R extends number, K extends number, C extends number, K2 extends number> =
  ReturnType<typeof matmulTransBMessage<R, K, C, K2>>;

/** Element-wise ops (`add`, `sub`, `hadamard`): both operands of one shape. */
export const sameShapeMessage = <Op extends string, R extends number, C extends number, R2 extends number, C2 extends number>(
  op: Op, r: R, c: C, r2: R2, c2: C2,
) => shapeMessage(op, `b of shape ${showShape(r, c)} like a`, `${showShape(r, c)} and ${showShape(r2, c2)}`);
export type SameShapeMessage<Op extends string, R extends number, C extends number, R2 extends number, C2 extends number> =
  ReturnType<typeof sameShapeMessage<Op, R, C, R2, C2>>;

/** `addBias(m, bias)`: (R x B) plus a column (R x 1). */
export const addBiasMessage = <R extends number, C extends number, R2 extends number, C2 extends number>(
  r: R, c: C, r2: R2, c2: C2,
) => shapeMessage("addBias", `a bias of shape ${showShape(r, 1)}`, `${showShape(r, c)} plus ${showShape(r2, c2)}`);
export type AddBiasMessage<R extends number, C extends number, R2 extends number, C2 extends number> =
  ReturnType<typeof addBiasMessage<R, C, R2, C2>>;

/** The optional `out` argument of every op: it must have the result's shape. */
export const outMessage = <Op extends string, R extends number, C extends number, R2 extends number, C2 extends number>(
  op: Op, r: R, c: C, r2: R2, c2: C2,
) => shapeMessage(op, `out of shape ${showShape(r, c)}`, `out ${showShape(r2, c2)}`);
export type OutMessage<Op extends string, R extends number, C extends number, R2 extends number, C2 extends number> =
  ReturnType<typeof outMessage<Op, R, C, R2, C2>>;

/** `assertShape(m, rows, cols)` and every other check of one matrix against an expected shape. */
export const expectShapeMessage = <Op extends string, R extends number, C extends number, R2 extends number, C2 extends number>(
  op: Op, r: R, c: C, r2: R2, c2: C2,
) => shapeMessage(op, showShape(r, c), showShape(r2, c2));
export type ExpectShapeMessage<Op extends string, R extends number, C extends number, R2 extends number, C2 extends number> =
  ReturnType<typeof expectShapeMessage<Op, R, C, R2, C2>>;

/** A size argument that is not a whole number of 1 or more. */
export const sizeMessage = <Op extends string, N extends number>(op: Op, n: N) =>
  shapeMessage(op, "sizes that are whole numbers 1 or more", showDim(n));
export type SizeMessage<Op extends string, N extends number> = ReturnType<typeof sizeMessage<Op, N>>;

/** `sequential(...)`: each dense layer's inputs equal the previous dense layer's outputs. */
export const sequentialMessage = <Me extends number, In extends number, Prev extends number, Out extends number>(
  me: Me, inputs: In, prev: Prev, outputs: Out,
) => `sequential layer ${me} expects ${showDim(inputs)} inputs but layer ${prev} outputs ${showDim(outputs)}` as const;
export type SequentialMessage<Me extends number, In extends number, Prev extends number, Out extends number> =
  ReturnType<typeof sequentialMessage<Me, In, Prev, Out>>;

/** A network's inputs: one column of `inputs` numbers per example. */
export const inputMessage = <Op extends string, In extends number, R extends number, C extends number>(op: Op, inputs: In, r: R, c: C) =>
  shapeMessage(op, `x with ${showDim(inputs)} rows (one column per example)`, showShape(r, c));
export type InputMessage<Op extends string, In extends number, R extends number, C extends number> =
  ReturnType<typeof inputMessage<Op, In, R, C>>;

/** A network's targets: outputs x batch, like its output. */
export const targetsMessage = <Op extends string, Out extends number, B extends number, R extends number, C extends number>(
  op: Op, outputs: Out, batch: B, r: R, c: C,
) => shapeMessage(op, `targets of shape ${showShape(outputs, batch)} (outputs x examples)`, showShape(r, c));
export type TargetsMessage<Op extends string, Out extends number, B extends number, R extends number, C extends number> =
  ReturnType<typeof targetsMessage<Op, Out, B, R, C>>;

/** `reshape(m, rows, cols)`: the element count cannot change. */
export const reshapeMessage = <N extends number, R extends number, C extends number, R2 extends number, C2 extends number, N2 extends number>(
  count: N, r: R, c: C, r2: R2, c2: C2, count2: N2,
) => shapeMessage("reshape", `rows x cols = ${showDim(count)} numbers like ${showShape(r, c)}`, `${showShape(r2, c2)} = ${showDim(count2)}`);
export type ReshapeMessage<N extends number, R extends number, C extends number, R2 extends number, C2 extends number, N2 extends number> =
  ReturnType<typeof reshapeMessage<N, R, C, R2, C2, N2>>;

/** `vcat(a, b)` stacks rows (same column count, What = "columns"); `hcat(a, b)` puts columns side by side (same row count, What = "rows"). */
export const concatMessage = <Op extends string, What extends string, Want extends number, R extends number, C extends number, R2 extends number, C2 extends number>(
  op: Op, what: What, want: Want, r: R, c: C, r2: R2, c2: C2,
) => shapeMessage(op, `b with ${showDim(want)} ${what} like a`, `${showShape(r, c)} and ${showShape(r2, c2)}`);
export type ConcatMessage<Op extends string, What extends string, Want extends number, R extends number, C extends number, R2 extends number, C2 extends number> =
  ReturnType<typeof concatMessage<Op, What, Want, R, C, R2, C2>>;

/** Two operands (or an operand and `out`) of different element types: `float32` and `float64` never mix silently. */
export const dtypeMessage = <Op extends string, D extends string, D2 extends string>(op: Op, want: D, got: D2) =>
  shapeMessage(op, `${want} like the first operand (convert with toDType)`, got);
export type DTypeMessage<Op extends string, D extends string, D2 extends string> = ReturnType<typeof dtypeMessage<Op, D, D2>>;

/** How a shape of one example prints: `ShowExample<[16, 6, 6]>` is `"16x6x6"`, `ShowExample<[576]>` is `"576"`. */
export type ShowExample<S extends Shape> = S extends readonly [infer H extends number, ...infer T extends Shape]
  ? T extends readonly [] ? ShowDim<H> : `${ShowDim<H>}x${ShowExample<T>}`
  : "Dyn";

/** Runtime twin of `ShowExample`. */
export function showExample<S extends Shape>(shape: S): ShowExample<S> {
  // The run-time join computes, for a shape of known sizes, the string ShowExample<S> spells out.
  return shape.map((n) => showDim(n)).join("x") as ShowExample<S>;
}

/** A sequential layer at position `me` (counting every argument from 1) breaks a rule; `rule` says which. */
export const layerMessage = <Me extends number, Rule extends string>(me: Me, rule: Rule) => `sequential layer ${showDim(me)} ${rule}` as const;
export type LayerMessage<Me extends number, Rule extends string> = ReturnType<typeof layerMessage<Me, Rule>>;

/** An activation in the wrong place (first, after another activation, after a layer without weights). */
export const activationPlaceMessage = <Me extends number, Name extends string, Got extends string>(me: Me, name: Name, got: Got) =>
  layerMessage(me, `expects ${name}() right after a dense or conv2d layer, got ${got}`);
export type ActivationPlaceMessage<Me extends number, Name extends string, Got extends string> =
  ReturnType<typeof activationPlaceMessage<Me, Name, Got>>;

/** softmax() anywhere but last. */
export const softmaxPlaceMessage = <Me extends number, Count extends number>(me: Me, count: Count) =>
  layerMessage(me, `expects softmax() only as the last layer, got softmax at layer ${showDim(me)} of ${showDim(count)}`);
export type SoftmaxPlaceMessage<Me extends number, Count extends number> = ReturnType<typeof softmaxPlaceMessage<Me, Count>>;

/** input(...) anywhere but first. */
export const inputPlaceMessage = <Me extends number>(me: Me) => layerMessage(me, "expects input(...) only as the first layer");
export type InputPlaceMessage<Me extends number> = ReturnType<typeof inputPlaceMessage<Me>>;

/** A layer that takes its input size from the layer before, with nothing before it. */
export const needsInputMessage = <Me extends number, Kind extends string>(me: Me, kind: Kind) =>
  layerMessage(me, `${kind} expects the size of its input, got no layer before it (put input(...) first, or write dense(inputs, outputs))`);
export type NeedsInputMessage<Me extends number, Kind extends string> = ReturnType<typeof needsInputMessage<Me, Kind>>;

/** A layer given a union of layers (from `flag ? a : b`): each position must hold one layer. */
export const unionLayerMessage = <Me extends number>(me: Me) =>
  layerMessage(me, "expects one layer, got a union of layers (choose the layer before the call)");
export type UnionLayerMessage<Me extends number> = ReturnType<typeof unionLayerMessage<Me>>;

/** A layer whose input shape has the wrong number of dimensions (dense before flatten, conv after flatten). */
export const inputKindMessage = <Me extends number, Kind extends string, Want extends string, Prev extends number, Got extends string>(
  me: Me, kind: Kind, want: Want, prev: Prev, got: Got,
) => layerMessage(me, `${kind} expects ${want}, but layer ${showDim(prev)} outputs ${got}`);
export type InputKindMessage<Me extends number, Kind extends string, Want extends string, Prev extends number, Got extends string> =
  ReturnType<typeof inputKindMessage<Me, Kind, Want, Prev, Got>>;

/** A window (convolution kernel, pooling window) larger than the (padded) input it slides over. */
export const windowMessage = <Me extends number, Kind extends string, What extends string, In extends string, Got extends string>(
  me: Me, kind: Kind, what: What, input: In, got: Got,
) => layerMessage(me, `${kind} expects a ${what} no larger than its input ${input}, got ${got}`);
export type WindowMessage<Me extends number, Kind extends string, What extends string, In extends string, Got extends string> =
  ReturnType<typeof windowMessage<Me, Kind, What, In, Got>>;

/** conv2d's padding: "valid", "same" or a whole number of 0 or more (the words without quotes, which TypeScript would print escaped). */
export const paddingMessage = <Got extends string>(got: Got) => shapeMessage("conv2d", "padding valid, same or a whole number of 0 or more", got);
export type PaddingMessage<Got extends string> = ReturnType<typeof paddingMessage<Got>>;

/** A network built from no layer with weights. */
export const noWeightsMessage = () => shapeMessage("sequential", "at least one dense or conv2d layer", "none");
export type NoWeightsMessage = ReturnType<typeof noWeightsMessage>;

/** A network's sizes list: at least the input and one layer. */
export const sizesCountMessage = <Op extends string, N extends number>(op: Op, count: N) =>
  shapeMessage(op, "at least two sizes (inputs and outputs)", `${showDim(count)}`);
export type SizesCountMessage<Op extends string, N extends number> = ReturnType<typeof sizesCountMessage<Op, N>>;

/** A label (class index) past the class count, or not a whole number: `oneHot expects whole-number labels in 0..2, got 5 at index 1`. */
export const labelMessage = <Op extends string, K extends number, L extends number, At extends string>(op: Op, classes: K, label: L, at: At) =>
  // The type is spelled out below: `classes - 1` is computed on the type level by Sub.
  shapeMessage(op, `whole-number labels in 0..${showDim(classes - 1)}`, `${showDim(label)} ${at}`) as LabelMessage<Op, K, L, At>;
export type LabelMessage<Op extends string, K extends number, L extends number, At extends string> =
  ShapeMessage<Op, `whole-number labels in 0..${ShowDim<Sub<K, 1>>}`, `${ShowDim<L>} ${At}`>;

/** A network used with data, a workspace, gradients or another network it was not built for. */
export const networkMessage = <Op extends string, Want extends string, Got extends string>(op: Op, want: Want, got: Got) =>
  shapeMessage(op, want, got);

/** Throws a ShapeError unless `ok`. */
export function check(ok: boolean, message: () => string): void {
  if (!ok) throw new ShapeError(message());
}
