/** Gradient descent with momentum: v <- beta v + dE/dW; W <- W - epsilon v. */
import type { Optimizer } from "./optimizer.js";
import { momentumUpdate } from "../ops/update.js";
import { checkHyperparameter, checkLearningRate, checkOptionsObject, exportState, importState, stateful, stepState } from "./optimizer.js";

/** Options of `momentum`. */
export interface MomentumOptions {
  readonly learningRate: number;
  /** How much of the previous step carries over, in [0, 1); default 0.9. */
  readonly beta?: number;
}

/** `momentum({ learningRate: 0.05, beta: 0.9 })`. The velocity v is shaped like the parameters. */
export function momentum(options: MomentumOptions): Optimizer {
  checkOptionsObject("momentum", options, "{ learningRate, beta? }");
  const learningRate = checkLearningRate("momentum", options.learningRate);
  const beta = checkHyperparameter("momentum", "beta", options.beta ?? 0.9, 0, 1, true);
  const session = stateful((net) => stepState(net, ["velocity"]));
  const settings = { learningRate, beta };
  return {
    name: "momentum",
    learningRate,
    getState: (net) => exportState(net, "momentum", settings, session.stateOf(net)),
    setState: (net, state) => importState("momentum.setState", "momentum", session.stateOf(net), state),
    step(net, gradients) {
      const { state, params, grads } = session("momentum", net, gradients);
      const velocity = state.buffers.velocity!;
      state.t += 1;
      // v <- beta v + dE/dW, W <- W - epsilon v
      for (let p = 0; p < params.length; p++) momentumUpdate(params[p]!, grads[p]!, velocity[p]!, beta, learningRate);
    },
  };
}
