/**
 * The matrix type: a row-major Float64Array (or Float32Array) with its shape as two literal types.
 */
import type { Dyn, OneSize } from "./dims.js";
import { describe, isSize, showShape } from "./dims.js";
import type { DTypeMessage } from "./errors.js";
import { ShapeError, dtypeMessage, shapeMessage, sizeMessage } from "./errors.js";

/** The element type of a matrix: 64-bit floats (the default) or 32-bit floats. */
export type DType = "float64" | "float32";

/** The typed array behind a matrix of element type D: `DataOf<"float32">` is `Float32Array`. */
export type DataOf<D extends DType> = D extends "float32" ? Float32Array : Float64Array;

declare const matrixBrand: unique symbol;

/**
 * An R x C matrix stored row by row: element (i, j) is `data[i * cols + j]`; `data` is a
 * Float64Array, or a Float32Array when D is "float32".
 *
 * Both dimensions and the element type are invariant (`in out`): a `Matrix<3, 4>` is neither a
 * `Matrix<3, 4 | 5>` nor a `Matrix<number, 4>`, which closes the hole where TypeScript infers a
 * shared dimension as a union (`4 | 5`) and lets a 3x4 times 5x5 product compile.
 *
 * The brand (a property under a symbol this module does not export) does two things: only the
 * library can make a `Matrix` (a plain object with rows, cols and data is not one), and it carries
 * the invariance to types built from a matrix's properties (`Omit<Matrix<3, 4>, "cols">` keeps a
 * brand typed by 3 and 4, so it still is not a `Matrix<3, 4 | 5>`).
 *
 * A column vector is `Matrix<N, 1>`; a batch of B examples is `Matrix<N, B>`, one example a column.
 */
export interface Matrix<in out R extends number, in out C extends number, in out D extends DType = "float64"> {
  readonly rows: R;
  readonly cols: C;
  readonly dtype: D;
  readonly data: DataOf<D>;
  /** Type-only (no such property exists at run time): see the interface's comment. */
  readonly [matrixBrand]: (rows: R, cols: C, dtype: D) => [R, C, D];
}

/** A matrix of any shape, for code that checks shapes at run time. */
export type AnyMatrix<D extends DType = "float64"> = Matrix<Dyn, Dyn, D>;
/** A column of any length (a bias, or one example). */
export type AnyColumn<D extends DType = "float64"> = Matrix<Dyn, 1, D>;

/** What every matrix is, structurally, whatever its sizes (used as a constraint: `M extends MatrixLike`). */
export interface MatrixLike {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float64Array | Float32Array;
}

/**
 * `Fits<A, B, Ok, Err>`: Ok when A and B are the same size, else Err. Checked both ways, so `Dyn`
 * fits only `Dyn`. It must stay a top-level conditional on the type parameters: inside code generic
 * over a size (`B extends number`) it then resolves as far as it can instead of staying opaque.
 */
export type Fits<A extends number, B extends number, Ok, Err> = [A] extends [B] ? ([B] extends [A] ? Ok & OneSize<A, UnionError<Err>> : Err) : Err;

/**
 * The error of a comparison between two equal unions of sizes (`3 | 4` against `3 | 4`, each from a
 * caller's generic function given `flag ? 3 : 4`): they may hold different sizes at run time. The
 * op's name is read from its own message.
 */
export type UnionError<Err> = Err extends ShapeError<`${infer Op} expects ${string}`>
  ? ShapeError<`${Op} expects each size to be one number (write a plain number for a size known at run time, Dyn), got a union of sizes`>
  : Err;

/**
 * `Same<A, B, Ok, Err>`: Ok when A and B are the same size, like `Fits`, but written over object
 * types, which TypeScript resolves at once even when A and B are one type parameter (it keeps a
 * comparison of tuples `[A] extends [B]` unresolved then). For checks whose result is read again by
 * other types (the layer laws of `sequential`), where an unresolved answer would stay unresolved.
 */
