/**
 * The network chooser. A network is a list of layer specs (what the code box's interpreter also
 * produces), built with the library's own `sequential`. Each architecture in `architectures` turns
 * the form's settings into layers; a new kind of network (the CNN) is one more entry with its own
 * layer kinds.
 */
import {
  dense, identity, relu, sequentialWith, sigmoid, softmax, tanh,
  type AnyMlp, type LayerArg, type LayerActivation,
} from "../../../src/index.js";

export type LayerSpec =
  | { readonly kind: "dense"; readonly inputs: number; readonly outputs: number }
  | { readonly kind: "activation"; readonly name: LayerActivation };

export interface Settings {
  /** Hidden layer sizes, e.g. [128] or [256, 128]. */
  readonly hidden: number[];
  readonly activation: "relu" | "sigmoid" | "tanh";
}

export interface Architecture {
  readonly id: string;
  readonly label: string;
  /** Layers for these settings; the input is 784 pixels and the output 10 classes. */
  layers(settings: Settings): LayerSpec[];
}

export const architectures: readonly Architecture[] = [
  {
    id: "dense",
    label: "Dense (MLP)",
    layers: ({ hidden, activation }) => {
      const sizes = [784, ...hidden, 10];
      return sizes.slice(1).flatMap((outputs, l): LayerSpec[] => [
        { kind: "dense", inputs: sizes[l]!, outputs },
        { kind: "activation", name: l === sizes.length - 2 ? "softmax" : activation },
      ]);
    },
  },
];

const activationLayers: Record<LayerActivation, () => LayerArg> = { relu, sigmoid, tanh, identity, softmax };

/** The network the layers describe, initialised from `seed`; `sequential` checks the wiring at run time too. */
export function buildNetwork(layers: readonly LayerSpec[], seed: number): AnyMlp {
  const built = layers.map((l): LayerArg => (l.kind === "dense" ? dense(l.inputs, l.outputs) : activationLayers[l.name]()));
  const [first, ...rest] = built;
  if (!first || first.kind !== "dense") throw new Error("a network starts with a dense layer");
  const list: [LayerArg, ...LayerArg[]] = [first, ...rest];
  // A list built at run time is checked at run time (sequential throws the compile-time texts); its
  // layers are dense ones, so the network is an Mlp of run-time sizes.
  return sequentialWith({ seed }, list) as unknown as AnyMlp;
}

/** The sizes of the layers' dense chain: [784, 128, 10]. */
export function sizesOf(layers: readonly LayerSpec[]): number[] {
  const dense = layers.filter((l) => l.kind === "dense");
  return dense.length ? [dense[0]!.inputs, ...dense.map((l) => l.outputs)] : [];
}

/** The layers of a network (the inverse of buildNetwork, for a loaded model). */
export function layersOf(net: AnyMlp): LayerSpec[] {
  return net.sizes.slice(1).flatMap((outputs, l): LayerSpec[] => [
    { kind: "dense", inputs: net.sizes[l]!, outputs },
    { kind: "activation", name: net.activations[l]! },
  ]);
}

/** The `sequential(...)` definition of the layers, one dense layer and its activation per line. */
export function definition(layers: readonly LayerSpec[]): string {
  const used = new Set<string>(["sequential"]);
  const lines: string[] = [];
  for (let i = 0; i < layers.length; i++) {
    const l = layers[i]!;
    if (l.kind !== "dense") continue;
    used.add("dense");
    const next = layers[i + 1];
    const act = next?.kind === "activation" ? ` ${next.name}(),` : "";
    if (next?.kind === "activation") used.add(next.name);
    lines.push(`  dense(${l.inputs}, ${l.outputs}),${act}`);
  }
  const names = [...used].sort();
  return [
    `import { ${names.join(", ")} } from "shapegrad";`,
    "",
    "// 784 inputs (28 x 28 pixels) in, 10 classes (the digits 0-9) out.",
    "// Change a size: the compiler checks that each layer fits the one before.",
    "export const model = sequential(",
    ...lines,
    ");",
    "",
  ].join("\n");
}
