/**
 * Adam (Kingma and Ba): running means of the gradient (m) and of its square (v), bias-corrected:
 * W <- W - epsilon m_hat / (sqrt(v_hat) + eps).
 */
import type { Optimizer } from "./optimizer.js";
import { adamUpdate } from "../ops/update.js";
import { checkHyperparameter, checkLearningRate, exportState, importState, stateful, stepState } from "./optimizer.js";

/** Options of `adam`; the defaults are the paper's (and TensorFlow.js's). */
export interface AdamOptions {
  /** default 0.001 */
  readonly learningRate?: number;
  /** default 0.9 */
  readonly beta1?: number;
  /** default 0.999 */
  readonly beta2?: number;
  /** default 1e-7 (as TensorFlow.js) */
  readonly epsilon?: number;
}

/** `adam({ learningRate: 1e-3 })`. Its moments m and v are shaped like the parameters. */
export function adam(options: AdamOptions = {}): Optimizer {
  const learningRate = checkLearningRate("adam", options.learningRate ?? 1e-3);
  const beta1 = checkHyperparameter("adam", "beta1", options.beta1 ?? 0.9, 0, 1, true);
  const beta2 = checkHyperparameter("adam", "beta2", options.beta2 ?? 0.999, 0, 1, true);
  const epsilon = checkHyperparameter("adam", "epsilon", options.epsilon ?? 1e-7, 0, Infinity, false);
  const session = stateful((net) => stepState(net, ["m", "v"]));
  const settings = { learningRate, beta1, beta2, epsilon };
  return {
    name: "adam",
    learningRate,
    getState: (net) => exportState(net, "adam", settings, session.stateOf(net)),
    setState: (net, state) => importState("adam.setState", "adam", session.stateOf(net), state),
    step(net, gradients) {
      const { state, params, grads } = session("adam", net, gradients);
      const ms = state.buffers.m!, vs = state.buffers.v!;
      state.t += 1;
      const c1 = 1 - beta1 ** state.t, c2 = 1 - beta2 ** state.t;
      const stepSize = learningRate * Math.sqrt(c2) / c1;
      const eps = epsilon * Math.sqrt(c2);
      // m <- beta1 m + (1 - beta1) g, v <- beta2 v + (1 - beta2) g^2, W <- W - stepSize m / (sqrt(v) + eps)
      for (let p = 0; p < params.length; p++) adamUpdate(params[p]!, grads[p]!, ms[p]!, vs[p]!, beta1, beta2, stepSize, eps);
    },
  };
}
