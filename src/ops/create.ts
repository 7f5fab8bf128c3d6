/**
 * Making matrices. Sizes given as literals become literal types (`zeros(3, 4)` is `Matrix<3, 4>`,
 * no `as const` needed); a size typed `number` stays `number` (Dyn: checked at run time, and not
 * usable where a literal size is expected until `assertShape` narrows it); a size that is a type
 * parameter stays that parameter (`zeros(n, 3)` with `n: N` is `Matrix<N, 3>`). A literal that cannot
 * be a size (`0`, `-1`, `2.5`) or a union of sizes (`flag ? 3 : 4`) does not compile.
 *
 * Every constructor takes an optional element type last: `zeros(3, 4, "float32")` is
 * `Matrix<3, 4, "float32">` over a Float32Array; the default is "float64".
 */
import type { Dyn, SizeArg } from "../shape/dims.js";
import { describe, showShape } from "../shape/dims.js";
import type { ExpectShapeMessage, ShapeMessage } from "../shape/errors.js";
import { ShapeError, expectShapeMessage, shapeMessage } from "../shape/errors.js";
import type { DType, DataOf, Fits, Matrix, MatrixLike } from "../shape/matrix.js";
import { allocate, checkMatrix, checkSize, dtypeOf, makeMatrix } from "../shape/matrix.js";
import type { Rng } from "./random.js";
import { rng as rngOf } from "./random.js";
import { allFinite } from "../kernels/elementwise.js";

export type { SizeArg } from "../shape/dims.js";

/** Throws unless `dtype` is "float64" or "float32" (plain-JavaScript callers). */
export function checkDType(op: string, dtype: unknown): DType {
  if (dtype === "float64" || dtype === "float32") return dtype;
  throw new TypeError(`${op} expects dtype "float64" or "float32", got ${describe(dtype)}`);
}

function alloc<R extends number, C extends number, D extends DType>(op: string, rows: R, cols: C, dtype: D | undefined): Matrix<R, C, D> {
  checkSize(op, rows);
  checkSize(op, cols);
  // checkDType returns dtype itself, or "float64" when omitted, which is D's default.
  const d = checkDType(op, dtype ?? "float64") as D;
  return makeMatrix(rows, cols, d, allocate(d, rows * cols));
}

/** `zeros(3, 4)`: a 3x4 matrix of zeros. */
export function zeros<R extends number, C extends number, D extends DType = "float64">(
  rows: SizeArg<R, "zeros">, cols: SizeArg<C, "zeros">, dtype?: D,
): Matrix<R, C, D> {
  return alloc("zeros", rows as R, cols as C, dtype);
}

/** `ones(3, 4)`: a 3x4 matrix of ones. */
export function ones<R extends number, C extends number, D extends DType = "float64">(
  rows: SizeArg<R, "ones">, cols: SizeArg<C, "ones">, dtype?: D,
): Matrix<R, C, D> {
  const m = alloc("ones", rows as R, cols as C, dtype);
  m.data.fill(1);
  return m;
}

/** `fill(3, 4, 0.5)`: a 3x4 matrix whose every entry is 0.5. */
export function fill<R extends number, C extends number, D extends DType = "float64">(
  rows: SizeArg<R, "fill">, cols: SizeArg<C, "fill">, value: number, dtype?: D,
): Matrix<R, C, D> {
  checkFinite("fill", value);
  const m = alloc("fill", rows as R, cols as C, dtype);
  m.data.fill(value);
  return m;
}

/** `identity(3)`: the 3x3 identity matrix. */
export function identity<N extends number, D extends DType = "float64">(n: SizeArg<N, "identity">, dtype?: D): Matrix<N, N, D> {
  const m = alloc("identity", n as N, n as N, dtype);
  for (let i = 0; i < (n as number); i++) m.data[i * (n as number) + i] = 1;
  return m;
}

/** Row count of a literal array of rows: `RowsOf<[[1, 2], [3, 4], [5, 6]]>` is 3. */
export type RowsOf<T extends readonly (readonly number[])[]> = T["length"];
/** Column count of a literal array of rows; `Dyn` when the rows' lengths are unknown or differ. */
export type ColsOf<T extends readonly (readonly number[])[]> = [T[number]["length"]] extends [infer L extends number]
  ? IsUnionOf<L> extends true ? Dyn : L
  : Dyn;
type IsUnionOf<T, U = T> = T extends unknown ? ([U] extends [T] ? false : true) : never;

/**
 * An array literal with no element (`[]`) cannot be a matrix. The error types below are written out
 * (`ShapeError<ShapeMessage<...>>`) rather than through a local alias, which an error message would
 * print by its name (`Empty<"vector", "number">`) instead of the text.
 */