export type Same<A, B, Ok, Err> = { readonly n: A } extends { readonly n: B } ? ({ readonly n: B } extends { readonly n: A } ? Ok : Err) : Err;

/** `Fits2<R2, C2, R, C, Ok, Err>`: Ok when R2 x C2 is the shape R x C. */
export type Fits2<R2 extends number, C2 extends number, R extends number, C extends number, Ok, Err> =
  [R2, C2] extends [R, C] ? ([R, C] extends [R2, C2] ? Ok & OneSize<R2, UnionError<Err>> & OneSize<C2, UnionError<Err>> : Err) : Err;

/** `SameDType<Op, D, D2, Ok>`: Ok when D2 is D, else a ShapeError saying the element types differ. */
export type SameDType<Op extends string, D extends DType, D2 extends DType, Ok> =
  [D2] extends [D] ? ([D] extends [D2] ? Ok : ShapeError<DTypeMessage<Op, D, D2>>) : ShapeError<DTypeMessage<Op, D, D2>>;

/** The element type of a typed array at run time. */
export function dtypeOf(data: Float64Array | Float32Array): DType {
  return data instanceof Float32Array ? "float32" : "float64";
}

/** A new zero-filled array of n elements of type `dtype`. */
export function allocate<D extends DType>(dtype: D, n: number): DataOf<D> {
  // DataOf<D> is Float32Array exactly when D is "float32"; a run-time branch cannot narrow D itself.
  return (dtype === "float32" ? new Float32Array(n) : new Float64Array(n)) as DataOf<D>;
}

/**
 * Builds a matrix from checked sizes: the one place where a matrix object is made, so the only
 * place the brand is asserted. Callers have checked `rows` and `cols` and sized `data`.
 */
export function makeMatrix<R extends number, C extends number, D extends DType>(rows: R, cols: C, dtype: D, data: DataOf<D>): Matrix<R, C, D> {
  // The brand is type-only: the object has rows, cols, dtype and data, which is all a Matrix holds
  // at run time (test-d/matrix.test-d.ts checks that nothing else can produce the type).
  return { rows, cols, dtype, data } as unknown as Matrix<R, C, D>;
}

/** Throws unless n is a whole number of 1 or more; names the op and what it got ("got string '3'"). */
export function checkSize(op: string, n: unknown): asserts n is number {
  if (isSize(n)) return;
  if (typeof n !== "number") throw new ShapeError(shapeMessage(op, "a size (a whole number of 1 or more)", describe(n)));
  throw new ShapeError(sizeMessage(op, n));
}

/** Throws unless m is a well-formed matrix (an object with sizes, a typed array of the right length and dtype). For plain-JS callers. */
export function checkMatrix(op: string, m: unknown): asserts m is AnyMatrix<DType> {
  const ok = typeof m === "object" && m !== null && "rows" in m && "cols" in m && "data" in m;
  if (!ok) throw new ShapeError(shapeMessage(op, "a Matrix", describe(m)));
  const { rows, cols, data, dtype } = m as { rows: unknown; cols: unknown; data: unknown; dtype?: unknown };
  checkSize(op, rows);
  checkSize(op, cols);
  const typed = data instanceof Float64Array || data instanceof Float32Array;
  if (!typed || data.length !== (rows as number) * (cols as number)) {
    const len = typed ? `${data.length} numbers` : describe(data);
    throw new ShapeError(shapeMessage(op, `a Float64Array or Float32Array of ${showShape(rows as number, cols as number)} numbers`, len));
  }
  if (dtype !== undefined && dtype !== dtypeOf(data)) throw new ShapeError(dtypeMessage(op, String(dtype), dtypeOf(data)));
}

/** Throws unless every matrix in `ms` has the element type of the first (no mixing float32 and float64 in one op). */
export function checkSameDType(op: string, first: MatrixLike, ...rest: readonly MatrixLike[]): void {
  const want = dtypeOf(first.data);
  for (const m of rest) {
    const got = dtypeOf(m.data);
    if (got !== want) throw new ShapeError(dtypeMessage(op, want, got));
  }
}
