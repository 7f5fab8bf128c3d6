/** Plain gradient descent, the notes' update rule: Delta W = -epsilon dE/dW. */
import type { Optimizer } from "./optimizer.js";
import { checkLearningRate, checkOptionsObject, exportState, importState, stateful, stepState } from "./optimizer.js";
import { addScaled } from "../ops/update.js";

/** Options of `sgd`. */
export interface SgdOptions {
  /** epsilon, the step size. */
  readonly learningRate: number;
}

/** `sgd({ learningRate: 0.1 })`: W <- W - epsilon dE/dW, b <- b - epsilon dE/db. */
export function sgd(options: SgdOptions): Optimizer {
  checkOptionsObject("sgd", options, "{ learningRate }");
  const learningRate = checkLearningRate("sgd", options.learningRate);
  const session = stateful((net) => stepState(net, []));
  const settings = { learningRate };
  return {
    name: "sgd",
    learningRate,
    getState: (net) => exportState(net, "sgd", settings, session.stateOf(net)),
    setState: (net, state) => importState("sgd.setState", "sgd", session.stateOf(net), state),
    step(net, gradients) {
      const { state, params, grads } = session("sgd", net, gradients);
      state.t += 1;
      // W <- W + (-epsilon) dE/dW, for every weight matrix and bias column
      for (let p = 0; p < params.length; p++) addScaled(grads[p]!, -learningRate, params[p]!);
    },
  };
}
