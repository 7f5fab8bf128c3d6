/** The identity: f(z) = z, f'(z) = 1 (a linear layer, e.g. a regression output with mean squared error). */
import type { Floats } from "../../kernels/elementwise.js";
import type { Activation } from "./index.js";

function f(z: Floats, a: Floats): void {
  if (a !== z) a.set(z);
}

/** g = 1 (.) g: nothing to do. */
function timesDerivative(): void {}

export const identity: Activation = { name: "identity", f, timesDerivative, addBiasThenF: null };
