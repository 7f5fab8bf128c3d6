/**
 * The activation layers for `sequential` (`relu()`, `sigmoid()`, `tanh()`, `identity()`,
 * `softmax()`) and, called with a matrix, the same functions as element-wise ops (`relu(z)`), so
 * one name serves both the model definition and the math. Each is computed by its record in
 * ../activations/ (f beside f'). An activation belongs to the layer with weights before it.
 */
import type { SizeArg } from "../../shape/dims.js";
import type { DType, Matrix } from "../../shape/matrix.js";
import { dtypeOf } from "../../shape/matrix.js";
import { identity as identityMatrix } from "../../ops/create.js";
import type { OutArg } from "../../ops/out.js";
import { dyn, result } from "../../ops/out.js";
import type { LayerActivation } from "../activations/index.js";
import { activations } from "../activations/index.js";

/** An activation written in `sequential`: it applies f to the previous layer's z. */
export interface ActivationLayer<Name extends LayerActivation> {
  readonly kind: "activation";
  readonly name: Name;
}

function layer<Name extends LayerActivation>(name: Name): ActivationLayer<Name> {
  return { kind: "activation", name };
}

/** a = f(z) by the record of `name`, into `out` or a new matrix. */
function apply<R extends number, C extends number, D extends DType>(name: LayerActivation, z: unknown, out: unknown): Matrix<R, C, D> {
  const x = dyn(name, z);
  const o = result<R, C, D>(name, x.rows, x.cols, dtypeOf(x.data), out);
  activations[name].f(x.data, o.data, x.rows, x.cols);
  return o;
}

/** `relu()`: a ReLU layer, max(0, z). `relu(z)`: applies it to a matrix. */
export function relu(): ActivationLayer<"relu">;
export function relu<R extends number, C extends number, D extends DType = "float64", R3 extends number = R, C3 extends number = C, D3 extends DType = D>(
  z: Matrix<R, C, D>, out?: OutArg<"relu", R, C, D, R3, C3, D3>,
): Matrix<R, C, D>;
export function relu(z?: unknown, out?: unknown): unknown {
  return z === undefined ? layer("relu") : apply("relu", z, out);
}

/** `sigmoid()`: a logistic layer, 1 / (1 + e^-z). `sigmoid(z)`: applies it to a matrix. */
export function sigmoid(): ActivationLayer<"sigmoid">;
export function sigmoid<R extends number, C extends number, D extends DType = "float64", R3 extends number = R, C3 extends number = C, D3 extends DType = D>(
  z: Matrix<R, C, D>, out?: OutArg<"sigmoid", R, C, D, R3, C3, D3>,
): Matrix<R, C, D>;
export function sigmoid(z?: unknown, out?: unknown): unknown {
  return z === undefined ? layer("sigmoid") : apply("sigmoid", z, out);
}

/** `tanh()`: a hyperbolic-tangent layer. `tanh(z)`: applies it to a matrix. */
export function tanh(): ActivationLayer<"tanh">;
export function tanh<R extends number, C extends number, D extends DType = "float64", R3 extends number = R, C3 extends number = C, D3 extends DType = D>(
  z: Matrix<R, C, D>, out?: OutArg<"tanh", R, C, D, R3, C3, D3>,
): Matrix<R, C, D>;
export function tanh(z?: unknown, out?: unknown): unknown {
  return z === undefined ? layer("tanh") : apply("tanh", z, out);
}

/** `softmax()`: the output layer of the notes (with cross-entropy). `softmax(z)`: the softmax of each column. */
export function softmax(): ActivationLayer<"softmax">;
export function softmax<K extends number, B extends number, D extends DType = "float64", R3 extends number = K, C3 extends number = B, D3 extends DType = D>(
  z: Matrix<K, B, D>, out?: OutArg<"softmax", K, B, D, R3, C3, D3>,
): Matrix<K, B, D>;
export function softmax(z?: unknown, out?: unknown): unknown {
  return z === undefined ? layer("softmax") : apply("softmax", z, out);
}

/** `identity()`: a linear layer (a = z), e.g. a regression output with mean squared error. `identity(3)`: the 3x3 identity matrix. */
export function identity(): ActivationLayer<"identity">;
export function identity<N extends number, D extends DType = "float64">(n: SizeArg<N, "identity">, dtype?: D): Matrix<N, N, D>;
export function identity(n?: unknown, dtype?: DType): unknown {
  // identityMatrix checks n and dtype at run time, as every constructor does.
  return n === undefined ? layer("identity") : identityMatrix(n as number, dtype);
}

/** `reluDerivative(z)`: f'(z) for ReLU, 1 where z > 0 and 0 elsewhere, R x C -> R x C. */
export function reluDerivative<R extends number, C extends number, D extends DType = "float64", R3 extends number = R, C3 extends number = C, D3 extends DType = D>(
  z: Matrix<R, C, D>, out?: OutArg<"reluDerivative", R, C, D, R3, C3, D3>,
): Matrix<R, C, D> {
  const x = dyn("reluDerivative", z);
  const o = result<R, C, D>("reluDerivative", x.rows, x.cols, dtypeOf(x.data), out);
  o.data.fill(1);
  activations.relu.timesDerivative!(x.data, x.data, o.data); // f'(z) (.) 1
  return o;
}
