/**
 * The network chooser. A network is a list of layer specs (what the code box's interpreter also
 * produces), built with the library's own `sequentialWith`. Each architecture in `architectures`
 * turns the form's settings into layers: the dense network of the notes and a small CNN.
 */
import {
  conv2d, dense, dispose, flatten, identity, input, maxPool2d, relu, sequentialWith, sigmoid, softmax, summary, tanh,
  type LayerArg, type LayerActivation, type Padding, type RuntimeNetwork,
} from "../../../src/index.js";

export type Pair = readonly [number, number];

/** One argument of `sequential(...)`, as plain data (it crosses from the checker's worker). */
export type LayerSpec =
  | { readonly kind: "input"; readonly shape: readonly number[] }
  /** `dense(inputs, outputs)`, or `dense(outputs)` (inputs from the layer before) when `inputs` is absent. */
  | { readonly kind: "dense"; readonly inputs?: number; readonly outputs: number }
  | { readonly kind: "conv2d"; readonly filters: number; readonly kernel: Pair; readonly stride: Pair; readonly padding: Padding }
  | { readonly kind: "maxPool2d"; readonly size: Pair; readonly stride: Pair }
  | { readonly kind: "flatten" }
  | { readonly kind: "activation"; readonly name: LayerActivation };

export interface Settings {
  /** Hidden layer sizes of the dense network, e.g. [128] or [256, 128]. */
  readonly hidden: number[];
  readonly activation: "relu" | "sigmoid" | "tanh";
  /** Filters of the CNN's two convolutions, e.g. [8, 16]. */
  readonly filters: Pair;
  /** The CNN's kernel size (square). */
  readonly kernel: number;
}

export interface Architecture {
  readonly id: string;
  readonly label: string;
  /** Form fields (element ids) this architecture reads; the others are hidden while it is chosen. */
  readonly fields: readonly string[];
  /** Batch size and learning rate that train it well in one epoch (set when it is chosen). */
  readonly suggested: { readonly batchSize: number; readonly learningRate: number };
  /** Layers for these settings; the input is a 28 x 28 digit and the output 10 classes. */
  layers(settings: Settings): LayerSpec[];
}

export const architectures: readonly Architecture[] = [
  {
    id: "dense",
    label: "Dense (MLP)",
    fields: ["hidden", "activation"],
    suggested: { batchSize: 64, learningRate: 0.001 },
    layers: ({ hidden, activation }) => {
      const sizes = [784, ...hidden, 10];
      return sizes.slice(1).flatMap((outputs, l): LayerSpec[] => [
        { kind: "dense", inputs: sizes[l]!, outputs },
        { kind: "activation", name: l === sizes.length - 2 ? "softmax" : activation },
      ]);
    },
  },
  {
    id: "cnn",
    label: "CNN",
    fields: ["filters", "kernel", "activation"],
    // Measured in Node (same seed, the page's split): one epoch at batch 32 and 0.002 reaches 94.3%,
    // at batch 64 and 0.001 89.5%.
    suggested: { batchSize: 32, learningRate: 0.002 },
    layers: ({ filters, kernel, activation }) => [
      { kind: "input", shape: [1, 28, 28] },
      { kind: "conv2d", filters: filters[0], kernel: [kernel, kernel], stride: [1, 1], padding: "valid" },
      { kind: "activation", name: activation },
      { kind: "maxPool2d", size: [2, 2], stride: [2, 2] },
      { kind: "conv2d", filters: filters[1], kernel: [kernel, kernel], stride: [1, 1], padding: "same" },
      { kind: "activation", name: activation },
      { kind: "maxPool2d", size: [2, 2], stride: [2, 2] },
      { kind: "flatten" },
      { kind: "dense", outputs: 10 },
      { kind: "activation", name: "softmax" },
    ],
  },
];

const activationLayers: Record<LayerActivation, () => LayerArg> = { relu, sigmoid, tanh, identity, softmax };

function layerArg(l: LayerSpec): LayerArg {
  switch (l.kind) {
    case "input": return l.shape.length === 3 ? input(l.shape[0]!, l.shape[1]!, l.shape[2]!) : input(l.shape[0]!);
    case "dense": return l.inputs === undefined ? dense(l.outputs) : dense(l.inputs, l.outputs);
    case "conv2d": return conv2d(l.filters, [l.kernel[0], l.kernel[1]], { stride: [l.stride[0], l.stride[1]], padding: l.padding });
    case "maxPool2d": return maxPool2d([l.size[0], l.size[1]], [l.stride[0], l.stride[1]]);
    case "flatten": return flatten();
    case "activation": return activationLayers[l.name]();
  }
}

/** The most parameters the page builds (a network of 5 M float64 parameters, with Adam's state, is about 160 MB). */
export const MAX_PARAMETERS = 5_000_000;

/**
 * The network the layers describe, initialised from `seed`. `sequentialWith` checks the wiring at
 * run time too (it throws the compiler's ShapeError texts); the page then requires a digit reader:
 * 784 inputs, 10 outputs, and at most MAX_PARAMETERS parameters.
 */
export function buildNetwork(layers: readonly LayerSpec[], seed: number): RuntimeNetwork {
  const [first, ...rest] = layers.map(layerArg);
  if (!first) throw new Error("a network needs at least one layer");
  // A list built at run time has no literal types for sequential's compile-time check, so its
  // result type says nothing useful; sequentialWith checked every layer at run time, and a
  // RuntimeNetwork (sizes known at run time) is what it built.
  const net = sequentialWith({ seed }, [first, ...rest] as [LayerArg, ...LayerArg[]]) as unknown as RuntimeNetwork;
  checkDigitReader(net);
  return net;
}

