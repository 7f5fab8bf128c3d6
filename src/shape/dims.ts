/**
 * Dimensions as literal types.
 *
 * A dimension is a literal number type (`784`) when it is known while compiling, a type parameter
 * (`N`) inside code generic over a size, or `Dyn` (plain `number`) when it is only known at run
 * time (data read from a file). Matrices are invariant in their dimensions, so a `Matrix<Dyn, 784>`
 * cannot be passed where a `Matrix<128, 784>` is expected until `assertShape` has checked it.
 *
 * A size must be ONE number: a union such as `3 | 4` (from `flag ? 3 : 4`) is refused wherever a
 * size enters, because a union would let two shapes that differ compare as equal.
 */
import type { ShapeError } from "./errors.js";

/**
 * A size known only at run time: `Matrix<Dyn, 784>` is a batch of 784-feature columns of any count.
 * It is plain `number` (so that code generic over a size keeps its type parameter, `Matrix<N, 3>`);
 * messages print it as "Dyn".
 */
export type Dyn = number;

/** The shape of one example: `[784]` for a vector, `[1, 28, 28]` for an image (channels, height, width). */
export type Shape = readonly number[];

/** How a dimension prints in a message: `ShowDim<3>` is `"3"`, `ShowDim<Dyn>` is `"Dyn"`. */
export type ShowDim<N extends number> = number extends N ? "Dyn" : `${N}`;

/** How a shape prints in a message: `ShowShape<3, 4>` is `"3x4"`. */
export type ShowShape<R extends number, C extends number> = `${ShowDim<R>}x${ShowDim<C>}`;

/** `IsUnion<3 | 4>` is `true`, `IsUnion<3>` is `false` (`never` for `never`). */
export type IsUnion<T, U = T> = T extends unknown ? ([U] extends [T] ? false : true) : never;

/** True when N is a single literal that is not a whole number of 1 or more: `BadSize<0>`, `BadSize<2.5>`. */
export type BadSize<N extends number> = number extends N
  ? false
  : `${N}` extends `-${string}` | `${string}.${string}` | `${string}e${string}` | "0" | `${string}Infinity` | "NaN"
    ? true
    : false;

/**
 * What is wrong with a size, as message text, or `never` when it is fine. `SizeProblem<0, "zeros">`
 * is `"zeros expects sizes that are whole numbers 1 or more, got 0"`; `SizeProblem<3 | 4, "zeros">`
 * says a size must be one number; `SizeProblem<3, "zeros">` and `SizeProblem<number, "zeros">` are `never`.
 */
export type SizeProblem<N extends number, Op extends string> = number extends N
  ? never
  : true extends IsUnion<N>
    ? `${Op} expects each size to be one number (write a plain number for a size known at run time, Dyn), got a union of sizes`
    : BadSize<N> extends true
      ? `${Op} expects sizes that are whole numbers 1 or more, got ${N}`
      : never;

/**
 * The type a size argument is checked against. For a literal or a plain `number` it resolves: the
 * size itself, or `ShapeError<"...">` naming the op. For a size that is a type parameter of the
 * caller (`function make<N extends number>(n: N) { return zeros(n, 3); }`) it stays unresolved, and
 * TypeScript relates N to each branch; the error branch then goes through `Reject` below, which is
 * `unknown` for a generic N. So generic code compiles, and its size is checked at run time.
 */
export type SizeArg<N extends number, Op extends string> = [SizeProblem<N, Op>] extends [never]
  ? N
  : Reject<N, ShapeError<SizeProblem<N, Op>>>;

/**
 * `Reject<0, E>` is E for every literal size (the text of a number literal matches one of the keys
 * below), but for a size generic in the caller, whose text is only known to be `${number}`, the
 * lookup falls to the string key and gives `unknown`: the check is left to run time.
 * (An indexed access rather than a conditional type, because TypeScript relates a type parameter to
 * an indexed access through its constraint, and to a conditional type only through both branches.)
 */
export type Reject<N extends number, E> = {
  readonly [digits: `${bigint}`]: E;
  readonly [fraction: `${string}.${string}`]: E;
  readonly [exponent: `${string}e${string}`]: E;
  readonly [infinity: `${string}Infinity`]: E;
  readonly [generic: string]: unknown;
}[`${N}`];

/**
 * `OneSize<N, Err>`: `unknown` when N is one size (a literal, `number`, or a type parameter of the
 * caller constrained to `number`), Err when N is a union of literal sizes. For the comparisons of
 * the ops (`Fits`): a union such as `3 | 4` can still reach an op through the caller's own generic
 * function (`function make<N extends number>(n: N) { return zeros(n, 3); }` called as
 * `make(flag ? 3 : 4)`), where no size argument of the library saw it; two such unions would
 * otherwise compare as equal.
 *
 * The same indexed-access trick as `Reject`: for a type parameter N the key is only `${number}`,
 * which matches the `string` key alone, so generic code is not refused. (A type parameter
 * constrained to literal sizes, `N extends 128 | 256`, looks to TypeScript exactly like the union
 * it may stand for, and is refused here as it is by `SizeArg`: write `N extends number`.)
 * Conditional forms (`IsUnion<N> extends true ? ...`) stay unresolved for a type parameter and
 * refuse generic code; measured in test/type-errors/corpus/audit/generic.ts.
 */
export type OneSize<N extends number, Err> = {
  readonly [digits: `${bigint}`]: true extends IsUnion<N> ? Err : unknown;
  readonly [fraction: `${string}.${string}`]: true extends IsUnion<N> ? Err : unknown;
  readonly [exponent: `${string}e${string}`]: true extends IsUnion<N> ? Err : unknown;
  readonly [generic: string]: unknown;
}[`${N}`];

/** Runtime twin of `ShowDim`: a number prints as itself (at run time every size is known). */
export function showDim<N extends number>(n: N): ShowDim<N> {
  // A run-time number cannot be narrowed to the conditional type ShowDim<N>; the string is the
  // literal's own text, which is what ShowDim<N> computes for every literal N (test-d/dims.test-d.ts).
  return `${n}` as ShowDim<N>;
}

/** Runtime twin of `ShowShape`: `showShape(3, 4)` is `"3x4"`. */
export function showShape<R extends number, C extends number>(rows: R, cols: C): ShowShape<R, C> {
  return `${showDim(rows)}x${showDim(cols)}`;
}

/** True when n can be a matrix dimension: a whole number of 1 or more. */
export function isSize(n: unknown): n is number {
  return typeof n === "number" && Number.isInteger(n) && n >= 1;
}

/** How a JavaScript value prints in an error: `3`, `string '3'`, `undefined`, `an object`. */
export function describe(v: unknown): string {
  if (typeof v === "number") return String(v);
  if (typeof v === "string") return `string '${v.length > 40 ? `${v.slice(0, 40)}...` : v}'`;
  if (v === null || v === undefined || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}`;
  return `${typeof v === "function" ? "a function" : "an object"}`;
}
