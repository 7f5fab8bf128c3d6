/** The hyperbolic tangent: f(z) = tanh z, f'(z) = 1 - tanh^2 z = 1 - a^2. */
import type { Floats } from "../../kernels/elementwise.js";
import type { Activation } from "./index.js";

function f(z: Floats, a: Floats): void {
  for (let i = 0; i < a.length; i++) a[i] = Math.tanh(z[i]!);
}

function timesDerivative(_z: Floats, a: Floats, g: Floats): void {
  for (let i = 0; i < g.length; i++) {
    const t = a[i]!;
    g[i] = g[i]! * (1 - t * t);
  }
}

export const tanh: Activation = { name: "tanh", f, timesDerivative, addBiasThenF: null };