/** Throws unless the network reads 28 x 28 digits (784 values) into 10 classes and fits in the page. */
export function checkDigitReader(net: RuntimeNetwork): void {
  const inputs = net.sizes[0], outputs = net.sizes[net.sizes.length - 1];
  if (inputs !== 784 || outputs !== 10) {
    throw new Error(`the playground reads digits: it needs 784 inputs (input(1, 28, 28) or dense(784, ...)) and 10 outputs, this network has ${inputs} inputs and ${outputs} outputs`);
  }
  const params = Number(summary(net).params);
  if (params > MAX_PARAMETERS) throw new Error(`the playground trains networks of at most ${MAX_PARAMETERS.toLocaleString("en-US")} parameters, this one has ${params.toLocaleString("en-US")}`);
}

/**
 * Why Apply cannot build these layers (they compiled, but the page trains only digit readers of a
 * bounded size), or undefined: the checker's worker builds the network once to find out.
 */
export function applyError(layers: readonly LayerSpec[]): string | undefined {
  try {
    dispose(buildNetwork(layers, 1));
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/** Whether the network is the notes' dense chain (then its definition has no input layer). */
function denseOnly(net: RuntimeNetwork): boolean {
  return net.layers.every((l) => l.kind === "dense");
}

/** The layers of a network (the inverse of buildNetwork, for a loaded model). */
export function layersOf(net: RuntimeNetwork): LayerSpec[] {
  const out: LayerSpec[] = [];
  const plain = denseOnly(net);
  if (!plain) out.push({ kind: "input", shape: [...net.shapes[0]!] });
  net.layers.forEach((layer) => {
    // Each spec was built by the layer function of its kind (sequential or a model loader), whose
    // fields are read below by kind.
    const spec = layer.spec as unknown as Record<string, unknown>;
    if (layer.kind === "dense") {
      const inputs = layer.inputShape[0]!, outputs = layer.outputShape[0]!;
      // The dense chain is written dense(inputs, outputs) as in the notes; after a flatten, dense(outputs).
      out.push(plain ? { kind: "dense", inputs, outputs } : { kind: "dense", outputs });
    } else if (layer.kind === "conv2d") {
      out.push({ kind: "conv2d", filters: spec.filters as number, kernel: spec.kernel as Pair, stride: spec.stride as Pair, padding: spec.padding as Padding });
    } else if (layer.kind === "maxPool2d") {
      out.push({ kind: "maxPool2d", size: spec.size as Pair, stride: spec.stride as Pair });
    } else if (layer.kind === "flatten") {
      out.push({ kind: "flatten" });
    } else {
      throw new Error(`the playground cannot show a ${layer.kind} layer`);
    }
    if (layer.activation !== "identity") out.push({ kind: "activation", name: layer.activation });
  });
  return out;
}

/** `5` for [5, 5], `[3, 5]` otherwise. */
function pairText(p: Pair): string {
  return p[0] === p[1] ? String(p[0]) : `[${p[0]}, ${p[1]}]`;
}

/** A layer as code: `conv2d(16, 5, { padding: "same" })`. */
export function layerCode(l: LayerSpec): string {
  switch (l.kind) {
    case "input": return `input(${l.shape.join(", ")})`;
    case "dense": return l.inputs === undefined ? `dense(${l.outputs})` : `dense(${l.inputs}, ${l.outputs})`;
    case "conv2d": {
      const options = [
        ...(l.stride[0] === 1 && l.stride[1] === 1 ? [] : [`stride: ${pairText(l.stride)}`]),
        ...(l.padding === "valid" ? [] : [`padding: ${typeof l.padding === "string" ? `"${l.padding}"` : l.padding}`]),
      ];
      return `conv2d(${l.filters}, ${pairText(l.kernel)}${options.length ? `, { ${options.join(", ")} }` : ""})`;
    }
    case "maxPool2d": return l.size[0] === l.stride[0] && l.size[1] === l.stride[1] ? `maxPool2d(${pairText(l.size)})` : `maxPool2d(${pairText(l.size)}, ${pairText(l.stride)})`;
    case "flatten": return "flatten()";
    case "activation": return `${l.name}()`;
  }
}

/** The function a layer's code calls. */
function callee(l: LayerSpec): string {
  return l.kind === "activation" ? l.name : l.kind;
}

/** The `sequential(...)` definition of the layers, one layer (with its activation) per line. */
export function definition(layers: readonly LayerSpec[]): string {
  const used = new Set<string>(["sequential", ...layers.map(callee)]);
  const lines: string[] = [];
  for (const l of layers) {
    if (l.kind === "activation" && lines.length) lines[lines.length - 1] += ` ${layerCode(l)},`;
    else lines.push(`  ${layerCode(l)},`);
  }
  const image = layers[0]?.kind === "input" && layers[0].shape.length === 3;
  return [
    `import { ${[...used].sort().join(", ")} } from "shapegrad";`,
    "",
    image ? "// One 28 x 28 grey image (1 channel) in, 10 classes (the digits 0-9) out." : "// 784 inputs (28 x 28 pixels) in, 10 classes (the digits 0-9) out.",
    image ? "// Change a size, a kernel or a padding: the compiler checks that each layer fits the one before." : "// Change a size: the compiler checks that each layer fits the one before.",
    "export const model = sequential(",
    ...lines,
    ");",
    "",
  ].join("\n");
}

/** A short name of the network for the page and file names: "784-128-10" or "cnn-8-16". */
export function shortName(net: RuntimeNetwork): string {
  if (denseOnly(net)) return net.sizes.join("-");
  return ["cnn", ...net.layers.filter((l) => l.kind === "conv2d").map((l) => l.outputShape[0]), ...net.layers.filter((l) => l.kind === "dense").map((l) => l.outputShape[0])].join("-");
}
