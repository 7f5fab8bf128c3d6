/**
 * `sequential(input(1, 28, 28), conv2d(8, 5), relu(), maxPool2d(2), flatten(), dense(10), softmax())`:
 * a network from composed layers, checked while compiling. Every layer's output shape is computed
 * by its shape law, and an argument that does not fit is a compile error on that argument, whose
 * text names its position: `sequential layer 3 expects 127 inputs but layer 1 outputs 128`.
 * Dense-only networks are the same `Mlp` as `mlp([...])`; all run on one engine.
 */
import { describe } from "../shape/dims.js";
import {
  ShapeError, activationPlaceMessage, inputPlaceMessage, noWeightsMessage, shapeMessage, softmaxPlaceMessage,
} from "../shape/errors.js";
import type { DType } from "../shape/matrix.js";
import type { LayerActivation } from "./activations/index.js";
import { isLayerActivation } from "./activations/index.js";
import type { Built, CheckLayers } from "./flow.js";
import type { AnyLayer, LayerSpec } from "./layer.js";
import { kindOf } from "./layers/index.js";
import type { Mlp, MlpOptions, Network } from "./network.js";
import { buildNetwork } from "./network.js";
import type { Shape } from "../shape/dims.js";

/** Anything `sequential` takes: a layer spec (`dense(...)`, `conv2d(...)`, `input(...)`, ...) or an activation (`relu()`). */
export type LayerArg = LayerSpec;

/** `SizesOf<K>`: the sizes of a dense-only network, input first (`[784, 128, 10]`). */
type DenseSizes<K extends readonly AnyLayer[]> = [K[0]["inputShape"][0], ...{ -readonly [I in keyof K]: K[I]["outputShape"][0] }];

/** The network `sequential` builds from L: an `Mlp` when every layer is dense, else a `Network` of the built layers. */
export type NetworkFrom<L extends readonly unknown[], D extends DType = "float64"> =
  number extends L["length"] ? Network<readonly AnyLayer[], D> // a list built at run time: shapes known then
  : Built<L> extends infer K extends readonly AnyLayer[]
    ? [K[number]["kind"]] extends ["dense"] ? MlpOf<DenseSizes<K>, D> : Network<K, D>
    : never;

/**
 * `Mlp<S, D>` for sizes read from the built layers. Matched with `infer ... extends number[]` rather
 * than intersected with `number[]`, so that `sequential(dense(4, 8), dense(8, 3))` is exactly an
 * `Mlp<[4, 8, 3]>`, the type `mlp([4, 8, 3])` has (an intersection `[4, 8, 3] & number[]` is
 * another type to tsd and in hovers).
 */
type MlpOf<S, D extends DType> = S extends infer Sizes extends number[] ? Mlp<Sizes, D> : never;

/** `SizesOf<[Dense<784, 128>, ActivationLayer<"relu">, Dense<128, 10>]>` is `[784, 128, 10]`. */
export type SizesOf<L extends readonly unknown[]> = Built<L> extends infer K extends readonly AnyLayer[] ? DenseSizes<K> : never;

/**
 * A network from layers, weights initialised with seed 0 (He for ReLU layers, Glorot otherwise);
 * `initialize(net, { seed })` draws them again. The last activation decides the loss: softmax means
 * cross-entropy, anything else mean squared error.
 */
export function sequential<const L extends readonly [LayerArg, ...LayerArg[]]>(...layers: CheckLayers<L>): NetworkFrom<L> {
  return sequentialWith<L>({}, layers);
}

/** `sequential` with options: seed, rng, init, and the element type (`{ dtype: "float32" }`). */
export function sequentialWith<const L extends readonly [LayerArg, ...LayerArg[]], D extends DType = "float64">(
  options: Pick<MlpOptions<D>, "seed" | "rng" | "init" | "dtype">, layers: CheckLayers<L>,
): NetworkFrom<L, D> {
  const list: unknown = layers;
  if (!Array.isArray(list) || list.length === 0) throw new ShapeError(shapeMessage("sequential", "at least one layer", Array.isArray(list) ? "none" : describe(list)));
  const { specs, activations, inputShape, positions } = separate(list);
  const loss = activations[activations.length - 1] === "softmax" ? "crossEntropy" : "meanSquaredError";
  // build resolved each layer with the same laws NetworkFrom<L, D> applies on the type level.
  return buildNetwork(specs, activations, loss, options, inputShape, positions, "sequential") as unknown as NetworkFrom<L, D>;
}

/**
 * Splits the arguments into layer specs, one activation per spec (identity where none follows) and
 * the input shape, checking the rules that do not depend on shapes, with the compile-time texts.
 */
function separate(layers: readonly unknown[]): { specs: LayerSpec[]; activations: LayerActivation[]; inputShape: Shape | null; positions: number[] } {
  const specs: LayerSpec[] = [], activations: LayerActivation[] = [], positions: number[] = [];
  let inputShape: Shape | null = null, shape: Shape | null = null, prev = 0;
  let last: "nothing" | "activation" | "weights" | "no weights" = "nothing", hasWeights = false;
  layers.forEach((layer, i) => {
    const at = i + 1;
    if (typeof layer !== "object" || layer === null || typeof (layer as LayerSpec).kind !== "string") {
      throw new ShapeError(shapeMessage("sequential", `a layer at layer ${at}`, describe(layer)));
    }
    const spec = layer as LayerSpec & { readonly name?: unknown };
    if (spec.kind === "activation") {
      const name = spec.name;
      if (!isLayerActivation(name)) throw new ShapeError(shapeMessage("sequential", `an activation at layer ${at}`, describe(name)));
      if (last !== "weights") {
        const got = last === "nothing" ? "it first" : last === "activation" ? "two activations in a row" : "it after a layer without weights";
        throw new ShapeError(activationPlaceMessage(at, name, got));
      }
      if (name === "softmax" && at !== layers.length) throw new ShapeError(softmaxPlaceMessage(at, layers.length));
      activations[activations.length - 1] = name;
      last = "activation";
      return;
    }
    if (spec.kind === "input") {
      if (i !== 0) throw new ShapeError(inputPlaceMessage(at));
      inputShape = shape = kindOf("input")!.resolve(spec, null, at, 0).output;
      prev = at;
      last = "no weights";
      return;
    }
    const kind = kindOf(spec.kind);
    if (kind === undefined) throw new ShapeError(shapeMessage("sequential", `a layer at layer ${at}`, `kind ${describe(spec.kind)}`));
    // Resolving here (build resolves again) tells whether the layer has weights, and reports a shape
    // error at its position before a placement error further on, as the compiler does.
    const { output, weights } = kind.resolve(spec, shape, at, prev);
    specs.push(spec);
    activations.push("identity");
    positions.push(at);
    shape = output;
    prev = at;
    hasWeights ||= weights !== null;
    last = weights !== null ? "weights" : "no weights";
  });
  if (!hasWeights) throw new ShapeError(noWeightsMessage());
  return { specs, activations, inputShape, positions };
}
