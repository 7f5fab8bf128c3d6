/**
 * The matrix type: a row-major Float64Array with its shape as two literal types.
 */
import type { Dyn, Size } from "./dims.js";
import { isSize, showShape } from "./dims.js";
import { ShapeError, shapeMessage, sizeMessage } from "./errors.js";

/**
 * An R x C matrix of float64 numbers stored row by row: element (i, j) is `data[i * cols + j]`.
 *
 * Both dimensions are invariant (`in out`): a `Matrix<3, 4>` is neither a `Matrix<3, 4 | 5>` nor a
 * `Matrix<number, 4>`, which closes the hole where TypeScript infers a shared dimension as a union
 * (`4 | 5`) and lets a 3x4 times 5x5 product compile.
 *
 * A column vector is `Matrix<N, 1>`; a batch of B examples is `Matrix<N, B>`, one example a column.
 */
export interface Matrix<in out R extends number, in out C extends number> {
  readonly rows: R;
  readonly cols: C;
  readonly data: Float64Array;
}

/** A matrix of any shape, for code that checks shapes at run time. */
export type AnyMatrix = Matrix<Dyn, Dyn>;
/** A column of any length (a bias, or one example). */
export type AnyColumn = Matrix<Dyn, 1>;

/**
 * `Fits<A, B, Ok, Err>`: Ok when A and B are the same size, else Err. Checked both ways, so `Dyn`
 * fits only `Dyn`. It must stay a top-level conditional on the type parameters: inside code generic
 * over a size (`B extends number`) it then resolves as far as it can instead of staying opaque.
 */
export type Fits<A extends number, B extends number, Ok, Err> = [A] extends [B] ? ([B] extends [A] ? Ok : Err) : Err;

/** `Fits2<R2, C2, R, C, Ok, Err>`: Ok when R2 x C2 is the shape R x C. */
export type Fits2<R2 extends number, C2 extends number, R extends number, C extends number, Ok, Err> =
  [R2, C2] extends [R, C] ? ([R, C] extends [R2, C2] ? Ok : Err) : Err;

/**
 * Builds a matrix from checked sizes. The one place where a run-time number becomes a dimension
 * type: callers have checked `rows`/`cols` (literal at compile time, or `Dyn` by `Size<>`).
 */
export function makeMatrix<R extends number, C extends number>(rows: R, cols: C, data: Float64Array): Matrix<Size<R>, Size<C>> {
  // Size<R> is R itself for a literal and Dyn for `number`; a run-time number is both. TypeScript
  // cannot prove a value of type R inhabits the conditional Size<R>, hence this cast
  // (covered by test-d/create.test-d.ts and test/create.test.ts).
  return { rows, cols, data } as unknown as Matrix<Size<R>, Size<C>>;
}

/** Throws unless n is a whole number of 1 or more; names the op. */
export function checkSize(op: string, n: unknown): void {
  if (!isSize(n)) throw new ShapeError(sizeMessage(op, typeof n === "number" ? n : Number.NaN));
}

/** Throws unless m is a well-formed matrix (right object, sizes, data length). For plain-JS callers. */
export function checkMatrix(op: string, m: unknown): asserts m is AnyMatrix {
  const ok = typeof m === "object" && m !== null && "rows" in m && "cols" in m && "data" in m;
  if (!ok) throw new ShapeError(shapeMessage(op, "a Matrix", m === null ? "null" : typeof m));
  const { rows, cols, data } = m as { rows: unknown; cols: unknown; data: unknown };
  checkSize(op, rows);
  checkSize(op, cols);
  if (!(data instanceof Float64Array) || data.length !== (rows as number) * (cols as number)) {
    const len = data instanceof Float64Array ? data.length : typeof data;
    throw new ShapeError(shapeMessage(op, `a Float64Array of ${showShape(rows as number, cols as number)} numbers`, `${len}`));
  }
}
