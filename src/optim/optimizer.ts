/**
 * Gradient descent and its variants. Every optimizer is an object with `step(net, gradients)`,
 * which updates the parameters in place and allocates nothing after its first step on a network
 * (its state is created then, shaped like the parameters). A gradient must be typed like the
 * network's parameters: another network's gradients do not compile.
 */
import { ShapeError, dtypeMessage, shapeMessage } from "../shape/errors.js";
import { describe } from "../shape/dims.js";
import type { MatrixLike } from "../shape/matrix.js";
import { allocate, dtypeOf, makeMatrix } from "../shape/matrix.js";
import { longLived } from "../ops/memory.js";
import type { AnyNetwork } from "../nn/network.js";
import { layerBiases, layerWeights } from "../nn/network.js";
import type { ParamsOf } from "../nn/types.js";

/**
 * The gradients argument of `step`: the gradients of this network (typed like its parameters),
 * else a ShapeError (the gradients of another network do not compile). Compared both ways, so the
 * gradients of one network are refused for a union of networks (`flag ? a : b`).
 */
export type GradientsArg<N extends AnyNetwork, G> = [G, ParamsOf<N>] extends [ParamsOf<N>, ReadonlyParams<G>]
  ? G
  : ShapeError<"step expects gradients shaped like this network's parameters (from lossAndGradients on it), got those of another network">;

/** G with its lists read-only (the reverse comparison above must not fail on a mutable list of the engine's). */
type ReadonlyParams<G> = { readonly [K in keyof G]: Readonly<G[K]> };

/** A gradient-descent rule. */
export interface Optimizer {
  readonly name: "sgd" | "momentum" | "adam";
  readonly learningRate: number;
  /** Updates `net` in place from `gradients` of its mean loss (e.g. `lossAndGradients(...).gradients`). */
  step<N extends AnyNetwork, G>(net: N, gradients: GradientsArg<N, G>): void;
  /** A copy of what this optimizer keeps for `net` (zeros and 0 steps before its first step): for checkpoints. */
  getState<N extends AnyNetwork>(net: N): OptimizerState<N>;
  /** Replaces what this optimizer keeps for `net` by a copy of `state` (checked: same optimizer, same shapes, finite). */
  setState<N extends AnyNetwork>(net: N, state: OptimizerState<NoInfer<N>>): void;
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
export interface OptimizerState<N extends AnyNetwork = AnyNetwork> {
  readonly name: "sgd" | "momentum" | "adam";
  readonly settings: OptimizerSettings;
  readonly steps: number;
  readonly buffers: Readonly<Record<string, ParamsOf<N>>>;
}

/** What each optimizer keeps per network: a step count and named buffers (flat lists in parameterList order). */
export interface StepState {
  t: number;
  readonly buffers: Readonly<Record<string, readonly MatrixLike[]>>;
}

/** A fresh StepState for `net` with one zero buffer list per name. */
export function stepState(net: AnyNetwork, names: readonly string[]): StepState {
  return { t: 0, buffers: Object.fromEntries(names.map((n) => [n, zerosLike(net)])) };
}

/** A copy of a matrix (same shape and element type). */
function copyOf(m: MatrixLike): MatrixLike {
  const c = makeMatrix(m.rows, m.cols, dtypeOf(m.data), allocate(dtypeOf(m.data), m.data.length));
  c.data.set(m.data);
  return c;
}

/** Copies a StepState out as an OptimizerState (buffers as weights and biases, laid out like the network's parameters). */
export function exportState<N extends AnyNetwork>(net: N, name: Optimizer["name"], settings: OptimizerSettings, state: StepState): OptimizerState<N> {
  const buffers: Record<string, ParamsOf<N>> = {};
  const count = layerWeights(net).length;
  for (const [key, list] of Object.entries(state.buffers)) {
    // parameterList holds the weights of every layer that has them, then their biases; put them back
    // where the network has parameters (null where a layer has none), the layout ParamsOf<N> spells out.
    let w = 0, b = count;
    const weights = net.weights.map((m) => (m ? copyOf(list[w++]!) : null));
    const biases = net.biases.map((m) => (m ? copyOf(list[b++]!) : null));
    buffers[key] = { weights, biases } as unknown as ParamsOf<N>;
  }
  return { name, settings: { ...settings }, steps: state.t, buffers };
}

/** Checks `incoming` against this optimizer and the network's shapes, then copies it into `state`. */
export function importState(op: string, name: Optimizer["name"], state: StepState, incoming: OptimizerState): void {
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
      if (!m.data.every(Number.isFinite)) throw new RangeError(`${op} expects finite numbers in buffer ${n}, got NaN or Infinity in matrix ${i}`);
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
    throw new RangeError(`${op} expects ${name} a finite number in ${range}, got ${describe(value)}`);
  }
  return value;
}

