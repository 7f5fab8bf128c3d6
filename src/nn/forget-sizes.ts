/**
 * `forgetSizes(net)`: the same network, typed as one whose sizes are known only at run time, as
 * `widen(m)` does for a matrix. For code that takes networks of any architecture (a loader, a
 * command line): a literal `Mlp<[4, 8, 3]>` is not an `Mlp<number[]>` (matrix sizes are invariant),
 * so it is forgotten on purpose, visibly, and every use after it is checked at run time.
 */
import type { AnyLayer } from "./layer.js";
import type { AnyMlp, AnyNetwork, Network } from "./network.js";

/**
 * What `forgetSizes` makes of N: `AnyMlp<D>` (`Mlp<number[], D>`) for a network of dense layers,
 * else `Network<readonly AnyLayer[], D>`. The element type D is kept: it is not a size.
 */
export type ForgetSizes<N extends AnyNetwork> = [N["layers"][number]["kind"]] extends ["dense"]
  ? AnyMlp<N["dtype"]>
  : Network<readonly AnyLayer[], N["dtype"]>;

/** `forgetSizes(mlp([4, 8, 3]))` is an `Mlp<number[]>`: the same object, its sizes now `Dyn`. */
export function forgetSizes<N extends AnyNetwork>(net: N): ForgetSizes<N> {
  // Literal sizes cannot be widened without a cast (they are invariant, as in widen); the object is
  // unchanged, and every function that takes a network checks its shapes at run time
  // (test-d/network.test-d.ts and test/type-errors corpus: the widened network is used as one of Dyn sizes).
  return net as unknown as ForgetSizes<N>;
}
