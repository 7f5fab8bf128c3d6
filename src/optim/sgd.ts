/** Plain gradient descent, the notes' update rule: Delta W = -epsilon dE/dW. */
import type { Optimizer } from "./optimizer.js";
import { checkLearningRate, stateful } from "./optimizer.js";

/** Options of `sgd`. */
export interface SgdOptions {
  /** epsilon, the step size. */
  readonly learningRate: number;
}

/** `sgd({ learningRate: 0.1 })`: W <- W - epsilon dE/dW, b <- b - epsilon dE/db. */
export function sgd(options: SgdOptions): Optimizer {
  const learningRate = checkLearningRate("sgd", options?.learningRate);
  const session = stateful(() => null);
  return {
    name: "sgd",
    learningRate,
    step(net, gradients) {
      const { params, grads } = session("sgd", net, gradients);
      for (let p = 0; p < params.length; p++) {
        const w = params[p]!.data, g = grads[p]!.data;
        for (let i = 0; i < w.length; i++) w[i]! -= learningRate * g[i]!;
      }
    },
  };
}
