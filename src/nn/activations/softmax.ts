/**
 * Softmax, the notes' output layer: a_k = e^(z_k) / sum_c e^(z_c) in each column (one example),
 * computed shifted by the column's maximum (the notes' log C = -max_j z_j) so that no exponent is
 * positive and nothing overflows. Its derivative is not used alone: with the cross-entropy the
 * output delta is delta^L = a^L - t (see ../losses/cross-entropy.ts), which is why softmax may only
 * stand last, with that loss.
 */
import type { Floats } from "../../kernels/elementwise.js";
import type { Activation } from "./index.js";

function f(z: Floats, a: Floats, rows: number, cols: number): void {
  for (let j = 0; j < cols; j++) {
    let max = -Infinity;
    for (let i = 0; i < rows; i++) max = Math.max(max, z[i * cols + j]!);
    let sum = 0;
    for (let i = 0; i < rows; i++) {
      const e = Math.exp(z[i * cols + j]! - max);
      a[i * cols + j] = e;
      sum += e;
    }
    const inv = 1 / sum;
    for (let i = 0; i < rows; i++) a[i * cols + j] = a[i * cols + j]! * inv;
  }
}

export const softmax: Activation = { name: "softmax", f, timesDerivative: null, addBiasThenF: null };
