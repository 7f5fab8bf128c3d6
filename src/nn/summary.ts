/**
 * What a network holds, at compile time (`ParamCount`, `Summary`: hover to see them) and at run
 * time (`summary(net)`, the same rows and a printable table).
 */
import type { Add, Mul } from "../shape/arithmetic.js";
import type { ShowShape } from "../shape/dims.js";
import type { Mlp } from "./network.js";
import { layerWeights } from "./network.js";
import type { LayerOutputs, Sizes } from "./types.js";

/** `LayerParams<784, 128>` is `100480`: a 128 x 784 weight matrix and a 128 x 1 bias. */
export type LayerParams<In extends number, Out extends number> = Add<Mul<In, Out>, Out>;

/** `ParamCount<[784, 128, 10]>` is `101770`: all weights and biases (tail recursion over the sizes). */
export type ParamCount<S extends Sizes, Acc extends number = 0> =
  S extends readonly [infer In extends number, infer Out extends number, ...infer Rest extends number[]]
    ? ParamCount<[Out, ...Rest], Add<Acc, LayerParams<In, Out>>>
    : Acc;

/** One row of a summary: `{ layer: 1; inputs: 784; outputs: 128; weights: "128x784"; bias: "128x1"; params: 100480 }`. */
export interface LayerSummary<L extends number, In extends number, Out extends number> {
  readonly layer: L;
  readonly inputs: In;
  readonly outputs: Out;
  readonly weights: ShowShape<Out, In>;
  readonly bias: ShowShape<Out, 1>;
  readonly params: LayerParams<In, Out>;
}

type Index<I> = I extends `${infer N extends number}` ? N : never;
type At<S extends Sizes, I> = S[Index<I> & keyof S] & number;

/** `Summary<[784, 128, 10]>`: one `LayerSummary` per layer, with every shape and count computed by the compiler. */
export type Summary<S extends Sizes> = SummaryFor<S, LayerOutputs<S>>;
type SummaryFor<S extends Sizes, O extends Sizes> = { -readonly [I in keyof O]: LayerSummary<Add<Index<I>, 1>, At<S, I>, O[I] & number> };

/** The run-time summary: the same rows, the total, and a table to print. */
export interface ModelSummary<S extends Sizes> {
  readonly layers: Summary<S>;
  readonly params: ParamCount<S>;
  readonly table: string;
}

/** `summary(net)`: per-layer shapes and parameter counts; `console.log(summary(net).table)` prints them. */
export function summary<S extends Sizes>(net: Mlp<S>): ModelSummary<S> {
  const rows = layerWeights(net).map((w, l) => ({
    layer: l + 1, inputs: w.cols, outputs: w.rows, weights: `${w.rows}x${w.cols}`, bias: `${w.rows}x1`, params: w.rows * w.cols + w.rows,
  }));
  const params = rows.reduce((s, r) => s + r.params, 0);
  const head = ["layer", "inputs", "outputs", "activation", "weights", "bias", "params"];
  const body = rows.map((r, l) => [String(r.layer), String(r.inputs), String(r.outputs), net.activations[l]!, r.weights, r.bias, r.params.toLocaleString("en-US")]);
  const widths = head.map((h, c) => Math.max(h.length, ...body.map((b) => b[c]!.length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c >= 4 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join("  ");
  const table = [line(head), ...body.map(line), `total parameters ${params.toLocaleString("en-US")} (loss ${net.loss})`].join("\n");
  // The rows are computed from the same sizes that Summary<S> and ParamCount<S> compute from the
  // type; test/summary.test.ts and test-d/arithmetic.test-d.ts check that the two agree.
  return { layers: rows as unknown as Summary<S>, params: params as ParamCount<S>, table };
}
