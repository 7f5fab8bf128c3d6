/**
 * The notes' activations and output layer, per column (one column = one example):
 * ReLU and its derivative for hidden layers, the numerically stable softmax (shifted by the column
 * maximum, the notes' log C = -max x_j), log-softmax for the cross-entropy, argmax and one-hot.
 */
import {
  argmaxColumnsInto, logSoftmaxColumnsInto, reluDerivativeInto, reluInto, softmaxColumnsInto,
} from "../kernels/elementwise.js";
import type { Size } from "../shape/dims.js";
import { ShapeError, shapeMessage } from "../shape/errors.js";
import type { Matrix } from "../shape/matrix.js";
import { checkSize, makeMatrix } from "../shape/matrix.js";
import type { SizeArg } from "./create.js";
import { dyn, result } from "./out.js";

/** `relu(z)`: max(0, z) entry by entry, R x C -> R x C. */
export function relu<R extends number, C extends number>(z: Matrix<R, C>, out?: Matrix<NoInfer<R>, NoInfer<C>>): Matrix<R, C> {
  const x = dyn("relu", z);
  const o = result("relu", x.rows, x.cols, out);
  reluInto(x.data, o.data);
  return o;
}

/** `reluDerivative(z)`: f'(z) for ReLU, 1 where z > 0 and 0 elsewhere, R x C -> R x C. */
export function reluDerivative<R extends number, C extends number>(z: Matrix<R, C>, out?: Matrix<NoInfer<R>, NoInfer<C>>): Matrix<R, C> {
  const x = dyn("reluDerivative", z);
  const o = result("reluDerivative", x.rows, x.cols, out);
  reluDerivativeInto(x.data, o.data);
  return o;
}

/** `softmax(z)`: each column to probabilities, e^(z_k - max) / sum_c e^(z_c - max), K x B -> K x B. */
export function softmax<K extends number, B extends number>(z: Matrix<K, B>, out?: Matrix<NoInfer<K>, NoInfer<B>>): Matrix<K, B> {
  const x = dyn("softmax", z);
  const o = result("softmax", x.rows, x.cols, out);
  softmaxColumnsInto(x.data, x.rows, x.cols, o.data);
  return o;
}

/** `logSoftmax(z)`: log of softmax per column, computed as z - max - log sum e^(z - max), K x B -> K x B. */
export function logSoftmax<K extends number, B extends number>(z: Matrix<K, B>, out?: Matrix<NoInfer<K>, NoInfer<B>>): Matrix<K, B> {
  const x = dyn("logSoftmax", z);
  const o = result("logSoftmax", x.rows, x.cols, out);
  logSoftmaxColumnsInto(x.data, x.rows, x.cols, o.data);
  return o;
}

/** `argmax(m)`: for each column, the row index of its largest entry (the predicted class), K x B -> B indices. */
export function argmax<K extends number, B extends number>(m: Matrix<K, B>): number[];
/** `argmax(m, out)`: the same into a caller-given array of B entries (no allocation). */
export function argmax<K extends number, B extends number, O extends Int32Array | number[]>(m: Matrix<K, B>, out: O): O;
export function argmax<K extends number, B extends number>(m: Matrix<K, B>, out?: Int32Array | number[]): Int32Array | number[] {
  const x = dyn("argmax", m);
  if (out !== undefined && out.length !== x.cols) throw new ShapeError(shapeMessage("argmax", `out of length ${x.cols} (one per column)`, `${out.length}`));
  const o = out ?? new Array<number>(x.cols);
  argmaxColumnsInto(x.data, x.rows, x.cols, o);
  return o;
}

/**
 * `oneHot([2, 0, 1], 3)`: the targets t as columns, `Matrix<3, 3>` (classes x examples). Labels must
 * be whole numbers in 0 .. classes-1.
 */
export function oneHot<const L extends readonly number[], K extends number>(labels: L, classes: SizeArg<K, "oneHot">): Matrix<Size<K>, Size<L["length"]>> {
  const k = classes as number;
  checkSize("oneHot", k);
  if (!Array.isArray(labels) && !ArrayBuffer.isView(labels)) throw new ShapeError(shapeMessage("oneHot", "an array of labels", typeof labels));
  const n = labels.length;
  checkSize("oneHot", n);
  const data = new Float64Array(k * n);
  for (let j = 0; j < n; j++) {
    const label = labels[j]!;
    if (!Number.isInteger(label) || label < 0 || label >= k) {
      throw new ShapeError(shapeMessage("oneHot", `whole-number labels in 0..${k - 1}`, `${label} at index ${j}`));
    }
    data[label * n + j] = 1;
  }
  // k and n are the run-time values of K and L["length"].
  return makeMatrix(k, n, data) as unknown as Matrix<Size<K>, Size<L["length"]>>;
}
