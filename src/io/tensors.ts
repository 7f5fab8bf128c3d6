/**
 * The network as named tensors: the ONE place that says which tensors a model file holds, under
 * which names, in which shapes and order. Every binary format (model files, checkpoints, optimizer
 * state) goes through `tensorLayout`, so a new layer kind is added here once.
 *
 * Names are the `state_dict` keys of the equivalent PyTorch `nn.Sequential`: each Linear layer at
 * its module index, each activation a module of its own (an "identity" activation is no module).
 * 784-128-10 relu/softmax is `nn.Sequential(Linear(784, 128), ReLU(), Linear(128, 10), Softmax(dim=1))`,
 * whose tensors are `0.weight` [128, 784], `0.bias` [128], `2.weight` [10, 128], `2.bias` [10].
 * shapegrad's W^l (sizes[l] rows of sizes[l-1]) is PyTorch's Linear.weight layout [out, in], so the
 * numbers are stored as they are, row by row. (A convolution's F x (C*KH*KW) weight matrix would be
 * listed here as a [F, C, KH, KW] tensor, PyTorch's Conv2d.weight layout, with the same numbers.)
 */
import type { LayerActivation } from "../nn/activations/index.js";
import type { Params, Sizes } from "../nn/types.js";

/** One tensor of a model: its name, its shape, and which parameter of which layer holds its numbers. */
export interface TensorSpec {
  readonly name: string;
  readonly shape: readonly number[];
  /** Index into `weights` / `biases` (layer l is index l - 1). */
  readonly layer: number;
  readonly kind: "weight" | "bias";
}

/** The numbers of a parameter (a Float64Array today; a Float32Array for float32 networks). */
export type ParameterData = Float64Array | Float32Array;

/** What the layout is computed from: the public structure of a network. */
export interface NetworkStructure {
  readonly sizes: Sizes;
  readonly activations: readonly LayerActivation[];
}

/** The tensors of a network, in file order (layer by layer, weight then bias). */
export function tensorLayout(net: NetworkStructure): TensorSpec[] {
  const specs: TensorSpec[] = [];
  let module = 0;
  net.activations.forEach((f, l) => {
    const rows = net.sizes[l + 1]!, cols = net.sizes[l]!;
    specs.push({ name: `${module}.weight`, shape: [rows, cols], layer: l, kind: "weight" });
    specs.push({ name: `${module}.bias`, shape: [rows], layer: l, kind: "bias" });
    module += f === "identity" ? 1 : 2; // the Linear, then its activation module
  });
  return specs;
}

/** The numbers of `spec` in a network, or in anything shaped like its parameters (gradients, optimizer state). */
export function tensorData<S extends Sizes>(params: Params<S>, spec: TensorSpec): ParameterData {
  // Params<S> is a tuple per layer; the layout's layer index addresses it as a plain list.
  const list: readonly { readonly data: ParameterData }[] = spec.kind === "weight" ? params.weights : params.biases;
  return list[spec.layer]!.data;
}

/** The index of the first NaN or infinite entry, or -1 when all are finite. */
export function firstNonFinite(data: ParameterData): number {
  // Multiplying by 0 gives 0 for finite x and NaN for NaN or +-Infinity: one sum, no branch per entry.
  let s0 = 0, s1 = 0, i = 0;
  for (; i + 1 < data.length; i += 2) {
    s0 += data[i]! * 0;
    s1 += data[i + 1]! * 0;
  }
  if (i < data.length) s0 += data[i]! * 0;
  if (s0 + s1 === 0) return -1;
  for (let k = 0; k < data.length; k++) if (!Number.isFinite(data[k]!)) return k;
  return -1;
}

/** Where entry `index` of a tensor sits, in words: "[3, 17]" for a matrix, "[5]" for a vector. */
export function tensorIndex(shape: readonly number[], index: number): string {
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
export function checkFiniteParameters<S extends Sizes>(op: string, net: Params<S> & NetworkStructure): void {
  for (const spec of tensorLayout(net)) {
    const data = tensorData(net, spec);
    const at = firstNonFinite(data);
    if (at >= 0) {
      const where = spec.kind === "weight" ? `weights[${spec.layer}]` : `biases[${spec.layer}]`;
      throw new RangeError(`${op} refuses to save a model with a non-finite parameter: ${data[at]} in tensor "${spec.name}" at ${tensorIndex(spec.shape, at)} (${where}); nothing was written`);
    }
  }
}
