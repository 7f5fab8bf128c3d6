/**
 * The activations f, one record each (f beside its derivative f'), by name. A new activation is one
 * file plus a line here.
 */
import type { Floats } from "../../kernels/elementwise.js";
import { identity } from "./identity.js";
import { relu } from "./relu.js";
import { sigmoid } from "./sigmoid.js";
import { softmax } from "./softmax.js";
import { tanh } from "./tanh.js";

/** Activations usable in any layer. */
export type ActivationName = "relu" | "sigmoid" | "tanh" | "identity";
/** What a layer can apply to z: an activation, or softmax on the output layer. */
export type LayerActivation = ActivationName | "softmax";

/** z += b (b added to every column of the rows x cols z), then a = f(z), in one pass. */
export type AddBiasThenF = (z: Floats, rows: number, cols: number, bias: Floats, a: Floats) => void;

/**
 * An activation: a = f(z) element by element (softmax: per column), and g = f'(z) (.) g in place,
 * from z or from a = f(z), whichever is cheaper. Both write into given buffers and allocate nothing.
 */
export interface Activation {
  readonly name: LayerActivation;
  /** a = f(z) for a rows x cols matrix (a may be z). */
  f(z: Floats, a: Floats, rows: number, cols: number): void;
  /**
   * g = f'(z) (.) g. Softmax has none: its derivative is folded into the cross-entropy's
   * delta^L = a^L - t, which is why softmax may only stand last, with that loss.
   */
  readonly timesDerivative: ((z: Floats, a: Floats, g: Floats) => void) | null;
  /**
   * z += b (b added to every column), then a = f(z), in one pass (the forward step of a layer
   * with this activation); only where fusing measured faster than the two passes.
   */
  readonly addBiasThenF: AddBiasThenF | null;
}

/** Every activation by name. */
export const activations: { readonly [N in LayerActivation]: Activation } = { relu, sigmoid, tanh, identity, softmax };

/** The hidden-layer activations' names. */
export const activationNames: readonly ActivationName[] = ["relu", "sigmoid", "tanh", "identity"];

/** True when `name` is an activation's name. */
export function isLayerActivation(name: unknown): name is LayerActivation {
  return typeof name === "string" && Object.hasOwn(activations, name);
}
