/**
 * The network as named tensors: the ONE place that says which tensors a model file holds, under
 * which names, in which shapes and order. Every binary format (model files, checkpoints, optimizer
 * state) goes through `tensorLayout`, so a new layer kind is added here once.
 *
 * Names are the `state_dict` keys of the equivalent PyTorch `nn.Sequential` (`pytorchModules`
 * writes it out): each layer is a module at its index, its activation the next module (an
 * "identity" activation is no module), a max pooling and a flatten one module each.
 * 784-128-10 relu/softmax is `nn.Sequential(Linear(784, 128), ReLU(), Linear(128, 10), Softmax(dim=1))`,
 * whose tensors are `0.weight` [128, 784], `0.bias` [128], `2.weight` [10, 128], `2.bias` [10].
 * The CNN is `Conv2d, ReLU, MaxPool2d, Conv2d, ReLU, MaxPool2d, Flatten, Linear, Softmax`:
 * `0.weight` [8, 1, 5, 5], `3.weight` [16, 8, 5, 5], `7.weight` [10, 576] and their biases.
 *
 * shapegrad's W^l is PyTorch's layout: Linear.weight [out, in], and a convolution's F x (C*KH*KW)
 * matrix is Conv2d.weight [F, C, KH, KW] read row by row (its columns run over c, then kh, then kw,
 * as im2col's rows do), so the numbers are stored as they are. A "same" convolution whose padding
 * is uneven (more at the bottom or right, TensorFlow's rule) is `ZeroPad2d((left, right, top,
 * bottom))` then `Conv2d(padding=0)` in PyTorch, so it takes two module indices.
 */
import type { Shape } from "../shape/dims.js";
import type { MatrixLike } from "../shape/matrix.js";
import { allFinite } from "../ops/create.js";
import type { LayerActivation } from "../nn/activations/index.js";
import type { AnyNetwork } from "../nn/network.js";
import { layerBiases, layerWeights } from "../nn/network.js";
import type { Architecture, LayerDescription } from "./architecture.js";
import { describeNetwork, padsOf, shapesOf } from "./architecture.js";
import type { Fail } from "./errors.js";

/** One tensor of a model: its name, its shape, and which parameter of which layer holds its numbers. */
export interface TensorSpec {
  readonly name: string;
  readonly shape: readonly number[];
  /** The layer's index in the architecture (layer l is index l - 1; `weights[layer]` of the network it describes). */
  readonly layer: number;
  /** Which layer with weights it is, counting from 0 (the index into `layerWeights(net)`). */
  readonly ordinal: number;
  readonly kind: "weight" | "bias";
}

/** The numbers of a parameter (a Float64Array, or a Float32Array for float32 networks). */
export type ParameterData = Float64Array | Float32Array;

/**
 * One module of the equivalent PyTorch `nn.Sequential`, and the layer it stands for: the layer
 * itself, its activation, the ZeroPad2d before an unevenly padded convolution, or the Flatten
 * before a softmax over an image output.
 */
export interface Module {
  readonly role: "layer" | "activation" | "pad" | "flatten";
  readonly python: string;
  /** The layer's index in the architecture. */
  readonly layer: number;
  readonly tensors?: { readonly weight: readonly number[]; readonly bias: readonly number[] };
}

const internal: Fail = (m) => new RangeError(m);

/** The modules of the equivalent PyTorch `nn.Sequential`, in order: module k is `list[k]` (see the file comment). */
export function pytorchModuleList(arch: Pick<Architecture, "input" | "layers">, fail: Fail = internal): Module[] {
  const { inputs, output } = shapesOf(arch, fail);
  const list: Module[] = [];
  arch.layers.forEach((layer, l) => {
    const input = inputs[l]!;
    switch (layer.kind) {
      case "dense":
        list.push({ role: "layer", python: `nn.Linear(${layer.inputs}, ${layer.outputs})`, layer: l, tensors: { weight: [layer.outputs, layer.inputs], bias: [layer.outputs] } });
        break;
      case "conv2d": {
        const [top, bottom, left, right] = padsOf(layer, input);
        const even = top === bottom && left === right;
        if (!even) list.push({ role: "pad", python: `nn.ZeroPad2d((${left}, ${right}, ${top}, ${bottom}))`, layer: l });
        const [kh, kw] = layer.kernel, [sh, sw] = layer.stride;
        const padding = even ? `(${top}, ${left})` : "(0, 0)";
        list.push({
          role: "layer", python: `nn.Conv2d(${input[0]}, ${layer.filters}, kernel_size=(${kh}, ${kw}), stride=(${sh}, ${sw}), padding=${padding})`,
          layer: l, tensors: { weight: [layer.filters, input[0]!, kh, kw], bias: [layer.filters] },
        });
        break;
      }
      case "maxPool2d":
        list.push({ role: "layer", python: `nn.MaxPool2d(kernel_size=(${layer.size.join(", ")}), stride=(${layer.stride.join(", ")}))`, layer: l });
        break;
      case "flatten":
        list.push({ role: "layer", python: "nn.Flatten()", layer: l });
        break;
    }
    const f = activation(layer);
    if (f !== "identity") {
      // softmax over a whole example: an image output is flattened first (the last module, so no name moves)
      if (f === "softmax" && output.length > 1 && l === arch.layers.length - 1) list.push({ role: "flatten", python: "nn.Flatten()", layer: l });
      list.push({ role: "activation", python: PYTHON[f], layer: l });
    }
  });
  return list;
}

