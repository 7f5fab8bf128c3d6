/**
 * Layers for `sequential(...)`: `dense(inputs, outputs)` and the activations `relu()`, `sigmoid()`,
 * `tanh()`, `identity()`, `softmax()`. Called with a matrix, the activations are the element-wise
 * ops instead (`relu(z)`), so one name serves both the model definition and the math.
 */
import type { Size } from "../shape/dims.js";
import { ShapeError, sequentialMessage, shapeMessage } from "../shape/errors.js";
import type { Matrix } from "../shape/matrix.js";
import { checkSize } from "../shape/matrix.js";
import type { SizeArg } from "../ops/create.js";
import { identity as identityMatrix } from "../ops/create.js";
import { map } from "../ops/elementwise.js";
import { relu as reluOp, softmax as softmaxOp } from "../ops/activations.js";
import type { LayerActivation } from "./activation.js";

/** A fully connected layer from `In` to `Out` neurons: z = W a + b with W of shape Out x In. */
export interface Dense<In extends number, Out extends number> {
  readonly kind: "dense";
  readonly inputs: In;
  readonly outputs: Out;
}

/** An activation applied to the previous dense layer's z. */
export interface ActivationLayer<Name extends LayerActivation> {
  readonly kind: "activation";
  readonly name: Name;
}

/** Anything `sequential` takes. */
export type Layer = Dense<number, number> | ActivationLayer<LayerActivation>;

/** `dense(784, 128)`: a `Dense<784, 128>` layer. */
export function dense<In extends number, Out extends number>(inputs: SizeArg<In, "dense">, outputs: SizeArg<Out, "dense">): Dense<Size<In>, Size<Out>> {
  checkSize("dense", inputs);
  checkSize("dense", outputs);
  // Both sizes were checked above; Size<> is the literal itself, or Dyn for a plain number.
  return { kind: "dense", inputs, outputs } as unknown as Dense<Size<In>, Size<Out>>;
}

function activationLayer<Name extends LayerActivation>(name: Name): ActivationLayer<Name> {
  return { kind: "activation", name };
}

/** `relu()`: a ReLU layer, max(0, z). `relu(z)`: applies it to a matrix. */
export function relu(): ActivationLayer<"relu">;
export function relu<R extends number, C extends number>(z: Matrix<R, C>, out?: Matrix<NoInfer<R>, NoInfer<C>>): Matrix<R, C>;
export function relu<R extends number, C extends number>(z?: Matrix<R, C>, out?: Matrix<R, C>): ActivationLayer<"relu"> | Matrix<R, C> {
  return z === undefined ? activationLayer("relu") : reluOp(z, out);
}

/** `softmax()`: the output layer of the notes (with cross-entropy). `softmax(z)`: per-column softmax. */
export function softmax(): ActivationLayer<"softmax">;
export function softmax<K extends number, B extends number>(z: Matrix<K, B>, out?: Matrix<NoInfer<K>, NoInfer<B>>): Matrix<K, B>;
export function softmax<K extends number, B extends number>(z?: Matrix<K, B>, out?: Matrix<K, B>): ActivationLayer<"softmax"> | Matrix<K, B> {
  return z === undefined ? activationLayer("softmax") : softmaxOp(z, out);
}

/** `sigmoid()`: a logistic layer, 1 / (1 + e^-z). `sigmoid(z)`: applies it to a matrix. */
export function sigmoid(): ActivationLayer<"sigmoid">;
export function sigmoid<R extends number, C extends number>(z: Matrix<R, C>, out?: Matrix<NoInfer<R>, NoInfer<C>>): Matrix<R, C>;
export function sigmoid<R extends number, C extends number>(z?: Matrix<R, C>, out?: Matrix<R, C>): ActivationLayer<"sigmoid"> | Matrix<R, C> {
  return z === undefined ? activationLayer("sigmoid") : map(z, (v) => 1 / (1 + Math.exp(-v)), out);
}

/** `tanh()`: a hyperbolic-tangent layer. `tanh(z)`: applies it to a matrix. */
export function tanh(): ActivationLayer<"tanh">;
export function tanh<R extends number, C extends number>(z: Matrix<R, C>, out?: Matrix<NoInfer<R>, NoInfer<C>>): Matrix<R, C>;
export function tanh<R extends number, C extends number>(z?: Matrix<R, C>, out?: Matrix<R, C>): ActivationLayer<"tanh"> | Matrix<R, C> {
  return z === undefined ? activationLayer("tanh") : map(z, Math.tanh, out);
}

/** `identity()`: a linear layer (a = z), e.g. a regression output with mean squared error. `identity(3)`: the 3x3 identity matrix. */
export function identity(): ActivationLayer<"identity">;
export function identity<N extends number>(n: SizeArg<N, "identity">): Matrix<Size<N>, Size<N>>;
export function identity<N extends number>(n?: SizeArg<N, "identity">): ActivationLayer<"identity"> | Matrix<Size<N>, Size<N>> {
  return n === undefined ? activationLayer("identity") : identityMatrix<N>(n);
}

/** Turns a layer list into sizes and one activation per dense layer (identity where none follows). */
export function flattenLayers(layers: readonly Layer[]): { sizes: number[]; activations: LayerActivation[] } {
  const sizes: number[] = [];
  const activations: LayerActivation[] = [];
  layers.forEach((layer, i) => {
    const position = i + 1;
    if (layer?.kind === "dense") {
      checkSize("sequential", layer.inputs);
      checkSize("sequential", layer.outputs);
      if (sizes.length === 0) sizes.push(layer.inputs);
      const previous = sizes[sizes.length - 1]!;
      if (layer.inputs !== previous) {
        const prevPos = layers.map((l) => l?.kind).lastIndexOf("dense", i - 1) + 1;
        throw new ShapeError(sequentialMessage(position, layer.inputs, prevPos, previous));
      }
      sizes.push(layer.outputs);
      activations.push("identity");
    } else if (layer?.kind === "activation") {
      if (sizes.length === 0) throw new ShapeError(shapeMessage("sequential", `a dense layer at layer ${position}`, `activation ${layer.name} first`));
      if (layers[i - 1]?.kind !== "dense") throw new ShapeError(shapeMessage("sequential", `a dense layer before the activation at layer ${position}`, `another activation`));
      activations[activations.length - 1] = layer.name;
    } else {
      throw new ShapeError(shapeMessage("sequential", `a layer (dense or activation) at layer ${position}`, String(layer)));
    }
  });
  if (sizes.length === 0) throw new ShapeError(shapeMessage("sequential", "at least one dense layer", "none"));
  return { sizes, activations };
}