/** The `rows` argument of `fromRows`: rows of one length, at least one of them, at least one number each. */
export type RowsArg<T extends readonly (readonly number[])[]> = [T] extends [readonly []]
  ? ShapeError<ShapeMessage<"fromRows", "at least one row", "none">>
  : IsUnionOf<T[number]["length"]> extends true ? ShapeError<"fromRows expects rows of one length, got rows of different lengths">
  : [T[number]] extends [readonly []] ? ShapeError<ShapeMessage<"fromRows", "at least one number in each row", "none">> : T;

/** `fromRows([[1, 2, 3], [4, 5, 6]])`: a `Matrix<2, 3>`. Ragged or empty rows throw (and, for literals, do not compile). */
export function fromRows<const T extends readonly (readonly number[])[], D extends DType = "float64">(rows: RowsArg<T>, dtype?: D): Matrix<RowsOf<T>, ColsOf<T>, D> {
  const list: unknown = rows;
  if (!Array.isArray(list) || list.length === 0) throw new ShapeError(shapeMessage("fromRows", "at least one row", Array.isArray(list) ? "none" : describe(list)));
  const first: unknown = list[0];
  if (!Array.isArray(first)) throw new ShapeError(shapeMessage("fromRows", "an array of rows (arrays of numbers)", `${describe(first)} in row 0`));
  const width = first.length;
  checkSize("fromRows", width);
  const d = checkDType("fromRows", dtype ?? "float64");
  const data = allocate(d, list.length * width);
  list.forEach((row: unknown, i) => {
    if (!Array.isArray(row) || row.length !== width) {
      throw new ShapeError(shapeMessage("fromRows", `every row to have ${width} numbers`, `${Array.isArray(row) ? row.length : describe(row)} in row ${i}`));
    }
    row.forEach((v: unknown, j) => {
      checkFinite("fromRows", v, `row ${i} column ${j}`);
      data[i * width + j] = v as number;
    });
  });
  // list.length and width are the run-time values of RowsOf<T> and ColsOf<T> (every row was checked
  // to hold `width` numbers); the conditional types cannot be proven from values.
  return makeMatrix(list.length, width, d, data) as unknown as Matrix<RowsOf<T>, ColsOf<T>, D>;
}

/**
 * `fromExamples([[0, 1], [1, 0], [1, 1]])`: examples written one per row (as TensorFlow.js and
 * brain.js users hold them), as the column batch the networks take: `Matrix<2, 3>`, features x
 * examples, example j in column j. Prefer it to `fromRows` for data: a square batch passed with
 * `fromRows` (4 examples of 4 features) has a shape no check can tell from the right one.
 */
export function fromExamples<const T extends readonly (readonly number[])[], D extends DType = "float64">(
  examples: RowsArg<T>, dtype?: D,
): Matrix<ColsOf<T>, RowsOf<T>, D> {
  const rows = fromRows(examples as RowsArg<T>, dtype);
  const out = allocate(dtypeOf(rows.data), rows.data.length);
  for (let j = 0; j < rows.rows; j++) for (let i = 0; i < rows.cols; i++) out[i * rows.rows + j] = rows.data[j * rows.cols + i]!;
  // The transpose of fromRows's RowsOf<T> x ColsOf<T> matrix.
  return makeMatrix(rows.cols, rows.rows, dtypeOf(out), out) as unknown as Matrix<ColsOf<T>, RowsOf<T>, D>;
}

/** The `values` argument of `vector`: at least one number. */
export type ValuesArg<T extends readonly number[]> = [T] extends [readonly []] ? ShapeError<ShapeMessage<"vector", "at least one number", "none">> : T;

/** `vector([1, 2, 3])`: a column vector, `Matrix<3, 1>`. */
export function vector<const T extends readonly number[], D extends DType = "float64">(values: ValuesArg<T>, dtype?: D): Matrix<T["length"], 1, D> {
  const list: unknown = values;
  if (!Array.isArray(list) || list.length === 0) throw new ShapeError(shapeMessage("vector", "at least one number", Array.isArray(list) ? "none" : describe(list)));
  const d = checkDType("vector", dtype ?? "float64");
  const data = allocate(d, list.length);
  list.forEach((v: unknown, i) => {
    checkFinite("vector", v, `index ${i}`);
    data[i] = v as number;
  });
  // list.length is the run-time value of T["length"].
  return makeMatrix(list.length, 1 as const, d, data) as unknown as Matrix<T["length"], 1, D>;
}

