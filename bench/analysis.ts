/**
 * From samples to claims: the measured series, the anchor of each case (the fastest TF.js wasm
 * spelling), round-by-round ratios against it, and the targets of issue #15 section 2. Pure
 * functions of the series, tested by test/bench-harness.test.ts.
 */
import { roundRatios, summarize, formatRatio, formatValue, type Summary } from "./stats.js";

export type Group = "products" | "training" | "cnn" | "predict";

/** One implementation's samples on one case, one sample per round in round order. */
export interface Series {
  readonly group: Group;
  readonly case: string;
  readonly impl: string;
  readonly unit: string;
  /** Latencies: lower is better. */
  readonly lowerIsBetter: boolean;
  readonly samples: readonly number[];
}

/** TF.js wasm implementations (every spelling) start with this. */
export const TF_WASM = "tfjs wasm";

export const find = (series: readonly Series[], group: Group, name: string, impl: string): Series | undefined =>
  series.find((s) => s.group === group && s.case === name && s.impl === impl);

/** Better of two summaries' medians in the series' direction. */
const better = (a: Series, b: Series) => {
  const ma = summarize(a.samples).median, mb = summarize(b.samples).median;
  return (a.lowerIsBetter ? ma <= mb : ma >= mb) ? a : b;
};

/** The anchor of a case: the TF.js wasm spelling with the best median. */
export function anchorOf(series: readonly Series[], group: Group, name: string): Series | undefined {
  const tf = series.filter((s) => s.group === group && s.case === name && s.impl.startsWith(TF_WASM));
  return tf.length === 0 ? undefined : tf.reduce(better);
}

/** Ours against the anchor, round by round (a speed-up: > 1 means ours is faster). */
export function ratioToAnchor(series: readonly Series[], group: Group, name: string, impl: string): Summary | undefined {
  const ours = find(series, group, name, impl), anchor = anchorOf(series, group, name);
  if (!ours || !anchor) return undefined;
  return summarize(roundRatios(ours.samples, anchor.samples, ours.lowerIsBetter));
}

export interface TargetRow { readonly target: string; readonly measured: string; readonly met: boolean }

/** Names of the implementations the targets speak of (see shapegrad.ts: FLOAT64, FLOAT32), and the float32 micro-kernel timed alone. */
export interface TargetImpls { readonly float64: string; readonly float32: string; readonly float32Kernel?: string }

/** Case names the targets speak of. */
export interface TargetCases {
  readonly trainingSmall: string;
  readonly trainingWide: readonly string[];
  readonly predict: readonly string[];
  readonly targetProducts: readonly string[];
}

/**
 * Issue #15 section 2, checked against this run. Ratios are medians of round-by-round ratios
 * against the fastest TF.js wasm spelling of each case (range over the rounds in brackets). The
 * predict target (at most half TF.js wasm's latency) is judged on float64, the default backend;
 * float32 is shown beside it.
 */
export function targetRows(series: readonly Series[], impls: TargetImpls, cases: TargetCases): TargetRow[] {
  const rows: TargetRow[] = [];
  const training = (impl: string, name: string, floor: number, label: string) => {
    const r = ratioToAnchor(series, "training", name, impl);
    const anchor = anchorOf(series, "training", name);
    rows.push({
      target: `${label} step >= ${floor}x fastest tfjs wasm, ${name}`,
      measured: r && anchor ? `${formatRatio(r)} vs ${anchor.impl.slice(TF_WASM.length + 2)}` : "not measured",
      met: r !== undefined && r.median >= floor,
    });
  };
  training(impls.float32, cases.trainingSmall, 4, "float32");
  for (const name of cases.trainingWide) training(impls.float32, name, 3, "float32");
  for (const name of [cases.trainingSmall, ...cases.trainingWide]) training(impls.float64, name, 2, "float64");
  for (const name of cases.predict) {
    const r64 = ratioToAnchor(series, "predict", name, impls.float64), r32 = ratioToAnchor(series, "predict", name, impls.float32);
    rows.push({
      target: `predict >= 2x faster than tfjs wasm (float64), ${name}`,
      measured: r64 && r32 ? `float64 ${formatRatio(r64)}, float32 ${formatRatio(r32)}` : "not measured",
      met: r64 !== undefined && r64.median >= 2,
    });
  }
  const span = (impl: string) => {
    const medians = cases.targetProducts.map((name) => find(series, "products", name, impl)).map((s) => (s ? summarize(s.samples).median : NaN));
    return { low: Math.min(...medians), text: `${formatValue(Math.min(...medians))}-${formatValue(Math.max(...medians))}` };
  };
  const products = span(impls.float32), kernel = impls.float32Kernel ? span(impls.float32Kernel) : undefined;
  rows.push({
    target: `float32 products >= 45 GFLOP/s (${cases.targetProducts.length} MLP products)`,
    measured: Number.isFinite(products.low)
      ? `medians ${products.text}${kernel && Number.isFinite(kernel.low) ? ` (micro-kernel alone ${kernel.text})` : ""}`
      : "not measured",
    met: products.low >= 45,
  });
  return rows;
}
