/**
 * Ops whose result shape needs arithmetic on dimensions: `flatten`, `reshape`, `vcat`, `hcat`.
 * The sizes are computed by the digit-by-digit `Add` and `Mul` types (exact up to 2^53).
 */
import type { Add, Mul } from "../shape/arithmetic.js";
import type { Dyn, SizeArg } from "../shape/dims.js";
import type { ConcatMessage, ReshapeMessage } from "../shape/errors.js";
import { ShapeError, concatMessage, reshapeMessage } from "../shape/errors.js";
import type { DType, Fits, Matrix, SameDType } from "../shape/matrix.js";
import { checkSize, dtypeOf } from "../shape/matrix.js";
import type { OutArg } from "./out.js";
import { dyn, result, sameDType } from "./out.js";

/** `flatten(m)`: the rows one after another as a column, R x C -> (R*C) x 1. `flatten(zeros(28, 28))` is `Matrix<784, 1>`. */
export function flatten<R extends number, C extends number, D extends DType = "float64", R3 extends number = Mul<R, C>, C3 extends number = 1, D3 extends DType = D>(
  m: Matrix<R, C, D>, out?: OutArg<"flatten", Mul<R, C>, 1, D, R3, C3, D3>,
): Matrix<Mul<R, C>, 1, D> {
  const x = dyn("flatten", m);
  const o = result<Mul<R, C>, 1, D>("flatten", x.rows * x.cols, 1, dtypeOf(x.data), out);
  o.data.set(x.data);
  return o;
}

/**
 * `reshape(m, rows, cols)`: the same numbers in row-major order as rows x cols. Compiles only when
 * rows x cols equals the element count: `reshape(zeros(784, 1), 28, 28)` is `Matrix<28, 28>`.
 * A matrix of run-time shape reshapes to literal sizes after a run-time check of the count.
 */
export function reshape<R extends number, C extends number, R2 extends number, C2 extends number, D extends DType = "float64", R3 extends number = R2, C3 extends number = C2, D3 extends DType = D>(
  m: Matrix<R, C, D>,
  rows: SizeArg<R2, "reshape">,
  cols: number extends Mul<R, C> // a run-time count is checked at run time (and the result's shape is exactly rows x cols)
    ? SizeArg<C2, "reshape">
    : Fits<Mul<R2, C2>, Mul<R, C>, SizeArg<C2, "reshape">, ShapeError<ReshapeMessage<Mul<R, C>, R, C, R2, C2, Mul<R2, C2>>>>,
  out?: OutArg<"reshape", R2, C2, D, R3, C3, D3>,
): Matrix<R2, C2, D> {
  const x = dyn("reshape", m);
  const r: unknown = rows, c: unknown = cols;
  checkSize("reshape", r);
  checkSize("reshape", c);
  const rc = (r as number) * (c as number);
  if (rc !== x.rows * x.cols) throw new ShapeError(reshapeMessage(x.rows * x.cols, x.rows, x.cols, r as number, c as number, rc));
  const o = result<R2, C2, D>("reshape", r as number, c as number, dtypeOf(x.data), out);
  o.data.set(x.data);
  return o;
}

/** `vcat(a, b)`: b's rows below a's, (R1 x C) over (R2 x C) -> (R1 + R2) x C. */
export function vcat<
  R extends number, C extends number, R2 extends number, C2 extends number, D extends DType = "float64", D2 extends DType = D,
  R3 extends number = Add<R, R2>, C3 extends number = C, D3 extends DType = D,
>(
  a: Matrix<R, C, D>,
  b: Fits<C2, C, SameDType<"vcat", D, D2, Matrix<R2, C2, D2>>, ShapeError<ConcatMessage<"vcat", "columns", C, R, C, R2, C2>>>,
  out?: OutArg<"vcat", Add<R, R2>, C, D, R3, C3, D3>,
): Matrix<Add<R, R2>, C, D> {
  const x = dyn("vcat", a), y = dyn("vcat", b);
  if (x.cols !== y.cols) throw new ShapeError(concatMessage("vcat", "columns", x.cols, x.rows, x.cols, y.rows, y.cols));
  const o = result<Add<R, R2>, C, D>("vcat", x.rows + y.rows, x.cols, sameDType("vcat", x, y), out);
  o.data.set(x.data);
  o.data.set(y.data, x.data.length);
  return o;
}

/** `hcat(a, b)`: b's columns right of a's, (R x C1) beside (R x C2) -> R x (C1 + C2). */
export function hcat<
  R extends number, C extends number, R2 extends number, C2 extends number, D extends DType = "float64", D2 extends DType = D,
  R3 extends number = R, C3 extends number = Add<C, C2>, D3 extends DType = D,
>(
  a: Matrix<R, C, D>,
  b: Fits<R2, R, SameDType<"hcat", D, D2, Matrix<R2, C2, D2>>, ShapeError<ConcatMessage<"hcat", "rows", R, R, C, R2, C2>>>,
  out?: OutArg<"hcat", R, Add<C, C2>, D, R3, C3, D3>,
): Matrix<R, Add<C, C2>, D> {
  const x = dyn("hcat", a), y = dyn("hcat", b);
  if (x.rows !== y.rows) throw new ShapeError(concatMessage("hcat", "rows", x.rows, x.rows, x.cols, y.rows, y.cols));
  const width = x.cols + y.cols;
  const o = result<R, Add<C, C2>, D>("hcat", x.rows, width, sameDType("hcat", x, y), out);
  for (let i = 0; i < x.rows; i++) {
    o.data.set(x.data.subarray(i * x.cols, (i + 1) * x.cols), i * width);
    o.data.set(y.data.subarray(i * y.cols, (i + 1) * y.cols), i * width + x.cols);
  }
  return o;
}
