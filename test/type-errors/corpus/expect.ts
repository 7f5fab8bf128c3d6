/**
 * Type assertions for the corpus, for a plain compiler (tsc or tsgo, no tsd): `is<T>()(value)`
 * compiles only when the value's type is exactly T (the identity test tsd's expectType makes).
 */
export type Equal<A, B> = (<X>() => X extends A ? 1 : 2) extends (<X>() => X extends B ? 1 : 2) ? true : false;

/** `is<Matrix<3, 4>>()(zeros(3, 4))`: an error ("Expected 2 arguments") unless the type is exactly T. */
export function is<T>() {
  return <V>(value: V, ...exact: Equal<V, T> extends true ? [] : ["the type is not exactly the one stated"]): V => {
    void exact;
    return value;
  };
}
