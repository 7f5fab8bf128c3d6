/**
 * Making matrices. Sizes given as literals become literal types (`zeros(3, 4)` is `Matrix<3, 4>`,
 * no `as const` needed); a size typed `number` becomes `Dyn` (checked at run time, and not usable
 * where a literal size is expected until `assertShape` narrows it). A literal that cannot be a size
 * (`0`, `-1`, `2.5`) does not compile.
 */
import type { BadSize, Dyn, Size } from "../shape/dims.js";
import { showShape } from "../shape/dims.js";
import type { SizeMessage } from "../shape/errors.js";
import { ShapeError, expectShapeMessage, shapeMessage } from "../shape/errors.js";
import type { Matrix } from "../shape/matrix.js";
import { checkMatrix, checkSize, makeMatrix } from "../shape/matrix.js";
import type { Rng } from "./random.js";
import { rng as rngOf } from "./random.js";
import { allFinite } from "../kernels/elementwise.js";

/** A size argument: the size itself, or a `ShapeError` naming the op when it cannot be a size. */
export type SizeArg<N extends number, Op extends string> = BadSize<N> extends true ? ShapeError<SizeMessage<Op, N>> : N;

function alloc<R extends number, C extends number>(op: string, rows: R, cols: C): Matrix<Size<R>, Size<C>> {
  checkSize(op, rows);
  checkSize(op, cols);
  return makeMatrix(rows, cols, new Float64Array(rows * cols));
}

/** `zeros(3, 4)`: a 3x4 matrix of zeros. */
export function zeros<R extends number, C extends number>(rows: SizeArg<R, "zeros">, cols: SizeArg<C, "zeros">): Matrix<Size<R>, Size<C>> {
  return alloc("zeros", rows as R, cols as C);
}

/** `ones(3, 4)`: a 3x4 matrix of ones. */
export function ones<R extends number, C extends number>(rows: SizeArg<R, "ones">, cols: SizeArg<C, "ones">): Matrix<Size<R>, Size<C>> {
  const m = alloc("ones", rows as R, cols as C);
  m.data.fill(1);
  return m;
}

/** `fill(3, 4, 0.5)`: a 3x4 matrix whose every entry is 0.5. */
export function fill<R extends number, C extends number>(rows: SizeArg<R, "fill">, cols: SizeArg<C, "fill">, value: number): Matrix<Size<R>, Size<C>> {
  checkFinite("fill", value);
  const m = alloc("fill", rows as R, cols as C);
  m.data.fill(value);
  return m;
}

/** `identity(3)`: the 3x3 identity matrix. */
export function identity<N extends number>(n: SizeArg<N, "identity">): Matrix<Size<N>, Size<N>> {
  const m = alloc("identity", n as N, n as N);
  for (let i = 0; i < (n as number); i++) m.data[i * (n as number) + i] = 1;
  return m;
}

/** Row count of a literal array of rows: `RowsOf<[[1, 2], [3, 4], [5, 6]]>` is 3. */
export type RowsOf<T extends readonly (readonly number[])[]> = Size<T["length"]>;
/** Column count of a literal array of rows; `Dyn` when the rows' lengths are unknown or differ. */
export type ColsOf<T extends readonly (readonly number[])[]> = [T[number]["length"]] extends [infer L extends number]
  ? IsUnion<L> extends true ? Dyn : Size<L>
  : Dyn;
type IsUnion<T, U = T> = T extends unknown ? ([U] extends [T] ? false : true) : never;

/** `fromRows([[1, 2, 3], [4, 5, 6]])`: a `Matrix<2, 3>`. Ragged rows throw (and, for literals, do not compile). */
export function fromRows<const T extends readonly (readonly number[])[]>(
  rows: IsUnion<T[number]["length"]> extends true ? ShapeError<"fromRows expects rows of one length, got rows of different lengths"> : T,
): Matrix<RowsOf<T>, ColsOf<T>> {
  const list = rows as T;
  if (!Array.isArray(list) || list.length === 0) throw new ShapeError(shapeMessage("fromRows", "at least one row", "no rows"));
  const width = list[0]!.length;
  checkSize("fromRows", width);
  const data = new Float64Array(list.length * width);
  list.forEach((row, i) => {
    if (!Array.isArray(row) || row.length !== width) {
      throw new ShapeError(shapeMessage("fromRows", `every row to have ${width} numbers`, `${Array.isArray(row) ? row.length : typeof row} in row ${i}`));
    }
    row.forEach((v, j) => {
      checkFinite("fromRows", v, `row ${i} column ${j}`);
      data[i * width + j] = v;
    });
  });
  // list.length and width are the run-time values of RowsOf<T> and ColsOf<T> (every row was checked
  // to hold `width` numbers); the conditional types cannot be proven from values.
  return makeMatrix(list.length, width, data) as unknown as Matrix<RowsOf<T>, ColsOf<T>>;
}

/** `vector([1, 2, 3])`: a column vector, `Matrix<3, 1>`. */
export function vector<const T extends readonly number[]>(values: T): Matrix<Size<T["length"]>, 1> {
  if (!Array.isArray(values) || values.length === 0) throw new ShapeError(shapeMessage("vector", "at least one number", "none"));
  values.forEach((v, i) => checkFinite("vector", v, `index ${i}`));
  // values.length is the run-time value of T["length"].
  return makeMatrix(values.length, 1 as const, Float64Array.from(values)) as unknown as Matrix<Size<T["length"]>, 1>;
}

