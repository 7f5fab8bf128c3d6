/**
 * The Apply button's interpreter: reads the layers out of the definition's syntax tree, never
 * running the learner's code. It accepts exactly `sequential(dense(a, b), relu(), ...)` (or
 * `sequentialWith({ ... }, [ ... ])`): calls of the known layer functions with whole-number literal
 * sizes; anything else is refused with a message.
 */
import type TS from "typescript";
import type { LayerSpec } from "./network.js";

import type { LayerActivation } from "../../../src/index.js";

const activations: readonly string[] = ["relu", "sigmoid", "tanh", "identity", "softmax"] satisfies LayerActivation[];
const isActivation = (name: string): name is LayerActivation => activations.includes(name);

export type Interpreted = { readonly layers: LayerSpec[] } | { readonly error: string };

export function interpret(ts: typeof TS, source: TS.SourceFile): Interpreted {
  const call = findModelCall(ts, source);
  if (!call) return { error: "Apply looks for a sequential(...) call; none found" };
  const callee = call.expression.getText(source);
  let args: readonly TS.Expression[] = call.arguments;
  if (callee === "sequentialWith") {
    const list = call.arguments[1];
    if (!list || !ts.isArrayLiteralExpression(list)) return { error: "sequentialWith expects its layers as an array [dense(...), ...]" };
    args = list.elements;
  }
  const layers: LayerSpec[] = [];
  for (const arg of args) {
    const layer = layerOf(ts, source, arg);
    if ("error" in layer) return layer;
    layers.push(layer.layer);
  }
  if (layers.length === 0 || layers[0]!.kind !== "dense") return { error: "the network must start with a dense layer" };
  return { layers };
}

export function findModelCall(ts: typeof TS, source: TS.SourceFile): TS.CallExpression | undefined {
  let found: TS.CallExpression | undefined;
  const visit = (node: TS.Node) => {
    if (found) return;
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && ["sequential", "sequentialWith"].includes(node.expression.text)) found = node;
    else ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function layerOf(ts: typeof TS, source: TS.SourceFile, node: TS.Expression): { layer: LayerSpec } | { error: string } {
  const where = `line ${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`;
  if (!ts.isCallExpression(node) || !ts.isIdentifier(node.expression)) return { error: `${where}: expected a layer such as dense(128, 10) or relu(), got ${node.getText(source)}` };
  const name = node.expression.text;
  if (name === "dense") {
    const sizes = node.arguments.map((a) => (ts.isNumericLiteral(a) ? Number(a.text) : NaN));
    if (sizes.length !== 2 || !sizes.every((n) => Number.isInteger(n) && n >= 1 && n <= 4096)) {
      return { error: `${where}: dense expects two whole-number sizes from 1 to 4096, got dense(${node.arguments.map((a) => a.getText(source)).join(", ")})` };
    }
    return { layer: { kind: "dense", inputs: sizes[0]!, outputs: sizes[1]! } };
  }
  if (isActivation(name)) {
    if (node.arguments.length !== 0) return { error: `${where}: as a layer, ${name}() takes no arguments` };
    return { layer: { kind: "activation", name } };
  }
  return { error: `${where}: unknown layer ${name}(...); the playground knows dense, relu, sigmoid, tanh, identity and softmax` };
}
