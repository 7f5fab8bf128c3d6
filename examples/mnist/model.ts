/**
 * The networks of `npm run train`: the mlp (784-<hidden>-10) and the CNN of --model cnn, in either
 * element type; the one line that describes a run; and the model files written at the end.
 */
import {
  conv2d, dense, flatten, input, maxPool2d, mlp, relu, sequentialWith, softmax, type AnyNetwork, type DType,
} from "../../src/index.js";
import { saveModel } from "../../src/node.js";
import { JSON_LIMIT, type TrainOptions } from "./cli.js";

/** A network that classifies digits: 784 numbers in (a 1x28x28 image), 10 probabilities out. */
export type DigitNet<D extends DType = DType> = Omit<AnyNetwork, "sizes" | "dtype"> & { readonly sizes: readonly [784, ...number[], 10]; readonly dtype: D };
/** A digit network of either element type (a union, so that `net.dtype` tells which). */
export type AnyDigitNet = DigitNet<"float64"> | DigitNet<"float32">;

/**
 * The CNN of --model cnn (chosen by measurement, docs/cli.md "The CNN job"): LeNet's shape, two
 * 5x5 convolutions (16 and 24 filters) each with ReLU and 2x2 max pooling, then one dense layer to
 * the 10 classes: 1x28x28 -> 16x24x24 -> 16x12x12 -> 24x8x8 -> 24x4x4 -> 384 -> 10.
 */
export function cnn<D extends DType>(seed: number, dtype: D): DigitNet<D> {
  return sequentialWith({ seed, dtype }, [
    input(1, 28, 28), conv2d(16, 5), relu(), maxPool2d(2), conv2d(24, 5), relu(), maxPool2d(2), flatten(), dense(10), softmax(),
  ]);
}

/** The network the options ask for, initialised from --seed. */
export function buildNetwork<D extends DType>(o: TrainOptions, dtype: D): DigitNet<D> {
  const sizes: [784, ...number[], 10] = [784, ...o.hidden, 10];
  return o.model === "cnn" ? cnn(o.seed, dtype) : mlp(sizes, { seed: o.seed, dtype });
}

/** The number of weights and biases. */
export function parameterCount(net: AnyNetwork): number {
  return net.layers.reduce((n, l) => n + (l.weightShape ? l.weightShape[0] * (l.weightShape[1] + 1) : 0), 0);
}

/** "784-128-10 network (ReLU, softmax, cross-entropy)" or "CNN of 9,194 parameters (softmax, cross-entropy)". */
export function describeNetwork(net: AnyNetwork): string {
  const loss = net.loss === "crossEntropy" ? "cross-entropy" : "mean squared error";
  if (net.layers.every((l) => l.kind === "dense")) {
    const hidden = [...new Set(net.activations.slice(0, -1))].map((a) => (a === "relu" ? "ReLU" : a));
    return `${net.sizes.join("-")} network (${[...hidden, net.activations.at(-1)!, loss].join(", ")})`;
  }
  return `CNN of ${parameterCount(net).toLocaleString("en-US")} parameters (${net.activations.at(-1)}, ${loss}, layers below)`;
}

/**
 * Writes out/model.safetensors, and out/model.json too for a network of at most JSON_LIMIT
 * parameters (a larger JSON text takes seconds and hundreds of MB); returns the names written.
 * `saveModel` writes every network of the CLI (mlp or CNN, float64 or float32).
 */
export function saveModels(net: AnyNetwork, paths: { readonly "model.safetensors": string; readonly "model.json": string }): ("model.safetensors" | "model.json")[] {
  saveModel(net, paths["model.safetensors"]);
  if (parameterCount(net) > JSON_LIMIT) return ["model.safetensors"];
  saveModel(net, paths["model.json"]);
  return ["model.safetensors", "model.json"];
}
