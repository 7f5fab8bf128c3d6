/**
 * Activation functions f and their derivatives f'. ReLU is the notes' hidden activation; sigmoid,
 * tanh and identity are the generalisation of the notes' summary ("any activations"). Softmax is
 * only an output: with the cross-entropy its derivative is folded into delta^L = a^L - t.
 */
import type { Matrix } from "../shape/matrix.js";
import { addBiasReluInto, reluInto } from "../kernels/elementwise.js";
import { ShapeError, addBiasMessage } from "../shape/errors.js";
import { dyn, result } from "../ops/out.js";

/** Activations usable in any layer. */
export type ActivationName = "relu" | "sigmoid" | "tanh" | "identity";
/** What a layer can apply to z: an activation, or softmax on the output layer. */
export type LayerActivation = ActivationName | "softmax";

export const activationNames: readonly ActivationName[] = ["relu", "sigmoid", "tanh", "identity"];

/**
 * z = z + b (b added to every column), then a = relu(z), in one pass: the ReLU layer's forward
 * step. Checked at run time like `addBias` (same message) and `a` like an `out` argument.
 */
export function addBiasRelu<R extends number, C extends number>(z: Matrix<R, C>, bias: Matrix<R, 1>, a: Matrix<R, C>): void {
  const x = dyn("addBias", z), b = dyn("addBias", bias);
  if (b.rows !== x.rows || b.cols !== 1) throw new ShapeError(addBiasMessage(x.rows, x.cols, b.rows, b.cols));
  const o = result("layerForward", x.rows, x.cols, a);
  addBiasReluInto(x.data, x.rows, x.cols, b.data, o.data);
}

/** a = f(z), element by element; `out` may be z. */
export function applyActivation<R extends number, C extends number>(f: ActivationName, z: Matrix<R, C>, out: Matrix<R, C>): void {
  const zd = z.data, o = out.data, n = o.length;
  switch (f) {
    case "relu":
      reluInto(zd, o);
      return;
    case "sigmoid":
      for (let i = 0; i < n; i++) o[i] = 1 / (1 + Math.exp(-zd[i]!));
      return;
    case "tanh":
      for (let i = 0; i < n; i++) o[i] = Math.tanh(zd[i]!);
      return;
    case "identity":
      if (o !== zd) o.set(zd);
      return;
  }
}

/**
 * g = f'(z) (.) g in place, the Hadamard product with the derivative, using z or a = f(z):
 * relu' = [z > 0], sigmoid' = a (1 - a), tanh' = 1 - a^2, identity' = 1.
 */
export function timesDerivative<R extends number, C extends number>(f: ActivationName, z: Matrix<R, C>, a: Matrix<R, C>, g: Matrix<R, C>): void {
  const zd = z.data, ad = a.data, gd = g.data, n = gd.length;
  switch (f) {
    case "relu":
      for (let i = 0; i < n; i++) if (!(zd[i]! > 0)) gd[i] = 0;
      return;
    case "sigmoid":
      for (let i = 0; i < n; i++) { const s = ad[i]!; gd[i]! *= s * (1 - s); }
      return;
    case "tanh":
      for (let i = 0; i < n; i++) { const t = ad[i]!; gd[i]! *= 1 - t * t; }
      return;
    case "identity":
      return;
  }
}
