/**
 * The loop over layers shared by every network (`mlp` and `sequential` build the same `Mlp`).
 * A tuple of differently shaped layers cannot be indexed by a loop variable with its literal
 * types, so the loop works on the untyped views and each step is a generic, compile-checked
 * equation from backprop.ts whose ops also check shapes at run time.
 */
import type { AnyMatrix } from "../shape/matrix.js";
import type { ActivationName } from "./activation.js";
import {
  biasGradient, deltaPrevious, layerForward, outputDeltaCrossEntropy, outputDeltaSquaredError, weightGradient,
} from "./backprop.js";
import type { Mlp } from "./network.js";
import { layerBiases, layerWeights } from "./network.js";
import type { Sizes } from "./types.js";
import type { WorkspaceView } from "./workspace.js";

/** Forward pass: a^0 = x; for l = 1..L, z^l = W^l a^(l-1) + b^l and a^l = f(z^l). */
export function forwardInto<S extends Sizes>(net: Mlp<S>, x: AnyMatrix, ws: WorkspaceView): void {
  const weights = layerWeights(net), biases = layerBiases(net);
  ws.a[0] = x;
  for (let l = 1; l <= weights.length; l++) {
    layerForward(net.activations[l - 1]!, weights[l - 1]!, biases[l - 1]!, ws.a[l - 1]!, ws.z[l]!, ws.a[l]!);
  }
}

/**
 * The loss of each example into ws.losses, and their mean.
 * Cross-entropy in the log-sum-exp form E = -sum_d t_d (z_d - log sum_c e^(z_c)), never the log of
 * a softmax that may have underflowed to 0; mean squared error E = (1/K) sum_k (a_k - t_k)^2.
 */
export function lossInto<S extends Sizes>(net: Mlp<S>, targets: AnyMatrix, ws: WorkspaceView): number {
  const L = net.sizes.length - 1;
  const z = ws.z[L]!.data, a = ws.a[L]!.data, t = targets.data;
  const K = net.sizes[L]!, B = ws.batch;
  let total = 0;
  for (let j = 0; j < B; j++) {
    let e = 0;
    if (net.loss === "crossEntropy") {
      let max = -Infinity;
      for (let k = 0; k < K; k++) max = Math.max(max, z[k * B + j]!);
      let sum = 0;
      for (let k = 0; k < K; k++) sum += Math.exp(z[k * B + j]! - max);
      const logSumExp = max + Math.log(sum);
      for (let k = 0; k < K; k++) {
        const td = t[k * B + j]!;
        if (td !== 0) e -= td * (z[k * B + j]! - logSumExp);
      }
    } else {
      for (let k = 0; k < K; k++) {
        const d = a[k * B + j]! - t[k * B + j]!;
        e += d * d;
      }
      e /= K;
    }
    ws.losses[j] = e;
    total += e;
  }
  return total / B;
}

/**
 * Backward pass after forwardInto, the notes' four equations from the output down:
 * delta^L from the loss, then for l = L..1: dE/dW^l = delta^l (a^(l-1))^T, dE/db^l = delta^l,
 * and delta^(l-1) = f'(z^(l-1)) (.) (W^l)^T delta^l. Gradients are of the mean loss over the batch.
 */
export function backwardInto<S extends Sizes>(net: Mlp<S>, targets: AnyMatrix, ws: WorkspaceView): void {
  const weights = layerWeights(net);
  const L = weights.length;
  const out = net.activations[L - 1]!;
  if (out === "softmax") outputDeltaCrossEntropy(ws.a[L]!, targets, ws.delta[L]!);
  else outputDeltaSquaredError(out, ws.z[L]!, ws.a[L]!, targets, ws.delta[L]!);
  for (let l = L; l >= 1; l--) {
    weightGradient(ws.delta[l]!, ws.a[l - 1]!, ws.gradients.weights[l - 1]!);
    biasGradient(ws.delta[l]!, ws.gradients.biases[l - 1]!);
    if (l > 1) {
      // Hidden layers never hold softmax (checked when the network is built).
      const f = net.activations[l - 2] as ActivationName;
      deltaPrevious(f, weights[l - 1]!, ws.delta[l]!, ws.z[l - 1]!, ws.a[l - 1]!, ws.delta[l - 1]!);
    }
  }
}