/** The element type a `fromArray` call gets from its data: float32 for a Float32Array, else float64 unless said. */
export type DTypeOfData<A> = A extends Float32Array ? "float32" : "float64";

/**
 * `fromArray(data, 3, 4)`: a 3x4 matrix over row-major data. A Float64Array (or Float32Array) is
 * used as is and gives a float64 (float32) matrix; a number array is copied into a Float64Array.
 * The length must be rows x cols; NaN and Infinity are rejected.
 */
export function fromArray<R extends number, C extends number, A extends ArrayLike<number>>(
  data: A, rows: SizeArg<R, "fromArray">, cols: SizeArg<C, "fromArray">,
): Matrix<R, C, DTypeOfData<A>> {
  const r: unknown = rows, c: unknown = cols;
  checkSize("fromArray", r);
  checkSize("fromArray", c);
  const n = (r as number) * (c as number);
  if (data == null || typeof data.length !== "number" || data.length !== n) {
    throw new ShapeError(shapeMessage("fromArray", `data of length ${n} (${showShape(r as number, c as number)})`, data == null || typeof data.length !== "number" ? describe(data) : `${data.length}`));
  }
  const values: Float64Array | Float32Array = data instanceof Float64Array || data instanceof Float32Array ? data : Float64Array.from(data, (v, i) => {
    checkFinite("fromArray", v, `index ${i}`);
    return v;
  });
  checkAllFinite("fromArray", values);
  // values is a Float32Array exactly when A is one, which is what DTypeOfData<A> says.
  return makeMatrix(rows as R, cols as C, dtypeOf(values) as DTypeOfData<A>, values as DataOf<DTypeOfData<A>>);
}

/** `toRows(m)`: the matrix as an array of row arrays (a copy). */
export function toRows<R extends number, C extends number, D extends DType>(m: Matrix<R, C, D>): number[][] {
  checkMatrix("toRows", m);
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}

/** `toDType(m, "float32")`: the same numbers in the other element type (a copy; float32 rounds to about 7 digits). */
export function toDType<R extends number, C extends number, D extends DType, D2 extends DType>(m: Matrix<R, C, D>, dtype: D2): Matrix<R, C, D2> {
  checkMatrix("toDType", m);
  const d = checkDType("toDType", dtype) as D2;
  const data = allocate(d, m.data.length);
  data.set(m.data);
  // Same sizes as m (checked above, so its rows and cols are R and C).
  return makeMatrix(m.rows, m.cols, d, data) as unknown as Matrix<R, C, D2>;
}

/** Options of the random constructors. */
export interface RandomOptions {
  /** The random source; required so that results are reproducible. */
  readonly rng: Rng;
}

/** Where random numbers come from: an `Rng`, a seed, or options holding an `rng`. */
export type RandomSource<Extra> = Rng | number | (RandomOptions & Extra);

function sourceOf<Extra>(op: string, source: RandomSource<Extra>): { rng: Rng; options: Partial<Extra> } {
  if (typeof source === "number") {
    if (!Number.isFinite(source)) throw new TypeError(`${op} expects a finite seed, got ${describe(source)}`);
    return { rng: rngOf(source), options: {} };
  }
  if (typeof source === "function") return { rng: source, options: {} };
  if (typeof source !== "object" || source === null || typeof (source as { rng?: unknown }).rng !== "function") {
    throw new TypeError(`${op} expects an rng, a seed (a number) or { rng }, got ${describe(source)}`);
  }
  return { rng: source.rng, options: source };
}

/** `randomNormal(3, 4, { rng, mean: 0, std: 1 })` (or `randomNormal(3, 4, rng(1))`, `randomNormal(3, 4, 1)`): entries drawn from N(mean, std^2). */
export function randomNormal<R extends number, C extends number>(
  rows: SizeArg<R, "randomNormal">, cols: SizeArg<C, "randomNormal">,
  source: RandomSource<{ readonly mean?: number; readonly std?: number }>,
): Matrix<R, C> {
  const { rng: random, options } = sourceOf("randomNormal", source);
  const mean = options.mean ?? 0, std = options.std ?? 1;
  checkFinite("randomNormal", mean, "mean");
  checkFinite("randomNormal", std, "std");
  const m = alloc("randomNormal", rows as R, cols as C, "float64");
  for (let i = 0; i < m.data.length; i++) m.data[i] = mean + std * random.normal();
  return m;
}

