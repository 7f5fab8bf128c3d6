/**
 * The Apply button's interpreter: reads the layers out of the definition's syntax tree, never
 * running the learner's code. It accepts exactly `sequential(layer, ...)` (or
 * `sequentialWith({ ... }, [ ... ])`) whose arguments are calls of the known layer functions with
 * literal arguments: `input(784)`, `input(1, 28, 28)`, `dense(784, 128)`, `dense(10)`,
 * `conv2d(8, 5)`, `conv2d(16, [3, 5], { stride: 2, padding: "same" })`, `maxPool2d(2)`,
 * `maxPool2d(3, 2)`, `flatten()` and the activations; anything else is refused with a message.
 * Whether the layers fit together is the compiler's business (and sequential's at run time).
 */
import type TS from "typescript";
import type { LayerActivation, Padding } from "../../../src/index.js";
import type { LayerSpec, Pair } from "./network.js";

const activations: readonly string[] = ["relu", "sigmoid", "tanh", "identity", "softmax"] satisfies LayerActivation[];
const isActivation = (name: string): name is LayerActivation => activations.includes(name);

/** The largest size the interpreter accepts in any argument (the page's budget is checked when building). */
const MAX_SIZE = 4096;

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
    try {
      layers.push(layerOf(ts, source, arg));
    } catch (e) {
      if (e instanceof Refusal) return { error: e.message };
      throw e;
    }
  }
  if (layers.length === 0) return { error: "the network has no layers" };
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

/** Why a layer cannot be read; the message starts with the line. */
class Refusal extends Error {}

function layerOf(ts: typeof TS, source: TS.SourceFile, node: TS.Expression): LayerSpec {
  const where = `line ${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`;
  if (!ts.isCallExpression(node) || !ts.isIdentifier(node.expression)) throw new Refusal(`${where}: expected a layer such as dense(128, 10) or relu(), got ${node.getText(source)}`);
  const name = node.expression.text;
  const args = node.arguments;
  const shown = `${name}(${args.map((a) => a.getText(source)).join(", ")})`;
  const refuse = (expects: string): never => {
    throw new Refusal(`${where}: ${name} expects ${expects}, got ${shown}`);
  };
  const size = (a: TS.Expression | undefined, what: string): number => {
    const v = a && ts.isNumericLiteral(a) ? Number(a.text) : NaN;
    return Number.isInteger(v) && v >= 1 && v <= MAX_SIZE ? v : refuse(`${what} as whole-number literals from 1 to ${MAX_SIZE}`);
  };
  const pair = (a: TS.Expression | undefined, what: string): Pair => {
    if (a && ts.isArrayLiteralExpression(a)) {
      if (a.elements.length !== 2) refuse(`${what} as a size or [height, width]`);
      return [size(a.elements[0], what), size(a.elements[1], what)];
    }
    const n = size(a, what);
    return [n, n];
  };
  const count = (low: number, high: number, what: string) => {
    if (args.length < low || args.length > high) refuse(what);
  };

  switch (name) {
    case "input":
      if (args.length !== 1 && args.length !== 3) refuse("one size (input(784)) or channels, height, width (input(1, 28, 28))");
      return { kind: "input", shape: args.map((a) => size(a, "sizes")) };
    case "dense":
      count(1, 2, "its sizes: dense(inputs, outputs) or dense(outputs)");
      return args.length === 2 ? { kind: "dense", inputs: size(args[0], "sizes"), outputs: size(args[1], "sizes") } : { kind: "dense", outputs: size(args[0], "sizes") };
    case "conv2d": {
      count(2, 3, "filters, a kernel size and optionally { stride, padding }");
      const { stride, padding } = convOptions(ts, source, args[2], refuse, pair);
      return { kind: "conv2d", filters: size(args[0], "filters and kernel sizes"), kernel: pair(args[1], "filters and kernel sizes"), stride, padding };
    }
    case "maxPool2d": {
      count(1, 2, "a window size and optionally a stride");
      const window = pair(args[0], "window and stride sizes");
      return { kind: "maxPool2d", size: window, stride: args[1] ? pair(args[1], "window and stride sizes") : window };
    }
    case "flatten":
      count(0, 0, "no arguments as a layer");
      return { kind: "flatten" };
    default:
      if (isActivation(name)) {
        count(0, 0, "no arguments as a layer");
        return { kind: "activation", name };
      }
      throw new Refusal(`${where}: unknown layer ${name}(...); the playground knows input, dense, conv2d, maxPool2d, flatten, relu, sigmoid, tanh, identity and softmax`);
  }
}

/** conv2d's third argument: `{ stride: 2, padding: "same" }` with literal values. */
function convOptions(
  ts: typeof TS, source: TS.SourceFile, node: TS.Expression | undefined, refuse: (expects: string) => never, pair: (a: TS.Expression | undefined, what: string) => Pair,
): { stride: Pair; padding: Padding } {
  let stride: Pair = [1, 1], padding: Padding = "valid";
  if (node === undefined) return { stride, padding };
  if (!ts.isObjectLiteralExpression(node)) refuse("its options as { stride: ..., padding: ... }");
  for (const p of (node as TS.ObjectLiteralExpression).properties) {
    const key = p.name && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) ? p.name.text : "";
    if (!ts.isPropertyAssignment(p) || (key !== "stride" && key !== "padding")) refuse(`only stride and padding in its options, written out (${p.getText(source)})`);
    const value = (p as TS.PropertyAssignment).initializer;
    if (key === "stride") stride = pair(value, "a stride as a size or [height, width]");
    else if (ts.isStringLiteral(value) && (value.text === "valid" || value.text === "same")) padding = value.text;
    else if (ts.isNumericLiteral(value) && Number.isInteger(Number(value.text))) padding = Number(value.text);
    else refuse(`padding "valid", "same" or a whole number`);
  }
  return { stride, padding };
}
