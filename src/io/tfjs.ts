/**
 * Export to the TensorFlow.js layers-model format: `modelToTfjs(net)` gives the `model.json`
 * document and the bytes of its one weights file, `group1-shard1of1.bin`. TF.js loads them with
 * `tf.loadLayersModel` (from files, a URL or `tf.io.fromMemory`), and the tensorflowjs converter
 * turns them into a Keras model.
 *
 * Layout: a Sequential of Dense, Conv2D, MaxPooling2D, Flatten (and ZeroPadding2D before a conv
 * padded by a number of pixels) layers, each layer with weights carrying its activation ("linear"
 * for identity). Keras is NHWC (channels_last, see interop-layers.ts): the input is
 * [batch, H, W, C], each Conv2D stores `kernel` [KH, KW, C, F] and `bias` [F], each Dense
 * `kernel` [in, out] (the transpose of shapegrad's W [out, in]; after a Flatten of an image its
 * rows in (h, w, c) order) and `bias` [out], as little-endian float32 in layer order.
 * Browser-safe: plain objects and bytes.
 */
import type { Shape } from "../shape/dims.js";
import type { AnyNetwork } from "../nn/network.js";
import type { InteropLayer } from "./interop-layers.js";
import { layersOf, toHwcColumns } from "./interop-layers.js";

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

/** `modelToTfjs(net)`: the network as a TF.js layers model (float32 weights; images NHWC). */
export function modelToTfjs<N extends AnyNetwork>(net: N): TfjsModel {
  const { input, layers: list } = layersOf("modelToTfjs", net);
  const batchInputShape = [null, ...(input.length === 3 ? [input[1]!, input[2]!, input[0]!] : input)];
  const { layers, specs, values } = tfjsLayers(list, batchInputShape);
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
 * values (in spec order) out. An activation folds into the layer with weights before it.
 */
export function tfjsLayers(list: readonly InteropLayer[], batchInputShape: (number | null)[]): { layers: TfjsLayerJson[]; specs: TfjsWeightSpec[]; values: ArrayLike<number>[] } {
  const layers: { class_name: string; config: Record<string, unknown> }[] = [];
  const specs: TfjsWeightSpec[] = [];
  const values: ArrayLike<number>[] = [];
  const counts: Record<string, number> = {};
  const name = (base: string) => `${base}_${(counts[base] = (counts[base] ?? 0) + 1)}`;
  const push = (class_name: string, config: Record<string, unknown>) => {
    if (layers.length === 0) config.batch_input_shape = batchInputShape;
    config.dtype = "float32";
    layers.push({ class_name, config });
  };
  let image: Shape | undefined; // the [C, H, W] a Flatten just flattened, for the Dense after it
  for (const layer of list) {
    switch (layer.kind) {
      case "activation": {
        const prev = layers[layers.length - 1];
        if ((prev?.class_name === "Dense" || prev?.class_name === "Conv2D") && prev.config.activation === "linear") prev.config.activation = layer.activation;
        else push("Activation", { activation: layer.activation, name: name("activation"), trainable: true });
        break;
      }
      case "dense": {
        const n = name("dense");
        push("Dense", denseConfig(n, layer.outputs));
        specs.push({ name: `${n}/kernel`, shape: [layer.inputs, layer.outputs], dtype: "float32" }, { name: `${n}/bias`, shape: [layer.outputs], dtype: "float32" });
        const w = image === undefined ? layer.weights : toHwcColumns(layer.weights, layer.outputs, image);
        values.push(transposed(w, layer.outputs, layer.inputs), layer.bias);
        image = undefined;
        break;
      }
      case "conv2d": {
        const [c, f] = [layer.input[0]!, layer.filters], [kh, kw] = layer.kernel;
        if (typeof layer.padding === "number" && layer.padding > 0) {
          const p = layer.padding;
          push("ZeroPadding2D", { padding: [[p, p], [p, p]], data_format: "channels_last", name: name("zero_padding2d"), trainable: true });
        }
        const n = name("conv2d");
        push("Conv2D", convConfig(n, f, layer.kernel, layer.stride, layer.padding === "same" ? "same" : "valid"));
        specs.push({ name: `${n}/kernel`, shape: [kh, kw, c, f], dtype: "float32" }, { name: `${n}/bias`, shape: [f], dtype: "float32" });
        values.push(kerasKernel(layer.weights, f, c, kh, kw), layer.bias);
        break;
      }
      case "maxPool2d":
        push("MaxPooling2D", { pool_size: [...layer.size], padding: "valid", strides: [...layer.stride], data_format: "channels_last", name: name("max_pooling2d"), trainable: true });
        break;
      case "flatten":
        push("Flatten", { name: name("flatten"), trainable: true });
        if (layer.input.length === 3) image = layer.input;
        break;
    }
  }
  return { layers, specs, values };
}

const initializers = {
  kernel_initializer: { class_name: "VarianceScaling", config: { scale: 1, mode: "fan_avg", distribution: "normal", seed: null } },
  bias_initializer: { class_name: "Zeros", config: {} },
  kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null,
};

/** A Dense layer's config with every field TF.js writes (Keras reads the same names). */
function denseConfig(name: string, units: number): Record<string, unknown> {
  return { units, activation: "linear", use_bias: true, ...initializers, name, trainable: true };
}

/** A Conv2D layer's config (channels_last, no dilation), with every field TF.js writes. */
function convConfig(name: string, filters: number, kernel: readonly [number, number], strides: readonly [number, number], padding: "valid" | "same"): Record<string, unknown> {
  return {
    filters, kernel_size: [...kernel], strides: [...strides], padding, data_format: "channels_last", dilation_rate: [1, 1],
    activation: "linear", use_bias: true, ...initializers, name, trainable: true,
  };
}

/** shapegrad's conv weights [F, C, KH, KW] as Keras's kernel [KH, KW, C, F]. */
export function kerasKernel(w: ArrayLike<number>, f: number, c: number, kh: number, kw: number): Float64Array {
  const out = new Float64Array(f * c * kh * kw);
  for (let o = 0; o < f; o++) for (let i = 0; i < c; i++) for (let y = 0; y < kh; y++) for (let x = 0; x < kw; x++) {
    out[((y * kw + x) * c + i) * f + o] = w[((o * c + i) * kh + y) * kw + x]!;
  }
  return out;
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
