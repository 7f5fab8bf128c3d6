/**
 * Dimensions as literal types.
 *
 * A dimension is a literal number type (`784`) when it is known while compiling, or `Dyn` when it
 * is only known at run time (data read from a file). `Dyn` is a branded number: it is equal to
 * itself and to no literal, so a `Matrix<Dyn, 784>` cannot be passed where a `Matrix<128, 784>` is
 * expected until `assertShape` has checked it at run time.
 */

declare const dynBrand: unique symbol;

/** A size known only at run time. `Matrix<Dyn, 784>` is a batch of 784-feature columns of any count. */
export type Dyn = number & { readonly [dynBrand]: "size known only at run time" };

/** Normalises a size: `Size<3>` is `3`, `Size<number>` is `Dyn`, `Size<Dyn>` is `Dyn`. */
export type Size<N extends number> = number extends N ? Dyn : N;

/** How a dimension prints in a message: `ShowDim<3>` is `"3"`, `ShowDim<Dyn>` is `"Dyn"`. */
export type ShowDim<N extends number> = N extends Dyn ? "Dyn" : `${N}`;

/** How a shape prints in a message: `ShowShape<3, 4>` is `"3x4"`. */
export type ShowShape<R extends number, C extends number> = `${ShowDim<R>}x${ShowDim<C>}`;

/** True when N is a literal that is not a whole number of 1 or more: `BadSize<-1>`, `BadSize<2.5>`, `BadSize<0>`. */
export type BadSize<N extends number> = number extends N
  ? false
  : N extends Dyn
    ? false
    : `${N}` extends `-${string}` | `${string}.${string}` | `${string}e${string}` | "0" | "Infinity" | "NaN"
      ? true
      : false;

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
