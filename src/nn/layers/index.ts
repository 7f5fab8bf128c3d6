/**
 * Every layer kind by name: the engine and the model files find a layer's run-time half here once,
 * when a network is built. A new layer kind is one file in this folder plus a line below.
 */
import type { LayerKind } from "../layer.js";
import { conv2dKind } from "./conv2d.js";
import { denseKind } from "./dense.js";
import { flattenKind } from "./flatten.js";
import { inputKind } from "./input.js";
import { maxPool2dKind } from "./max-pool2d.js";

export const layerKinds: { readonly [kind: string]: LayerKind } = {
  dense: denseKind,
  conv2d: conv2dKind,
  maxPool2d: maxPool2dKind,
  flatten: flattenKind,
  input: inputKind,
};

/** The run-time kind of a spec, or undefined for an unknown kind. */
export function kindOf(kind: unknown): LayerKind | undefined {
  return typeof kind === "string" && Object.hasOwn(layerKinds, kind) ? layerKinds[kind] : undefined;
}
