/**
 * Per-column ops of the output layer (one column = one example): log-softmax (shifted by the
 * column maximum, the notes' log C = -max x_j), argmax and one-hot. The activations themselves,
 * each beside its derivative, are records in src/nn/activations/ (`relu(z)`, `softmax(z)` apply them).
 */
import { argmaxColumnsInto, logSoftmaxColumnsInto } from "../kernels/elementwise.js";
import type { LessThan } from "../shape/arithmetic.js";
import type { SizeArg } from "../shape/dims.js";
import { describe } from "../shape/dims.js";
import type { LabelMessage, ShapeMessage } from "../shape/errors.js";
import { ShapeError, labelMessage, shapeMessage } from "../shape/errors.js";
import type { DType, Matrix } from "../shape/matrix.js";
import { checkSize, dtypeOf, makeMatrix } from "../shape/matrix.js";
import { labelOk } from "./create.js";
import type { OutArg } from "./out.js";
import { dyn, result } from "./out.js";

/** `logSoftmax(z)`: log of softmax per column, computed as z - max - log sum e^(z - max), K x B -> K x B. */
export function logSoftmax<K extends number, B extends number, D extends DType = "float64", R3 extends number = K, C3 extends number = B, D3 extends DType = D>(
  z: Matrix<K, B, D>, out?: OutArg<"logSoftmax", K, B, D, R3, C3, D3>,
): Matrix<K, B, D> {
  const x = dyn("logSoftmax", z);
  const o = result<K, B, D>("logSoftmax", x.rows, x.cols, dtypeOf(x.data), out);
  logSoftmaxColumnsInto(x.data, x.rows, x.cols, o.data);
  return o;
}

/** The `out` argument of `argmax`: B entries. A tuple's length is in its type, an Int32Array's is not (checked at run time). */
export type ArgmaxOut<B extends number, O> = O extends readonly unknown[]
  ? number extends O["length"] ? O : [O["length"]] extends [B] ? O : ShapeError<ShapeMessage<"argmax", `out of length ${B} (one per column)`, `${O["length"]}`>>
  : O;

/** `argmax(m)`: for each column, the row index of its largest entry (the predicted class), K x B -> B indices. */
export function argmax<K extends number, B extends number, D extends DType>(m: Matrix<K, B, D>): number[];
/**
 * `argmax(m, out)`: the same into a caller-given array of B entries (no allocation). O is a const
 * type parameter and the parameter type names O itself (TypeScript keeps an array literal's length
 * only then), so that a literal `out` such as `[0, 0]` is checked against B; the result is then
 * `number[]` (its entries are overwritten, they are not the literal's).
 */
export function argmax<K extends number, B extends number, D extends DType, const O extends Int32Array | readonly number[]>(
  m: Matrix<K, B, D>, out: O & ArgmaxOut<B, O>,
): O extends readonly number[] ? number[] : O;
export function argmax<K extends number, B extends number, D extends DType>(m: Matrix<K, B, D>, out?: Int32Array | number[]): Int32Array | number[] {
  const x = dyn("argmax", m);
  if (out !== undefined && !(out instanceof Int32Array) && !Array.isArray(out)) throw new TypeError(`argmax expects out to be an Int32Array or an array, got ${describe(out)}`);
  if (out !== undefined && out.length !== x.cols) throw new ShapeError(shapeMessage("argmax", `out of length ${x.cols} (one per column)`, `${out.length}`));
  const o = out ?? new Array<number>(x.cols);
  argmaxColumnsInto(x.data, x.rows, x.cols, o);
  return o;
}

/** One label checked against the class count K: itself, or a ShapeError when a literal label is past K - 1 (or negative). */
type LabelArg<L, K extends number, I extends string> = L extends number
  ? number extends L ? L : number extends K ? L
  : `${L}` extends `-${string}` | `${string}.${string}` | `${string}e${string}` | `${string}Infinity` ? ShapeError<LabelMessage<"oneHot", K, L, `at index ${I}`>>
  : LessThan<L, K> extends false ? ShapeError<LabelMessage<"oneHot", K, L, `at index ${I}`>> : L
  : L;

/** The `labels` argument of `oneHot`: at least one label, each literal label below the class count. */
export type LabelsArg<L extends readonly number[], K extends number> = [L] extends [readonly []]
  ? ShapeError<ShapeMessage<"oneHot", "at least one label", "none">>
  : { readonly [I in keyof L]: LabelArg<L[I], K, I & string> };

/**
 * `oneHot([2, 0, 1], 3)`: the targets t as columns, `Matrix<3, 3>` (classes x examples). Labels must
 * be whole numbers in 0 .. classes-1 (literal labels are checked while compiling).
 */
export function oneHot<const L extends readonly number[], K extends number>(labels: LabelsArg<L, K>, classes: SizeArg<K, "oneHot">): Matrix<K, L["length"]> {
  const k: unknown = classes, list: unknown = labels;
  checkSize("oneHot", k);
  if (!Array.isArray(list) && !(list instanceof Int32Array)) throw new ShapeError(shapeMessage("oneHot", "an array of labels", describe(list)));
  const n = list.length;
  if (n === 0) throw new ShapeError(shapeMessage("oneHot", "at least one label", "none"));
  const data = new Float64Array((k as number) * n);
  for (let j = 0; j < n; j++) {
    const label: unknown = list[j];
    if (!labelOk(label, k as number)) throw new ShapeError(labelMessage("oneHot", k as number, typeof label === "number" ? label : Number.NaN, `at index ${j}`));
    data[(label as number) * n + j] = 1;
  }
  // k and n are the run-time values of K and L["length"].
  return makeMatrix(k as number, n, "float64", data) as unknown as Matrix<K, L["length"]>;
}