/** `randomUniform(3, 4, { rng, low: -1, high: 1 })` (or with an `Rng` or a seed, in [0, 1)): entries uniform in [low, high). */
export function randomUniform<R extends number, C extends number>(
  rows: SizeArg<R, "randomUniform">, cols: SizeArg<C, "randomUniform">,
  source: RandomSource<{ readonly low?: number; readonly high?: number }>,
): Matrix<R, C> {
  const { rng: random, options } = sourceOf("randomUniform", source);
  const low = options.low ?? 0, high = options.high ?? 1;
  checkFinite("randomUniform", low, "low");
  checkFinite("randomUniform", high, "high");
  const m = alloc("randomUniform", rows as R, cols as C, "float64");
  for (let i = 0; i < m.data.length; i++) m.data[i] = low + (high - low) * random.next();
  return m;
}

/**
 * The `rows` (or `cols`) argument of `assertShape`: a size, which must agree with the matrix's own
 * size when that is a literal (`assertShape(zeros(3, 4), 4, 3)` always throws, so it does not
 * compile). A `Dyn` or generic size is what assertShape is for: it is checked at run time.
 */
export type ExpectArg<N extends number, Have extends number, Op extends string, R extends number, C extends number, R0 extends number, C0 extends number> =
  number extends Have
    ? SizeArg<N, Op>
    : {
        readonly [literal: `${bigint}`]: Fits<N, Have, SizeArg<N, Op>, ShapeError<ExpectShapeMessage<Op, R, C, R0, C0>>>;
        readonly [generic: string]: unknown;
      }[`${Have}`];

/**
 * `assertShape(m, 3, 4)`: narrows a matrix of run-time shape (`Matrix<Dyn, Dyn>`) to `Matrix<3, 4>`,
 * throwing a ShapeError when it is not 3x4. The only way from `Dyn` to a literal size.
 */
export function assertShape<R extends number, C extends number, R0 extends number, C0 extends number, D extends DType>(
  m: Matrix<R0, C0, D>,
  rows: ExpectArg<R, R0, "assertShape", R, C, R0, C0>, cols: ExpectArg<C, C0, "assertShape", R, C, R0, C0>,
): Matrix<R, C, D> {
  checkMatrix("assertShape", m);
  const r: unknown = rows, c: unknown = cols;
  checkSize("assertShape", r);
  checkSize("assertShape", c);
  if (m.rows !== r || m.cols !== c) throw new ShapeError(expectShapeMessage("assertShape", r as number, c as number, m.rows, m.cols));
  // Checked on the line above: the run-time shape equals the requested sizes.
  return m as unknown as Matrix<R, C, D>;
}

/** `widen(m)`: forgets a matrix's literal sizes on purpose (`Matrix<3, 4>` to `Matrix<Dyn, Dyn>`). */
export function widen<R extends number, C extends number, D extends DType = "float64">(m: Matrix<R, C, D>): Matrix<Dyn, Dyn, D> {
  // Dimensions are invariant, so widening needs a cast; Dyn sizes are checked at run time by every op.
  return m as unknown as Matrix<Dyn, Dyn, D>;
}

/** Throws a ShapeError unless v is a finite number (NaN and Infinity would poison a model silently). */
export function checkFinite(op: string, v: unknown, where = "value"): void {
  if (typeof v !== "number") throw new ShapeError(shapeMessage(op, "finite numbers", `${describe(v)} at ${where}`));
  if (!Number.isFinite(v)) throw new ShapeError(shapeMessage(op, "finite numbers", `${String(v)} at ${where}`));
}

/**
 * True when every number of `data` is finite (no NaN, no Infinity), for the rooms above ops: in
 * WebAssembly SIMD for an array in the kernel heap (a network's parameters and gradients), else the
 * kernel's TypeScript loop.
 */
export { allFiniteData as allFinite, copyData } from "../kernels/wasm/update.js";

/** Throws unless every entry of `data` is finite; names the first bad index. */
export function checkAllFinite(op: string, data: ArrayLike<number>): void {
  if ((data instanceof Float64Array || data instanceof Float32Array) && allFinite(data)) return; // the fast check; the loop finds the index
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (typeof v !== "number" || v - v !== 0) checkFinite(op, v, `index ${i}`);
  }
}

/** The data of a matrix-like value of any element type, checked (for code that reads a JS caller's matrix). */
export function dataOf(op: string, m: unknown): MatrixLike {
  checkMatrix(op, m);
  return m;
}

/** The element type of a matrix, read from its data (a plain-JS object may lack the `dtype` field). */
export function matrixDType(m: MatrixLike): DType {
  return dtypeOf(m.data);
}

/** `labelOk`: true when `label` is a whole number in 0 .. classes-1. */
export function labelOk(label: unknown, classes: number): boolean {
  return typeof label === "number" && Number.isInteger(label) && label >= 0 && label < classes;
}
