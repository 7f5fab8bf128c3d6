/**
 * Ops whose result shape needs arithmetic on dimensions: `flatten`, `reshape`, `vcat`, `hcat`.
 * The sizes are computed by the digit-by-digit `Add` and `Mul` types (exact up to 2^53).
 */
import type { Add, Mul } from "../shape/arithmetic.js";
import type { Dyn } from "../shape/dims.js";
import type { ConcatMessage, ReshapeMessage } from "../shape/errors.js";
import { ShapeError, concatMessage, reshapeMessage } from "../shape/errors.js";
import type { Fits, Matrix } from "../shape/matrix.js";
import { checkSize } from "../shape/matrix.js";
import type { SizeArg } from "./create.js";
import { dyn, result } from "./out.js";

/** `flatten(m)`: the rows one after another as a column, R x C -> (R*C) x 1. `flatten(zeros(28, 28))` is `Matrix<784, 1>`. */
export function flatten<R extends number, C extends number>(m: Matrix<R, C>, out?: Matrix<NoInfer<Mul<R, C>>, 1>): Matrix<Mul<R, C>, 1> {
  const x = dyn("flatten", m);
  const o = result("flatten", x.rows * x.cols, 1, out);
  o.data.set(x.data);
  return o;
}

/**
 * `reshape(m, rows, cols)`: the same numbers in row-major order as rows x cols. Compiles only when
 * rows x cols equals the element count: `reshape(zeros(784, 1), 28, 28)` is `Matrix<28, 28>`.
 * A matrix of run-time shape reshapes to literal sizes after a run-time check of the count.
 */
export function reshape<R extends number, C extends number, R2 extends number, C2 extends number>(
  m: Matrix<R, C>,
  rows: SizeArg<R2, "reshape">,
  cols: Mul<R, C> extends Dyn // a run-time count is checked at run time (and the result's shape is exactly rows x cols)
    ? SizeArg<C2, "reshape">
    : Fits<Mul<R2, C2>, Mul<R, C>, SizeArg<C2, "reshape">, ShapeError<ReshapeMessage<Mul<R, C>, R, C, R2, C2, Mul<R2, C2>>>>,
  out?: Matrix<NoInfer<R2>, NoInfer<C2>>,
): Matrix<R2, C2> {
  const x = dyn("reshape", m);
  const r = rows as number, c = cols as number;
  checkSize("reshape", r);
  checkSize("reshape", c);
  if (r * c !== x.rows * x.cols) throw new ShapeError(reshapeMessage(x.rows * x.cols, x.rows, x.cols, r, c, r * c));
  const o = result("reshape", r, c, out);
  o.data.set(x.data);
  return o;
}

/** `vcat(a, b)`: b's rows below a's, (R1 x C) over (R2 x C) -> (R1 + R2) x C. */
export function vcat<R extends number, C extends number, R2 extends number, C2 extends number>(
  a: Matrix<R, C>,
  b: Fits<C2, C, Matrix<R2, C2>, ShapeError<ConcatMessage<"vcat", "columns", C, R, C, R2, C2>>>,
  out?: Matrix<NoInfer<Add<R, R2>>, NoInfer<C>>,
): Matrix<Add<R, R2>, C> {
  const x = dyn("vcat", a), y = dyn("vcat", b);
  if (x.cols !== y.cols) throw new ShapeError(concatMessage("vcat", "columns", x.cols, x.rows, x.cols, y.rows, y.cols));
  const o = result("vcat", x.rows + y.rows, x.cols, out);
  o.data.set(x.data);
  o.data.set(y.data, x.data.length);
  return o;
}

/** `hcat(a, b)`: b's columns right of a's, (R x C1) beside (R x C2) -> R x (C1 + C2). */
export function hcat<R extends number, C extends number, R2 extends number, C2 extends number>(
  a: Matrix<R, C>,
  b: Fits<R2, R, Matrix<R2, C2>, ShapeError<ConcatMessage<"hcat", "rows", R, R, C, R2, C2>>>,
  out?: Matrix<NoInfer<R>, NoInfer<Add<C, C2>>>,
): Matrix<R, Add<C, C2>> {
  const x = dyn("hcat", a), y = dyn("hcat", b);
  if (x.rows !== y.rows) throw new ShapeError(concatMessage("hcat", "rows", x.rows, x.rows, x.cols, y.rows, y.cols));
  const width = x.cols + y.cols;
  const o = result("hcat", x.rows, width, out);
  for (let i = 0; i < x.rows; i++) {
    o.data.set(x.data.subarray(i * x.cols, (i + 1) * x.cols), i * width);
    o.data.set(y.data.subarray(i * y.cols, (i + 1) * y.cols), i * width + x.cols);
  }
  return o;
}
