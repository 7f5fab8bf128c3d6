/** The objectives E, one record each (the value beside its output delta delta^L), by name. */
import type { Floats } from "../../kernels/elementwise.js";
import type { LayerActivation } from "../activations/index.js";
import { crossEntropy } from "./cross-entropy.js";
import { meanSquaredError } from "./mean-squared-error.js";

/** The objective E: softmax with cross-entropy (the notes'), or mean squared error. */
export type LossName = "crossEntropy" | "meanSquaredError";

/** The output layer's buffers: z^L, a^L = f(z^L) and the targets t, each K x B (one column per example). */
export interface OutputBuffers {
  readonly z: Floats;
  readonly a: Floats;
  readonly targets: Floats;
  readonly rows: number;
  readonly cols: number;
}

/** A loss: E of each example and delta^L = dE/dz^L, for the output activation f. */
export interface Loss {
  readonly name: LossName;
  /** Which output activations it works with (cross-entropy needs softmax; mean squared error any other). */
  accepts(output: LayerActivation): boolean;
  /** E of each example (column) into `losses` (float64 for every network; the engine takes their mean). */
  value(out: OutputBuffers, losses: Float64Array): void;
  /** delta^L = dE/dz^L of the MEAN loss's per-example terms (the 1/B is applied by the gradients). */
  outputDelta(f: LayerActivation, out: OutputBuffers, delta: Floats): void;
}

/** Every loss by name. */
export const losses: { readonly [N in LossName]: Loss } = { crossEntropy, meanSquaredError };

/** True when `name` is a loss's name. */
export function isLossName(name: unknown): name is LossName {
  return typeof name === "string" && Object.hasOwn(losses, name);
}
