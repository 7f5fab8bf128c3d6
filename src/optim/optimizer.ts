/**
 * Gradient descent and its variants. Every optimizer is an object with `step(net, gradients)`,
 * which updates the parameters in place and allocates nothing after its first step on a network
 * (its state is created then, shaped like the parameters). A gradient must be typed like the
 * network's parameters: another network's gradients do not compile.
 */
import { ShapeError, shapeMessage } from "../shape/errors.js";
import type { MatrixLike } from "../shape/matrix.js";
import { allocate, dtypeOf, makeMatrix } from "../shape/matrix.js";
import type { AnyNetwork } from "../nn/network.js";
import { layerBiases, layerWeights } from "../nn/network.js";
import type { ParamsOf } from "../nn/types.js";

/**
 * The gradients argument of `step`: the gradients of this network (typed like its parameters),
 * else a ShapeError (the gradients of another network do not compile).
 */
export type GradientsArg<N extends AnyNetwork, G> = [G] extends [ParamsOf<N>]
  ? G
  : ShapeError<"step expects gradients shaped like this network's parameters (from lossAndGradients on it), got those of another network">;

/** A gradient-descent rule. */
export interface Optimizer {
  readonly name: "sgd" | "momentum" | "adam";
  readonly learningRate: number;
  /** Updates `net` in place from `gradients` of its mean loss (e.g. `lossAndGradients(...).gradients`). */
  step<N extends AnyNetwork, G>(net: N, gradients: GradientsArg<N, G>): void;
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
export function parameterList(p: { readonly weights: readonly (MatrixLike | null)[]; readonly biases: readonly (MatrixLike | null)[] }): readonly MatrixLike[] {
  return [...layerWeights(p), ...layerBiases(p)];
}

/** Checks, at run time, that `gradients` has exactly the shapes of `net`'s parameters (for Dyn networks and JS callers). */
export function checkGradients(op: string, params: readonly MatrixLike[], gradients: readonly MatrixLike[]): void {
  if (params.length !== gradients.length) throw new ShapeError(shapeMessage(op, `${params.length} gradient matrices`, `${gradients.length}`));
  params.forEach((p, i) => {
    const g = gradients[i]!;
    if (!g || g.rows !== p.rows || g.cols !== p.cols || g.data?.length !== p.data.length || dtypeOf(g.data) !== dtypeOf(p.data)) {
      throw new ShapeError(shapeMessage(op, `gradient ${i} of shape ${p.rows}x${p.cols}`, g ? `${g.rows}x${g.cols}` : String(g)));
    }
  });
}

/** Zero-filled matrices shaped like the parameters (same element type): the state of momentum and Adam. */
export function zerosLike(net: AnyNetwork): readonly MatrixLike[] {
  return parameterList(net).map((p) => makeMatrix(p.rows, p.cols, dtypeOf(p.data), allocate(dtypeOf(p.data), p.data.length)));
}

/** What a step works on: the optimizer's state for a network, and its parameters and gradients as flat lists. */
export interface Session<State> {
  readonly net: object;
  readonly state: State;
  readonly params: readonly MatrixLike[];
  readonly grads: readonly MatrixLike[];
}

/**
 * Keeps one state per network, and the flat parameter and gradient lists, in WeakMaps (a dropped
 * network or gradient set frees its entry). After the first step with a given network and
 * gradient object (a workspace reuses its gradients) a step allocates nothing.
 */
export function stateful<State>(create: (net: AnyNetwork) => State) {
  const states = new WeakMap<object, { state: State; params: readonly MatrixLike[] }>();
  const sessions = new WeakMap<object, Session<State>>();
  return (op: string, net: AnyNetwork, gradients: unknown): Session<State> => {
    if (typeof gradients !== "object" || gradients === null) throw new TypeError(`${op} expects gradients { weights, biases }, got ${String(gradients)}`);
    const known = sessions.get(gradients);
    if (known !== undefined && known.net === net) return known;
    let entry = states.get(net);
    if (!entry) {
      entry = { state: create(net), params: parameterList(net) };
      states.set(net, entry);
    }
    const g = gradients as { readonly weights?: unknown; readonly biases?: unknown };
    if (!Array.isArray(g.weights) || !Array.isArray(g.biases)) throw new TypeError(`${op} expects gradients { weights, biases }, got an object without them`);
    const grads = parameterList(g as { readonly weights: readonly (MatrixLike | null)[]; readonly biases: readonly (MatrixLike | null)[] });
    checkGradients(op, entry.params, grads);
    const session: Session<State> = { net, state: entry.state, params: entry.params, grads };
    sessions.set(gradients, session);
    return session;
  };
}
