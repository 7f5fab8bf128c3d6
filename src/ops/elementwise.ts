/**
 * Element-wise arithmetic, bias addition and column sums, each with its shape law.
 * Every op takes an optional `out` of the result's shape (it may be an input) and then allocates nothing.
 */
import {
  addBiasInto, addInto, hadamardInto, mapInto, scaleInto, subInto, sumColumnsInto,
} from "../kernels/elementwise.js";
import type { AddBiasMessage, SameShapeMessage } from "../shape/errors.js";
import { ShapeError, addBiasMessage, sameShapeMessage } from "../shape/errors.js";
import type { Fits2, Matrix } from "../shape/matrix.js";
import { checkFinite } from "./create.js";
import { dyn, result } from "./out.js";

type Same<Op extends string, R extends number, C extends number, R2 extends number, C2 extends number> =
  Fits2<R2, C2, R, C, Matrix<R2, C2>, ShapeError<SameShapeMessage<Op, R, C, R2, C2>>>;

/** The body shared by add, sub and hadamard: check both shapes (and out), then run the kernel. */
function elementwise<R extends number, C extends number>(
  op: string, kernel: (a: Float64Array, b: Float64Array, out: Float64Array) => void, a: unknown, b: unknown, out: Matrix<R, C> | undefined,
): Matrix<R, C> {
  const x = dyn(op, a), y = dyn(op, b);
  if (x.rows !== y.rows || x.cols !== y.cols) throw new ShapeError(sameShapeMessage(op, x.rows, x.cols, y.rows, y.cols));
  const o = result(op, x.rows, x.cols, out);
  kernel(x.data, y.data, o.data);
  return o;
}

/** `add(a, b)`: (R x C) + (R x C) -> R x C. */
export function add<R extends number, C extends number, R2 extends number, C2 extends number>(
  a: Matrix<R, C>, b: Same<"add", R, C, R2, C2>, out?: Matrix<NoInfer<R>, NoInfer<C>>,
): Matrix<R, C> {
  return elementwise("add", addInto, a, b, out);
}

/** `sub(a, b)`: (R x C) - (R x C) -> R x C. */
export function sub<R extends number, C extends number, R2 extends number, C2 extends number>(
  a: Matrix<R, C>, b: Same<"sub", R, C, R2, C2>, out?: Matrix<NoInfer<R>, NoInfer<C>>,
): Matrix<R, C> {
  return elementwise("sub", subInto, a, b, out);
}

/** `hadamard(a, b)`: the element-wise product, (R x C) (.) (R x C) -> R x C. */
export function hadamard<R extends number, C extends number, R2 extends number, C2 extends number>(
  a: Matrix<R, C>, b: Same<"hadamard", R, C, R2, C2>, out?: Matrix<NoInfer<R>, NoInfer<C>>,
): Matrix<R, C> {
  return elementwise("hadamard", hadamardInto, a, b, out);
}

/** `scale(m, s)`: s times every entry, R x C -> R x C. */
export function scale<R extends number, C extends number>(m: Matrix<R, C>, s: number, out?: Matrix<NoInfer<R>, NoInfer<C>>): Matrix<R, C> {
  const x = dyn("scale", m);
  checkFinite("scale", s, "the factor");
  const o = result("scale", x.rows, x.cols, out);
  scaleInto(x.data, s, o.data);
  return o;
}

/** `addBias(z, b)`: adds the column b to every column, (R x B) + (R x 1) -> R x B. */
export function addBias<R extends number, B extends number, R2 extends number, C2 extends number>(
  m: Matrix<R, B>,
  bias: Fits2<R2, C2, R, 1, Matrix<R2, C2>, ShapeError<AddBiasMessage<R, B, R2, C2>>>,
  out?: Matrix<NoInfer<R>, NoInfer<B>>,
): Matrix<R, B> {
  const x = dyn("addBias", m), b = dyn("addBias", bias);
  if (b.rows !== x.rows || b.cols !== 1) throw new ShapeError(addBiasMessage(x.rows, x.cols, b.rows, b.cols));
  const o = result("addBias", x.rows, x.cols, out);
  addBiasInto(x.data, x.rows, x.cols, b.data, o.data);
  return o;
}

/** `sumColumns(delta)`: the sum of the columns, (R x B) -> R x 1. Backprop's bias gradient over a batch. */
export function sumColumns<R extends number, B extends number>(m: Matrix<R, B>, out?: Matrix<NoInfer<R>, 1>): Matrix<R, 1> {
  const x = dyn("sumColumns", m);
  const o = result("sumColumns", x.rows, 1, out);
  sumColumnsInto(x.data, x.rows, x.cols, o.data);
  return o;
}

/** `map(m, f)`: f applied to every entry, R x C -> R x C. */
export function map<R extends number, C extends number>(m: Matrix<R, C>, f: (x: number) => number, out?: Matrix<NoInfer<R>, NoInfer<C>>): Matrix<R, C> {
  const x = dyn("map", m);
  const o = result("map", x.rows, x.cols, out);
  mapInto(x.data, f, o.data);
  return o;
}