/**
 * `fromArray(data, 3, 4)`: a 3x4 matrix over row-major data (a number array is copied, a
 * Float64Array is used as is). The length must be rows x cols; NaN and Infinity are rejected.
 */
export function fromArray<R extends number, C extends number>(
  data: ArrayLike<number>, rows: SizeArg<R, "fromArray">, cols: SizeArg<C, "fromArray">,
): Matrix<Size<R>, Size<C>> {
  const r = rows as number, c = cols as number;
  checkSize("fromArray", r);
  checkSize("fromArray", c);
  if (data == null || typeof data.length !== "number" || data.length !== r * c) {
    throw new ShapeError(shapeMessage("fromArray", `data of length ${r * c} (${showShape(r, c)})`, `${data == null ? String(data) : data.length}`));
  }
  const values = data instanceof Float64Array ? data : Float64Array.from(data);
  checkAllFinite("fromArray", values);
  return makeMatrix(rows as R, cols as C, values);
}

/** `toRows(m)`: the matrix as an array of row arrays (a copy). */
export function toRows<R extends number, C extends number>(m: Matrix<R, C>): number[][] {
  checkMatrix("toRows", m);
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
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
    if (!Number.isFinite(source)) throw new RangeError(`${op} expects a finite seed, got ${source}`);
    return { rng: rngOf(source), options: {} };
  }
  if (typeof source === "function") return { rng: source, options: {} };
  if (typeof source?.rng !== "function") throw new TypeError(`${op} expects an rng, a seed or { rng }, got ${String(source)}`);
  return { rng: source.rng, options: source };
}

/** `randomNormal(3, 4, { rng, mean: 0, std: 1 })` (or `randomNormal(3, 4, rng(1))`, `randomNormal(3, 4, 1)`): entries drawn from N(mean, std^2). */
export function randomNormal<R extends number, C extends number>(
  rows: SizeArg<R, "randomNormal">, cols: SizeArg<C, "randomNormal">,
  source: RandomSource<{ readonly mean?: number; readonly std?: number }>,
): Matrix<Size<R>, Size<C>> {
  const { rng: random, options } = sourceOf("randomNormal", source);
  const mean = options.mean ?? 0, std = options.std ?? 1;
  checkFinite("randomNormal", mean, "mean");
  checkFinite("randomNormal", std, "std");
  const m = alloc("randomNormal", rows as R, cols as C);
  for (let i = 0; i < m.data.length; i++) m.data[i] = mean + std * random.normal();
  return m;
}

/** `randomUniform(3, 4, { rng, low: -1, high: 1 })` (or with an `Rng` or a seed, in [0, 1)): entries uniform in [low, high). */
export function randomUniform<R extends number, C extends number>(
  rows: SizeArg<R, "randomUniform">, cols: SizeArg<C, "randomUniform">,
  source: RandomSource<{ readonly low?: number; readonly high?: number }>,
): Matrix<Size<R>, Size<C>> {
  const { rng: random, options } = sourceOf("randomUniform", source);
  const low = options.low ?? 0, high = options.high ?? 1;
  checkFinite("randomUniform", low, "low");
  checkFinite("randomUniform", high, "high");
  const m = alloc("randomUniform", rows as R, cols as C);
  for (let i = 0; i < m.data.length; i++) m.data[i] = low + (high - low) * random.next();
  return m;
}

/**
 * `assertShape(m, 3, 4)`: narrows a matrix of run-time shape (`Matrix<Dyn, Dyn>`) to `Matrix<3, 4>`,
 * throwing a ShapeError when it is not 3x4. The only way from `Dyn` to a literal size.
 */
export function assertShape<R extends number, C extends number, R0 extends number, C0 extends number>(
  m: Matrix<R0, C0>,
  rows: SizeArg<R, "assertShape">, cols: SizeArg<C, "assertShape">,
): Matrix<R, C> {
  checkMatrix("assertShape", m);
  if (m.rows !== (rows as number) || m.cols !== (cols as number)) throw new ShapeError(expectShapeMessage("assertShape", rows as R, cols as C, m.rows, m.cols));
  // Checked on the line above: the run-time shape equals the requested literal shape.
  return m as unknown as Matrix<R, C>;
}

/** `widen(m)`: forgets a matrix's literal sizes on purpose (`Matrix<3, 4>` to `Matrix<Dyn, Dyn>`). */
export function widen<R extends number, C extends number>(m: Matrix<R, C>): Matrix<Dyn, Dyn> {
  // Dimensions are invariant, so widening needs a cast; Dyn sizes are checked at run time by every op.
  return m as unknown as Matrix<Dyn, Dyn>;
}

/** Throws a ShapeError unless v is a finite number (NaN and Infinity would poison a model silently). */
export function checkFinite(op: string, v: unknown, where = "value"): void {
  if (typeof v !== "number" || !Number.isFinite(v)) {
    throw new ShapeError(shapeMessage(op, "finite numbers", `${String(v)} at ${where}`));
  }
}

/** Throws unless every entry of `data` is finite; names the first bad index. */
export function checkAllFinite(op: string, data: ArrayLike<number>): void {
  if (data instanceof Float64Array && allFinite(data)) return; // the fast check; the loop below finds the index
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!;
    if (v - v !== 0) checkFinite(op, v, `index ${i}`);
  }
}

