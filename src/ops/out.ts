/** The optional `out` argument shared by every op, and the checked view of an operand. */
import type { Dyn } from "../shape/dims.js";
import type { OutMessage } from "../shape/errors.js";
import { ShapeError, dtypeMessage, outMessage } from "../shape/errors.js";
import type { DType, Fits2, Matrix, MatrixLike, SameDType } from "../shape/matrix.js";
import { allocate, checkMatrix, dtypeOf, makeMatrix } from "../shape/matrix.js";

/**
 * The type an op's `out` argument is checked against: `Matrix<R2, C2, D2>` when it has the result's
 * shape R x C and element type D, else a ShapeError naming the op (`matmul expects out of shape
 * 3x5, got out 3x4`). R2, C2 and D2 are inferred from the argument (they default to R, C and D).
 */
export type OutArg<Op extends string, R extends number, C extends number, D extends DType, R2 extends number, C2 extends number, D2 extends DType> =
  Fits2<R2, C2, R, C, SameDType<Op, D, D2, Matrix<R2, C2, D2>>, ShapeError<OutMessage<Op, R, C, R2, C2>>>;

/**
 * Returns `out` when it is given, rows x cols and of element type `dtype` (throws a ShapeError
 * naming the op otherwise), or a new rows x cols matrix of that type. Ops pass the sizes of their
 * typed result, so the cast back to it is checked here at run time.
 */
export function result<R extends number, C extends number, D extends DType>(
  op: string, rows: number, cols: number, dtype: DType, out: unknown,
): Matrix<R, C, D> {
  if (out === undefined) {
    // rows, cols and dtype are the typed result's, computed by the calling op from its checked inputs.
    return makeMatrix(rows, cols, dtype, allocate(dtype, rows * cols)) as unknown as Matrix<R, C, D>;
  }
  checkMatrix(op, out);
  if (out.rows !== rows || out.cols !== cols) throw new ShapeError(outMessage(op, rows, cols, out.rows, out.cols));
  if (dtypeOf(out.data) !== dtype) throw new ShapeError(dtypeMessage(op, dtype, dtypeOf(out.data)));
  // Checked above: out has the result's shape and element type.
  return out as unknown as Matrix<R, C, D>;
}

/** Checks a plain-JavaScript argument and returns it with its sizes forgotten. */
export function dyn(op: string, m: unknown): Matrix<Dyn, Dyn, DType> {
  checkMatrix(op, m);
  return m;
}

/** Checks two operands and that they share an element type; returns that type. */
export function sameDType(op: string, a: MatrixLike, b: MatrixLike): DType {
  const d = dtypeOf(a.data), d2 = dtypeOf(b.data);
  if (d !== d2) throw new ShapeError(dtypeMessage(op, d, d2));
  return d;
}
