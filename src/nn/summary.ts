/**
 * What a network holds, at compile time (`ParamCount`, `Summary`: hover to see them) and at run
 * time (`summary(net)`, the same rows and a printable table). Counts and shapes that are not
 * literals are `number`, never a wrong literal.
 */
import type { Add, Mul, SumOfProducts, Total } from "../shape/arithmetic.js";
import type { Shape, ShowShape } from "../shape/dims.js";
import type { AnyLayer } from "./layer.js";
import { formatShape } from "./layer.js";
import type { AnyNetwork } from "./network.js";
import type { Position } from "./flow.js";
import type { LayerOutputs, Sizes } from "./types.js";
import { checkNetwork } from "./workspace.js";

/** `LayerParams<784, 128>` is `100480`: a 128 x 784 weight matrix and a 128 x 1 bias. */
export type LayerParams<In extends number, Out extends number> = Add<Mul<In, Out>, Out>;

/** The parameters of a layer with weight shape W (`[8, 25]`: 8 x 25 weights and 8 biases; `null`: 0). */
export type WeightParams<W> = W extends readonly [infer R extends number, infer C extends number] ? LayerParams<C, R> : 0;

/**
 * `Sum<[1, 2, 3]>` is `6`; `number` for a list of unknown length or with an element that is not a
 * whole-number literal. Linear in the list's length (see `Total`: the running sum stays a digit
 * string, and the tail recursion restarts every 100 entries).
 */
export type Sum<T extends readonly number[]> = Total<T>;

/**
 * `ParamCount<[784, 128, 10]>` is `101770`: all weights and biases of the fully connected network of
 * those sizes, the sum of out x in over the layers plus the sum of out (one bias each).
 */
export type ParamCount<S extends Sizes> = S extends unknown // one network at a time (a union of size lists: the union of their counts)
  ? Add<SumOfProducts<DenseWeights<S, LayerOutputs<S>>>, Total<LayerOutputs<S>>>
  : never;
type DenseWeights<S extends Sizes, O extends Sizes> = { readonly [I in keyof O]: readonly [O[I], S[I & keyof S] & number] };

/**
 * `ParamCountOf<typeof net>`: the parameters of any network (convolutional ones too), counted as
 * `ParamCount` is (a layer without weights adds 0 x 0 and 0). Not the sum of the rows' `params`:
 * that would parse and print every layer's count again, about twice the cost for a long network.
 */
export type ParamCountOf<N extends AnyNetwork> = N extends unknown // one network at a time, as ParamCount
  ? Add<SumOfProducts<WeightList<N["layers"]>>, Total<BiasList<N["layers"]>>>
  : never;
type WeightList<L extends readonly AnyLayer[]> = { readonly [I in keyof L]: L[I]["weightShape"] extends readonly [number, number] ? L[I]["weightShape"] : readonly [0, 0] };
type BiasList<L extends readonly AnyLayer[]> = { readonly [I in keyof L]: L[I]["weightShape"] extends readonly [infer R extends number, number] ? R : 0 };

/**
 * One row of a summary: `{ layer: 1; kind: "conv2d"; input: [1, 28, 28]; output: [8, 24, 24];
 * weights: "8x25"; bias: "8x1"; params: 208 }` (`weights` and `bias` are null for a layer without).
 */
export interface LayerSummary<P extends number, Kind extends string, In extends Shape, Out extends Shape, W> {
  readonly layer: P;
  readonly kind: Kind;
  readonly input: In;
  readonly output: Out;
  readonly weights: W extends readonly [infer R extends number, infer C extends number] ? ShowShape<R, C> : null;
  readonly bias: W extends readonly [infer R extends number, number] ? ShowShape<R, 1> : null;
  readonly params: WeightParams<W>;
}

/** `Summary<typeof net>`: one `LayerSummary` per layer, with every shape and count computed by the compiler. */
export type Summary<N extends AnyNetwork> = {
  readonly [I in keyof N["layers"]]: N["layers"][I] extends infer X extends AnyLayer
    ? LayerSummary<LayerNumber<I>, X["kind"], X["inputShape"], X["outputShape"], X["weightShape"]>
    : never;
};
/** The 1-based layer number of a tuple index ("0" is layer 1); `number` for a list of unknown length (never `never`). */
type LayerNumber<I> = I extends `${number}` ? Position<I> : number;

/** The run-time summary: the same rows, the total, and a table to print. */
export interface ModelSummary<N extends AnyNetwork> {
  readonly layers: Summary<N>;
  readonly params: ParamCountOf<N>;
  readonly table: string;
}

/** `summary(net)`: per-layer shapes and parameter counts; `console.log(summary(net).table)` prints them. */
export function summary<N extends AnyNetwork>(net: N): ModelSummary<N> {
  checkNetwork("summary", net);
  const rows = net.layers.map((layer, l) => {
    const w = layer.weightShape;
    return {
      layer: l + 1, kind: layer.kind, input: layer.inputShape, output: layer.outputShape,
      weights: w ? `${w[0]}x${w[1]}` : null, bias: w ? `${w[0]}x1` : null, params: w ? w[0] * w[1] + w[0] : 0,
    };
  });
  const params = rows.reduce((s, r) => s + r.params, 0);
  const head = ["layer", "kind", "activation", "input", "output", "weights", "bias", "params"];
  const body = rows.map((r, l) => [
    String(r.layer), r.kind, net.layers[l]!.activation, formatShape(r.input), formatShape(r.output), r.weights ?? "-", r.bias ?? "-", r.params.toLocaleString("en-US"),
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...body.map((b) => b[c]!.length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c === head.length - 1 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join("  ").trimEnd();
  const table = [line(head), ...body.map(line), `total parameters ${params.toLocaleString("en-US")} (loss ${net.loss}, ${net.dtype})`].join("\n");
  // The rows are computed from the same layers that Summary<N> and ParamCountOf<N> compute from the
  // type; test/summary.test.ts and test-d/summary.test-d.ts check that the two agree.
  return { layers: rows as unknown as Summary<N>, params: params as ParamCountOf<N>, table };
}
