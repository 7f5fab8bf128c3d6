/**
 * Element-wise arithmetic, bias addition and column sums, each with its shape law.
 * Every op takes an optional `out` of the result's shape (it may be an input) and then allocates nothing.
 */
import {
  addBiasInto, addInto, hadamardInto, mapInto, scaleInto, subInto, sumColumnsInto,
} from "../kernels/elementwise.js";
import type { AddBiasMessage, SameShapeMessage } from "../shape/errors.js";
import { ShapeError, addBiasMessage, sameShapeMessage } from "../shape/errors.js";
import type { DType, Fits2, Matrix, SameDType } from "../shape/matrix.js";
import { dtypeOf } from "../shape/matrix.js";
import type { Floats } from "../kernels/elementwise.js";
import { checkFinite } from "./create.js";
import type { OutArg } from "./out.js";
import { dyn, result, sameDType } from "./out.js";

/** The second operand of an element-wise op: the first one's shape and element type, else a ShapeError. */
type Same<Op extends string, R extends number, C extends number, D extends DType, R2 extends number, C2 extends number, D2 extends DType> =
  Fits2<R2, C2, R, C, SameDType<Op, D, D2, Matrix<R2, C2, D2>>, ShapeError<SameShapeMessage<Op, R, C, R2, C2>>>;

/** The body shared by add, sub and hadamard: check both shapes (and out), then run the kernel. */
function elementwise<R extends number, C extends number, D extends DType>(
  op: string, kernel: (a: Floats, b: Floats, out: Floats) => void, a: unknown, b: unknown, out: unknown,
): Matrix<R, C, D> {
  const x = dyn(op, a), y = dyn(op, b);
  if (x.rows !== y.rows || x.cols !== y.cols) throw new ShapeError(sameShapeMessage(op, x.rows, x.cols, y.rows, y.cols));
  const o = result<R, C, D>(op, x.rows, x.cols, sameDType(op, x, y), out);
  kernel(x.data, y.data, o.data);
  return o;
}

/** `add(a, b)`: (R x C) + (R x C) -> R x C. */
export function add<
  R extends number, C extends number, R2 extends number, C2 extends number, D extends DType = "float64", D2 extends DType = D,
  R3 extends number = R, C3 extends number = C, D3 extends DType = D,
>(
  a: Matrix<R, C, D>, b: Same<"add", R, C, D, R2, C2, D2>, out?: OutArg<"add", R, C, D, R3, C3, D3>,
): Matrix<R, C, D> {
  return elementwise("add", addInto, a, b, out);
}

/** `sub(a, b)`: (R x C) - (R x C) -> R x C. */
export function sub<
  R extends number, C extends number, R2 extends number, C2 extends number, D extends DType = "float64", D2 extends DType = D,
  R3 extends number = R, C3 extends number = C, D3 extends DType = D,
>(
  a: Matrix<R, C, D>, b: Same<"sub", R, C, D, R2, C2, D2>, out?: OutArg<"sub", R, C, D, R3, C3, D3>,
): Matrix<R, C, D> {
  return elementwise("sub", subInto, a, b, out);
}

/** `hadamard(a, b)`: the element-wise product, (R x C) (.) (R x C) -> R x C. */
export function hadamard<
  R extends number, C extends number, R2 extends number, C2 extends number, D extends DType = "float64", D2 extends DType = D,
  R3 extends number = R, C3 extends number = C, D3 extends DType = D,
>(
  a: Matrix<R, C, D>, b: Same<"hadamard", R, C, D, R2, C2, D2>, out?: OutArg<"hadamard", R, C, D, R3, C3, D3>,
): Matrix<R, C, D> {
  return elementwise("hadamard", hadamardInto, a, b, out);
}

/** `scale(m, s)`: s times every entry, R x C -> R x C. */
export function scale<R extends number, C extends number, D extends DType = "float64", R3 extends number = R, C3 extends number = C, D3 extends DType = D>(
  m: Matrix<R, C, D>, s: number, out?: OutArg<"scale", R, C, D, R3, C3, D3>,
): Matrix<R, C, D> {
  const x = dyn("scale", m);
  checkFinite("scale", s, "the factor");
  const o = result<R, C, D>("scale", x.rows, x.cols, dtypeOf(x.data), out);
  scaleInto(x.data, s, o.data);
  return o;
}

/** `addBias(z, b)`: adds the column b to every column, (R x B) + (R x 1) -> R x B. */
export function addBias<
  R extends number, B extends number, R2 extends number, C2 extends number, D extends DType = "float64", D2 extends DType = D,
  R3 extends number = R, C3 extends number = B, D3 extends DType = D,
>(
  m: Matrix<R, B, D>,
  bias: Fits2<R2, C2, R, 1, SameDType<"addBias", D, D2, Matrix<R2, C2, D2>>, ShapeError<AddBiasMessage<R, B, R2, C2>>>,
  out?: OutArg<"addBias", R, B, D, R3, C3, D3>,
): Matrix<R, B, D> {
  const x = dyn("addBias", m), b = dyn("addBias", bias);
  if (b.rows !== x.rows || b.cols !== 1) throw new ShapeError(addBiasMessage(x.rows, x.cols, b.rows, b.cols));
  const o = result<R, B, D>("addBias", x.rows, x.cols, sameDType("addBias", x, b), out);
  addBiasInto(x.data, x.rows, x.cols, b.data, o.data);
  return o;
}

/** `sumColumns(delta)`: the sum of the columns, (R x B) -> R x 1. Backprop's bias gradient over a batch. */
export function sumColumns<R extends number, B extends number, D extends DType = "float64", R3 extends number = R, C3 extends number = 1, D3 extends DType = D>(
  m: Matrix<R, B, D>, out?: OutArg<"sumColumns", R, 1, D, R3, C3, D3>,
): Matrix<R, 1, D> {
  const x = dyn("sumColumns", m);
  const o = result<R, 1, D>("sumColumns", x.rows, 1, dtypeOf(x.data), out);
  sumColumnsInto(x.data, x.rows, x.cols, o.data);
  return o;
}

/** `map(m, f)`: f applied to every entry, R x C -> R x C. */
export function map<R extends number, C extends number, D extends DType = "float64", R3 extends number = R, C3 extends number = C, D3 extends DType = D>(
  m: Matrix<R, C, D>, f: (x: number) => number, out?: OutArg<"map", R, C, D, R3, C3, D3>,
): Matrix<R, C, D> {
  const x = dyn("map", m);
  if (typeof f !== "function") throw new TypeError(`map expects a function, got ${typeof f}`);
  const o = result<R, C, D>("map", x.rows, x.cols, dtypeOf(x.data), out);
  mapInto(x.data, f, o.data);
  return o;
}

