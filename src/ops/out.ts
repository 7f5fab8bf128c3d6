/** The optional `out` argument shared by every op: check it, or allocate the result. */
import type { Dyn } from "../shape/dims.js";
import { ShapeError, outMessage } from "../shape/errors.js";
import type { Matrix } from "../shape/matrix.js";
import { checkMatrix } from "../shape/matrix.js";

/**
 * Returns `out` when it is given and rows x cols (throws a ShapeError naming the op otherwise),
 * or a new rows x cols matrix. Ops pass the sizes of their typed result, so the cast back to it
 * is checked here at run time.
 */
export function result<R extends number, C extends number>(op: string, rows: number, cols: number, out: Matrix<R, C> | undefined): Matrix<R, C> {
  if (out === undefined) {
    // rows and cols are the typed result's sizes, computed by the calling op from its checked inputs.
    return { rows, cols, data: new Float64Array(rows * cols) } as unknown as Matrix<R, C>;
  }
  checkMatrix(op, out);
  if (out.rows !== rows || out.cols !== cols) throw new ShapeError(outMessage(op, rows, cols, out.rows, out.cols));
  return out;
}

/** Checks a plain-JavaScript argument and returns it with its sizes forgotten. */
export function dyn(op: string, m: unknown): Matrix<Dyn, Dyn> {
  checkMatrix(op, m);
  return m;
}
