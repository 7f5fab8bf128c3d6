/**
 * Gradient descent and its variants. Every optimizer is an object with `step(net, gradients)`,
 * which updates the parameters in place and allocates nothing after its first step on a network
 * (its state is created then, shaped like the parameters). A gradient must be typed like the
 * network's parameters: another network's gradients do not compile.
 */
import { ShapeError, shapeMessage } from "../shape/errors.js";
import type { AnyMatrix } from "../shape/matrix.js";
import { widen, zeros } from "../ops/create.js";
import type { Mlp } from "../nn/network.js";
import { layerBiases, layerWeights } from "../nn/network.js";
import type { Params, Sizes } from "../nn/types.js";

/** A gradient-descent rule. */
export interface Optimizer {
  readonly name: "sgd" | "momentum" | "adam";
  readonly learningRate: number;
  /** Updates `net` in place from `gradients` of its mean loss (e.g. `lossAndGradients(...).gradients`). */
  step<S extends Sizes>(net: Mlp<S>, gradients: Params<NoInfer<S>>): void;
}

/** Throws a RangeError unless `value` is a finite number in the given open/closed range. */
export function checkHyperparameter(op: string, name: string, value: unknown, low: number, high: number, includeLow: boolean): number {
  const ok = typeof value === "number" && Number.isFinite(value) && (includeLow ? value >= low : value > low) && value < high;
  if (!ok) {
    const range = `${includeLow ? "[" : "("}${low}, ${high === Infinity ? "Infinity" : high})`;
    throw new RangeError(`${op} expects ${name} a finite number in ${range}, got ${String(value)}`);
  }
  return value;
}

/** The learning rate: a positive finite number. */
export function checkLearningRate(op: string, value: unknown): number {
  return checkHyperparameter(op, "learningRate", value, 0, Infinity, false);
}

/** The parameters of a network (or anything shaped like them) as one flat list of matrices: weights, then biases. */
export function parameterList<S extends Sizes>(p: Params<S>): readonly AnyMatrix[] {
  // Bias columns are matrices too; the list is only read element by element.
  return [...layerWeights(p), ...layerBiases(p).map((b) => widen(b))];
}

/** Checks, at run time, that `gradients` has exactly the shapes of `net`'s parameters (for Dyn networks and JS callers). */
export function checkGradients(op: string, params: readonly AnyMatrix[], gradients: readonly AnyMatrix[]): void {
  if (params.length !== gradients.length) throw new ShapeError(shapeMessage(op, `${params.length} gradient matrices`, `${gradients.length}`));
  params.forEach((p, i) => {
    const g = gradients[i]!;
    if (!g || g.rows !== p.rows || g.cols !== p.cols || g.data?.length !== p.data.length) {
      throw new ShapeError(shapeMessage(op, `gradient ${i} of shape ${p.rows}x${p.cols}`, g ? `${g.rows}x${g.cols}` : String(g)));
    }
  });
}

/** Zero-filled matrices shaped like the parameters: the state of momentum and Adam. */
export function zerosLike<S extends Sizes>(net: Mlp<S>): Params<S> {
  // Same construction as the parameters themselves (see build in network.ts).
  return {
    weights: layerWeights(net).map((w) => zeros(w.rows, w.cols)),
    biases: layerBiases(net).map((b) => zeros(b.rows, 1)),
  } as unknown as Params<S>;
}

/** What a step works on: the optimizer's state for a network, and its parameters and gradients as flat lists. */
export interface Session<State> {
  readonly net: object;
  readonly state: State;
  readonly params: readonly AnyMatrix[];
  readonly grads: readonly AnyMatrix[];
}

/**
 * Keeps one state per network, and the flat parameter and gradient lists, in WeakMaps (a dropped
 * network or gradient set frees its entry). After the first step with a given network and
 * gradient object (a workspace reuses its gradients) a step allocates nothing.
 */
export function stateful<State>(create: (net: Mlp<Sizes>) => State) {
  const states = new WeakMap<object, { state: State; params: readonly AnyMatrix[] }>();
  const sessions = new WeakMap<object, Session<State>>();
  return <S extends Sizes>(op: string, net: Mlp<S>, gradients: Params<S>): Session<State> => {
    const known = sessions.get(gradients);
    if (known !== undefined && known.net === net) return known;
    let entry = states.get(net);
    if (!entry) {
      // create() only reads sizes and shapes, which every Mlp has whatever its S.
      entry = { state: create(net as unknown as Mlp<Sizes>), params: parameterList(net) };
      states.set(net, entry);
    }
    const grads = parameterList(gradients);
    checkGradients(op, entry.params, grads);
    const session: Session<State> = { net, state: entry.state, params: entry.params, grads };
    sessions.set(gradients, session);
    return session;
  };
}
