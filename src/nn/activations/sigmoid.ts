/** The logistic function: f(z) = 1 / (1 + e^-z), f'(z) = f(z) (1 - f(z)) = a (1 - a). */
import type { Floats } from "../../kernels/elementwise.js";
import type { Activation } from "./index.js";

function f(z: Floats, a: Floats): void {
  for (let i = 0; i < a.length; i++) a[i] = 1 / (1 + Math.exp(-z[i]!));
}

function timesDerivative(_z: Floats, a: Floats, g: Floats): void {
  for (let i = 0; i < g.length; i++) {
    const s = a[i]!;
    g[i] = g[i]! * s * (1 - s);
  }
}

export const sigmoid: Activation = { name: "sigmoid", f, timesDerivative, addBiasThenF: null };