/** Throws unless a required options argument is an object. */
export function checkOptionsObject(op: string, options: unknown, shape: string): void {
  if (typeof options !== "object" || options === null) throw new TypeError(`${op} expects options ${shape} (they are required), got ${describe(options)}`);
}

/** The learning rate: a positive finite number. */
export function checkLearningRate(op: string, value: unknown): number {
  return checkHyperparameter(op, "learningRate", value, 0, Infinity, false);
}

/** The parameters of a network (or anything shaped like them) as one flat list of matrices: weights, then biases. */
export function parameterList(p: { readonly weights: readonly (MatrixLike | null)[]; readonly biases: readonly (MatrixLike | null)[] }): readonly MatrixLike[] {
  return [...layerWeights(p), ...layerBiases(p)];
}

/** Checks, at run time, that `gradients` has exactly the shapes and element type of `net`'s parameters (for Dyn networks and JS callers). */
export function checkGradients(op: string, params: readonly MatrixLike[], gradients: readonly MatrixLike[]): void {
  if (params.length !== gradients.length) throw new ShapeError(shapeMessage(op, `${params.length} gradient matrices`, `${gradients.length}`));
  params.forEach((p, i) => {
    const g = gradients[i]!;
    const ok = g && g.rows === p.rows && g.cols === p.cols && (g.data instanceof Float64Array || g.data instanceof Float32Array) && g.data.length === p.data.length;
    if (!ok) throw new ShapeError(shapeMessage(op, `gradient ${i} of shape ${p.rows}x${p.cols}`, g ? `${g.rows}x${g.cols}` : String(g)));
    if (dtypeOf(g.data) !== dtypeOf(p.data)) throw new ShapeError(dtypeMessage(`${op} gradient ${i}`, dtypeOf(p.data), dtypeOf(g.data)));
  });
}

/** Zero-filled matrices shaped like the parameters (same element type), as a flat list: the state of momentum and Adam. */
export function zerosLike(net: AnyNetwork): readonly MatrixLike[] {
  return parameterList(net).map((p) => makeMatrix(p.rows, p.cols, dtypeOf(p.data), longLived(dtypeOf(p.data), p.data.length)));
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
 * gradient object (a workspace reuses its gradients) a step allocates nothing. `session.stateOf(net)`
 * is the state itself (created if needed), for getState and setState.
 */
export function stateful<State>(create: (net: AnyNetwork) => State) {
  const states = new WeakMap<object, { state: State; params: readonly MatrixLike[] }>();
  const sessions = new WeakMap<object, Session<State>>();
  const entryOf = (net: AnyNetwork) => {
    let entry = states.get(net);
    if (!entry) {
      entry = { state: create(net), params: parameterList(net) };
      states.set(net, entry);
    }
    return entry;
  };
  const session = (op: string, net: AnyNetwork, gradients: unknown): Session<State> => {
    const g = gradients as { readonly weights?: unknown; readonly biases?: unknown } | null;
    if (typeof g !== "object" || g === null || !Array.isArray(g.weights) || !Array.isArray(g.biases)) {
      throw new TypeError(`${op} expects gradients { weights, biases } (from lossAndGradients), got ${g === null ? "null" : typeof g}`);
    }
    const known = sessions.get(g);
    if (known !== undefined && known.net === net) return known;
    const entry = entryOf(net);
    const grads = parameterList(g as { readonly weights: readonly (MatrixLike | null)[]; readonly biases: readonly (MatrixLike | null)[] });
    checkGradients(op, entry.params, grads);
    const session: Session<State> = { net, state: entry.state, params: entry.params, grads };
    sessions.set(g, session);
    return session;
  };
  return Object.assign(session, { stateOf: (net: AnyNetwork): State => entryOf(net).state });
}
