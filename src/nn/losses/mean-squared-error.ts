/**
 * Mean squared error over the K outputs (as TF.js): E = (1/K) sum_k (a_k - t_k)^2, and its output
 * delta delta^L = dE/dz^L = (2/K)(a^L - t) (.) f'(z^L), for any output activation but softmax.
 */
import type { Floats } from "../../kernels/elementwise.js";
import { activations } from "../activations/index.js";
import type { LayerActivation } from "../activations/index.js";
import type { Loss, OutputBuffers } from "./index.js";

function value({ a, targets: t, rows: K, cols: B }: OutputBuffers, losses: Float64Array): void {
  for (let j = 0; j < B; j++) {
    let e = 0;
    for (let k = 0; k < K; k++) {
      const d = a[k * B + j]! - t[k * B + j]!;
      e += d * d;
    }
    losses[j] = e / K;
  }
}

function outputDelta(f: LayerActivation, { z, a, targets: t, rows: K }: OutputBuffers, delta: Floats): void {
  const s = 2 / K;
  for (let i = 0; i < delta.length; i++) delta[i] = s * (a[i]! - t[i]!);
  // accepts() keeps softmax out, and every other activation has a derivative.
  activations[f].timesDerivative!(z, a, delta);
}

export const meanSquaredError: Loss = { name: "meanSquaredError", accepts: (f) => f !== "softmax", value, outputDelta };
