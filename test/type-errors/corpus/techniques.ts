// The measured facts docs/type-level.md rests on, kept true by the corpus test (both compilers).
import type { IsUnion } from "../../../src/index.js";

// T1 A comparison of tuples stays unresolved for a type parameter compared with itself; the same
// comparison over object types resolves. Shape laws use the object form (`Same`), because their
// answers are read again by other types.
type SameTuple<A, B, Ok, Err> = [A] extends [B] ? ([B] extends [A] ? Ok : Err) : Err;
type SameObject<A, B, Ok, Err> = { readonly n: A } extends { readonly n: B } ? ({ readonly n: B } extends { readonly n: A } ? Ok : Err) : Err;
export function t1<H extends number>() {
  const tuple: "ok" = null! as SameTuple<H, H, "ok", "err">;
  //    ^^^^^ ~ 'SameTuple<H, H, "ok", "err">' is not assignable to type '"ok"'
  const object: "ok" = null! as SameObject<H, H, "ok", "err">;
  return [tuple, object];
}

// T2 An argument is related to an indexed access with a generic key through the key's constraint:
// for N extends number the key `${N}` is only `${number}`, which matches the `string` entry alone.
// A conditional type on N stays unresolved and refuses the argument (both of its branches must accept it).
type ByKey<N extends number> = { readonly [literal: `${bigint}`]: "no"; readonly [generic: string]: unknown }[`${N}`];
type ByCondition<N extends number> = IsUnion<N> extends true ? "no" : unknown;
declare function byKey<N extends number>(n: N & ByKey<N>): void;
declare function byCondition<N extends number>(n: N & ByCondition<N>): void;
export function t2<N extends number>(n: N) {
  byKey(n);
  byCondition(n);
  //          ^ ~ 'N' is not assignable to parameter of type 'N & ByCondition<N>'
}