const PYTHON: Readonly<Record<Exclude<LayerActivation, "identity">, string>> = {
  relu: "nn.ReLU()", sigmoid: "nn.Sigmoid()", tanh: "nn.Tanh()", softmax: "nn.Softmax(dim=1)",
};

function activation(layer: LayerDescription): LayerActivation {
  return layer.kind === "dense" || layer.kind === "conv2d" ? layer.activation : "identity";
}

/** The tensors of an architecture, in file order (layer by layer, weight then bias). */
export function tensorLayout(arch: Pick<Architecture, "input" | "layers">, fail: Fail = internal): TensorSpec[] {
  const specs: TensorSpec[] = [];
  let ordinal = 0;
  pytorchModuleList(arch, fail).forEach((m, index) => {
    if (m.tensors === undefined) return;
    specs.push({ name: `${index}.weight`, shape: m.tensors.weight, layer: m.layer, ordinal, kind: "weight" });
    specs.push({ name: `${index}.bias`, shape: m.tensors.bias, layer: m.layer, ordinal, kind: "bias" });
    ordinal++;
  });
  return specs;
}

/** `nn.Sequential(nn.Conv2d(1, 8, kernel_size=(5, 5), ...), nn.ReLU(), ...)`: the PyTorch model whose state_dict the tensors are. */
export function pytorchModules(arch: Pick<Architecture, "input" | "layers">): string {
  return `nn.Sequential(${pytorchModuleList(arch).map((m) => m.python).join(", ")})`;
}

/** Anything shaped like a network's parameters: the network, its gradients, an optimizer's buffers. */
export interface ParameterLists {
  readonly weights: readonly (MatrixLike | null)[];
  readonly biases: readonly (MatrixLike | null)[];
}

/** The numbers of `spec` in a network, or in anything shaped like its parameters (gradients, optimizer state). */
export function tensorData(params: ParameterLists, spec: TensorSpec): ParameterData {
  const list = spec.kind === "weight" ? layerWeights(params) : layerBiases(params);
  const m = list[spec.ordinal];
  if (m === undefined) throw new RangeError(`tensor "${spec.name}" belongs to layer with weights ${spec.ordinal + 1}, which the parameters do not have`);
  return m.data;
}

/** The index of the first NaN or infinite entry, or -1 when all are finite. */
export function firstNonFinite(data: ArrayLike<number>): number {
  // the ops' fast check first (WebAssembly for a network's arrays in the kernel heap); the loop finds the index
  if ((data instanceof Float64Array || data instanceof Float32Array) && allFinite(data)) return -1;
  for (let k = 0; k < data.length; k++) if (!Number.isFinite(data[k]!)) return k;
  return -1;
}

/** Where entry `index` of a tensor sits, in words: "[3, 17]" for a matrix, "[5]" for a vector, "[7, 0, 4, 2]" for a conv weight. */
export function tensorIndex(shape: Shape, index: number): string {
  const at: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    at.unshift(index % shape[d]!);
    index = Math.floor(index / shape[d]!);
  }
  return `[${at.join(", ")}]`;
}

/**
 * Throws a RangeError naming the first non-finite parameter (tensor and index): a model with a
 * NaN or an infinite weight is never written, so it can never replace a good file.
 */
export function checkFiniteParameters(op: string, net: AnyNetwork): void {
  for (const spec of tensorLayout(describeNetwork(op, net))) {
    const data = tensorData(net, spec);
    const at = firstNonFinite(data);
    if (at >= 0) {
      const where = spec.kind === "weight" ? `weights[${spec.layer}]` : `biases[${spec.layer}]`;
      throw new RangeError(`${op} refuses to save a model with a non-finite parameter: ${data[at]} in tensor "${spec.name}" at ${tensorIndex(spec.shape, at)} (${where}); nothing was written`);
    }
  }
}
