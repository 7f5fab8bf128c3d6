/**
 * Export to the TensorFlow.js layers-model format: `modelToTfjs(net)` gives the `model.json`
 * document and the bytes of its one weights file, `group1-shard1of1.bin`. TF.js loads them with
 * `tf.loadLayersModel` (from files, a URL or `tf.io.fromMemory`), and the tensorflowjs converter
 * turns them into a Keras model.
 *
 * Layout: a Sequential of Dense layers, each with its activation ("linear" for identity); each
 * Dense stores `kernel` [in, out] (Keras's layout, the transpose of shapegrad's W [out, in]) and
 * `bias` [out], as little-endian float32 in layer order. Browser-safe: plain objects and bytes.
 */
import type { Mlp } from "../nn/network.js";
import type { Sizes } from "../nn/types.js";
import type { InteropLayer } from "./interop-layers.js";
import { layersOf } from "./interop-layers.js";

/** The name of the weights file that `modelJson.weightsManifest` points at. */
export const TFJS_WEIGHTS_FILE = "group1-shard1of1.bin";

/** One tensor in the weights file, in order: `{ name: "dense_1/kernel", shape: [784, 128], dtype: "float32" }`. */
export interface TfjsWeightSpec {
  readonly name: string;
  readonly shape: number[];
  readonly dtype: "float32";
}

/** A Keras layer as TF.js serialises it: `{ class_name: "Dense", config: { units: 128, ... } }`. */
export interface TfjsLayerJson {
  readonly class_name: string;
  readonly config: Record<string, unknown>;
}

/** The `model.json` of a TF.js layers model. */
export interface TfjsModelJson {
  readonly format: "layers-model";
  readonly generatedBy: string;
  readonly convertedBy: null;
  readonly modelTopology: {
    readonly class_name: "Sequential";
    readonly config: { readonly name: string; readonly layers: TfjsLayerJson[] };
    readonly keras_version: string;
    readonly backend: string;
  };
  readonly weightsManifest: { readonly paths: string[]; readonly weights: TfjsWeightSpec[] }[];
}

/** `modelToTfjs(net)`: `modelJson` (write it as model.json) and `weights` (write it as group1-shard1of1.bin beside it). */
export interface TfjsModel {
  readonly modelJson: TfjsModelJson;
  readonly weights: Uint8Array;
}

/** `modelToTfjs(net)`: the network as a TF.js layers model (float32 weights). */
export function modelToTfjs<S extends Sizes>(net: Mlp<S>): TfjsModel {
  const { layers, specs, values } = tfjsLayers(layersOf(net), [null, net.sizes[0]!]);
  const modelJson: TfjsModelJson = {
    format: "layers-model",
    generatedBy: "shapegrad",
    convertedBy: null,
    modelTopology: {
      class_name: "Sequential",
      config: { name: "shapegrad", layers },
      // The layer-config dialect this file follows (what TF.js 4.22 writes and reads).
      keras_version: "tfjs-layers 4.22.0",
      backend: "tensor_flow.js",
    },
    weightsManifest: [{ paths: [TFJS_WEIGHTS_FILE], weights: specs }],
  };
  return { modelJson, weights: float32Bytes(values) };
}

/**
 * The network-to-layers mapping: the layer list in, Keras layers, weight specs and the weight
 * values (in spec order) out. An activation folds into the Dense before it.
 */
export function tfjsLayers(list: readonly InteropLayer[], batchInputShape: (number | null)[]): { layers: TfjsLayerJson[]; specs: TfjsWeightSpec[]; values: ArrayLike<number>[] } {
  const layers: { class_name: string; config: Record<string, unknown> }[] = [];
  const specs: TfjsWeightSpec[] = [];
  const values: ArrayLike<number>[] = [];
  let dense = 0;
  for (const layer of list) {
    if (layer.kind === "activation") {
      const prev = layers[layers.length - 1];
      if (prev?.class_name === "Dense" && prev.config.activation === "linear") prev.config.activation = layer.activation;
      else layers.push({ class_name: "Activation", config: { activation: layer.activation, name: `activation_${layers.length + 1}`, trainable: true } });
      continue;
    }
    const name = `dense_${++dense}`;
    layers.push({ class_name: "Dense", config: denseConfig(name, layer.outputs, layers.length === 0 ? batchInputShape : undefined) });
    specs.push({ name: `${name}/kernel`, shape: [layer.inputs, layer.outputs], dtype: "float32" });
    specs.push({ name: `${name}/bias`, shape: [layer.outputs], dtype: "float32" });
    values.push(transposed(layer.weights, layer.outputs, layer.inputs), layer.bias);
  }
  return { layers, specs, values };
}

/** A Dense layer's config with every field TF.js writes (Keras reads the same names). */
function denseConfig(name: string, units: number, batchInputShape: (number | null)[] | undefined): Record<string, unknown> {
  return {
    units,
    activation: "linear",
    use_bias: true,
    kernel_initializer: { class_name: "VarianceScaling", config: { scale: 1, mode: "fan_avg", distribution: "normal", seed: null } },
    bias_initializer: { class_name: "Zeros", config: {} },
    kernel_regularizer: null,
    bias_regularizer: null,
    activity_regularizer: null,
    kernel_constraint: null,
    bias_constraint: null,
    name,
    trainable: true,
    ...(batchInputShape ? { batch_input_shape: batchInputShape } : {}),
    dtype: "float32",
  };
}

/** W [rows, cols] row-major to W^T [cols, rows] row-major: shapegrad's [out, in] to Keras's [in, out]. */
function transposed(w: ArrayLike<number>, rows: number, cols: number): Float64Array {
  const t = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) t[j * rows + i] = w[i * cols + j]!;
  return t;
}

/** The values one after another as little-endian float32; a finite value beyond float32's range is refused, not turned into Infinity. */
function float32Bytes(values: readonly ArrayLike<number>[]): Uint8Array {
  const total = values.reduce((n, v) => n + v.length, 0);
  const bytes = new Uint8Array(total * 4);
  const view = new DataView(bytes.buffer);
  let k = 0;
  for (const list of values) {
    for (let i = 0; i < list.length; i++, k++) {
      const v = list[i]!;
      if (!Number.isFinite(Math.fround(v))) throw new RangeError(`modelToTfjs: weight ${v} does not fit in float32`);
      view.setFloat32(k * 4, v, true);
    }
  }
  return bytes;
}
