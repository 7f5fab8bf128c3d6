/**
 * The notes' cross-entropy with a softmax output: E = -sum_k t_k log a_k, and its output delta
 * delta^L = a^L - t (the softmax's Jacobian and the log's derivative cancel to this).
 */
import type { Floats } from "../../kernels/elementwise.js";
import type { Loss, OutputBuffers } from "./index.js";

/**
 * E per example in the log-sum-exp form, E = -sum_k t_k (z_k - log sum_c e^(z_c)), computed from z
 * rather than as the log of a softmax that may have underflowed to 0 (the large-logits case).
 */
function value({ z, targets: t, rows: K, cols: B }: OutputBuffers, losses: Float64Array): void {
  for (let j = 0; j < B; j++) {
    let max = -Infinity;
    for (let k = 0; k < K; k++) max = Math.max(max, z[k * B + j]!);
    let sum = 0;
    for (let k = 0; k < K; k++) sum += Math.exp(z[k * B + j]! - max);
    const logSumExp = max + Math.log(sum);
    let e = 0;
    for (let k = 0; k < K; k++) {
      const tk = t[k * B + j]!;
      if (tk !== 0) e -= tk * (z[k * B + j]! - logSumExp);
    }
    losses[j] = e;
  }
}

/** delta^L = a^L - t. */
function outputDelta(_f: string, { a, targets: t }: OutputBuffers, delta: Floats): void {
  for (let i = 0; i < delta.length; i++) delta[i] = a[i]! - t[i]!;
}

export const crossEntropy: Loss = { name: "crossEntropy", accepts: (f) => f === "softmax", value, outputDelta };
