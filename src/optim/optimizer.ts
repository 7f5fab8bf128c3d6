/**
 * Gradient descent and its variants. Every optimizer is an object with `step(net, gradients)`,
 * which updates the parameters in place and allocates nothing after its first step on a network
 * (its state is created then, shaped like the parameters). A gradient must be typed like the
 * network's parameters: another network's gradients do not compile.
 */
import { ShapeError, shapeMessage } from "../shape/errors.js";
import type { AnyMatrix } from "../shape/matrix.js";
import { widen, zeros } from "../ops/create.js";
import { allFinite } from "../kernels/elementwise.js";
import type { Mlp } from "../nn/network.js";
import { layerBiases, layerWeights } from "../nn/network.js";
import type { Params, Sizes } from "../nn/types.js";

/** A gradient-descent rule. */
export interface Optimizer {
  readonly name: "sgd" | "momentum" | "adam";
  readonly learningRate: number;
  /** Updates `net` in place from `gradients` of its mean loss (e.g. `lossAndGradients(...).gradients`). */
  step<S extends Sizes>(net: Mlp<S>, gradients: Params<NoInfer<S>>): void;
  /** A copy of what this optimizer keeps for `net` (zeros and 0 steps before its first step): for checkpoints. */
  getState<S extends Sizes>(net: Mlp<S>): OptimizerState<S>;
  /** Replaces what this optimizer keeps for `net` by a copy of `state` (checked: same optimizer, same shapes, finite). */
  setState<S extends Sizes>(net: Mlp<S>, state: OptimizerState<NoInfer<S>>): void;
}

/** The hyperparameters of an optimizer, enough to build it again. */
export interface OptimizerSettings {
  readonly learningRate: number;
  /** momentum's beta */
  readonly beta?: number;
  /** Adam's */
  readonly beta1?: number;
  readonly beta2?: number;
  readonly epsilon?: number;
}

/**
 * An optimizer's state for one network: its settings, the number of steps taken (Adam's t) and its
 * buffers shaped like the parameters: momentum's `velocity`, Adam's `m` and `v` (none for sgd).
 */
export interface OptimizerState<S extends Sizes = Sizes> {
  readonly name: "sgd" | "momentum" | "adam";
  readonly settings: OptimizerSettings;
  readonly steps: number;
  readonly buffers: Readonly<Record<string, Params<S>>>;
}

/** What each optimizer keeps per network: a step count and named buffers (flat lists in parameterList order). */
export interface StepState {
  t: number;
  readonly buffers: Readonly<Record<string, readonly AnyMatrix[]>>;
}

/** A fresh StepState for `net` with one zero buffer list per name. */
export function stepState<S extends Sizes>(net: Mlp<S>, names: readonly string[]): StepState {
  return { t: 0, buffers: Object.fromEntries(names.map((n) => [n, parameterList(zerosLike(net))])) };
}

/** Copies a StepState out as an OptimizerState (buffers as weights and biases, like the parameters). */
export function exportState<S extends Sizes>(name: Optimizer["name"], settings: OptimizerSettings, state: StepState): OptimizerState<S> {
  const buffers: Record<string, Params<S>> = {};
  for (const [key, list] of Object.entries(state.buffers)) {
    const copies = list.map((m) => {
      const c = zeros(m.rows, m.cols);
      c.data.set(m.data);
      return c;
    });
    const layers = copies.length / 2;
    // parameterList holds the weights of every layer, then the biases: the Params<S> layout, flattened.
    buffers[key] = { weights: copies.slice(0, layers), biases: copies.slice(layers) } as unknown as Params<S>;
  }
  return { name, settings: { ...settings }, steps: state.t, buffers };
}

/** Checks `incoming` against this optimizer and the network's shapes, then copies it into `state`. */
export function importState<S extends Sizes>(op: string, name: Optimizer["name"], state: StepState, incoming: OptimizerState<S>): void {
  if (typeof incoming !== "object" || incoming === null) throw new TypeError(`${op} expects an optimizer state object, got ${incoming === null ? "null" : typeof incoming}`);
  if (incoming.name !== name) throw new RangeError(`${op} expects the state of a ${name} optimizer, got ${String(incoming.name)}`);
  if (!Number.isSafeInteger(incoming.steps) || incoming.steps < 0) throw new RangeError(`${op} expects steps a whole number of 0 or more, got ${String(incoming.steps)}`);
  const names = Object.keys(state.buffers);
  const given = Object.keys(incoming.buffers ?? {});
  if (given.length !== names.length || !names.every((n) => given.includes(n))) {
    throw new RangeError(`${op} expects buffers ${names.length === 0 ? "(none)" : names.join(", ")}, got ${given.length === 0 ? "(none)" : given.join(", ")}`);
  }
  const lists = names.map((n) => {
    const buffer = incoming.buffers[n];
    if (!Array.isArray(buffer?.weights) || !Array.isArray(buffer?.biases)) throw new TypeError(`${op} expects buffer ${n} to have weights and biases`);
    const list = parameterList(buffer);
    checkGradients(`${op} buffer ${n}`, state.buffers[n]!, list);
    list.forEach((m, i) => {
      if (!allFinite(m.data)) throw new RangeError(`${op} expects finite numbers in buffer ${n}, got NaN or Infinity in matrix ${i}`);
    });
    return list;
  });
  // Everything is checked: only now copy, so a bad state leaves the optimizer as it was.
  names.forEach((n, k) => state.buffers[n]!.forEach((m, i) => m.data.set(lists[k]![i]!.data)));
  state.t = incoming.steps;
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
 * gradient object (a workspace reuses its gradients) a step allocates nothing. `session.stateOf(net)`
 * is the state itself (created if needed), for getState and setState.
 */
export function stateful<State>(create: (net: Mlp<Sizes>) => State) {
  const states = new WeakMap<object, { state: State; params: readonly AnyMatrix[] }>();
  const sessions = new WeakMap<object, Session<State>>();
  const entryOf = <S extends Sizes>(net: Mlp<S>) => {
    let entry = states.get(net);
    if (!entry) {
      // create() only reads sizes and shapes, which every Mlp has whatever its S.
      entry = { state: create(net as unknown as Mlp<Sizes>), params: parameterList(net) };
      states.set(net, entry);
    }
    return entry;
  };
  const session = <S extends Sizes>(op: string, net: Mlp<S>, gradients: Params<S>): Session<State> => {
    const known = sessions.get(gradients);
    if (known !== undefined && known.net === net) return known;
    const entry = entryOf(net);
    const grads = parameterList(gradients);
    checkGradients(op, entry.params, grads);
    const session: Session<State> = { net, state: entry.state, params: entry.params, grads };
    sessions.set(gradients, session);
    return session;
  };
  return Object.assign(session, { stateOf: <S extends Sizes>(net: Mlp<S>): State => entryOf(net).state });
}
