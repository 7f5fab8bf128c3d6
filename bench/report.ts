/**
 * The bench's tables, from the series: markdown for bench/README.md, the same aligned for the
 * console. Every measured cell is "median (min-max)" over the rounds; every ratio is the median
 * (min-max) of round-by-round ratios against the fastest TF.js wasm spelling of its case.
 */
import { TF_WASM, anchorOf, find, ratioToAnchor, targetRows, type Group, type Series, type TargetCases, type TargetImpls } from "./analysis.js";
import { formatRatio, formatSummary, summarize } from "./stats.js";
import type { TypecheckResult } from "./typecheck.js";
import { FIT_EXAMPLES } from "./workloads.js";

export interface Table {
  readonly title: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Columns of text (left-aligned); the first column always is, the others hold figures. */
  readonly textColumns?: readonly number[];
}

const cases = (series: readonly Series[], group: Group) => [...new Set(series.filter((s) => s.group === group).map((s) => s.case))];
/** Implementations in a fixed order: shapegrad's, the micro-kernel, TF.js wasm, TF.js cpu (each in first-seen order). */
const impls = (series: readonly Series[], group: Group) => {
  const rank = (impl: string) => ["shapegrad", "micro-kernel", "tfjs wasm", "tfjs cpu"].findIndex((prefix) => impl.startsWith(prefix));
  const seen = [...new Set(series.filter((s) => s.group === group).map((s) => s.impl))];
  return seen.map((impl, i) => ({ impl, key: rank(impl) * 1000 + i })).sort((a, b) => a.key - b.key).map((x) => x.impl);
};
const cell = (s: Series | undefined) => (s ? formatSummary(summarize(s.samples)) : "-");
const ratioCell = (series: readonly Series[], group: Group, name: string, impl: string) => {
  const r = ratioToAnchor(series, group, name, impl);
  return r ? formatRatio(r) : "-";
};

/** Cases as columns, implementations as rows, then the anchor and each shapegrad implementation's ratio to it. */
function byCase(series: readonly Series[], group: Group, title: string, ours: readonly string[], ratioLabel: string): Table {
  const names = cases(series, group);
  const rows = impls(series, group).map((impl) => [impl, ...names.map((name) => cell(find(series, group, name, impl)))]);
  rows.push(["fastest tfjs wasm spelling", ...names.map((name) => anchorOf(series, group, name)?.impl.slice(TF_WASM.length + 2) || "-")]);
  for (const impl of ours) rows.push([`${impl} ${ratioLabel}`, ...names.map((name) => ratioCell(series, group, name, impl))]);
  return { title, header: ["implementation", ...names], rows };
}

/** Products as rows, implementations as columns, then ratios to TF.js wasm. */
function products(series: readonly Series[], ours: readonly string[]): Table {
  const names = cases(series, "products"), columns = impls(series, "products");
  const rows = names.map((name) => [
    name,
    ...columns.map((impl) => cell(find(series, "products", name, impl))),
    ...ours.map((impl) => ratioCell(series, "products", name, impl)),
  ]);
  return {
    title: "Matrix products, GFLOP/s",
    header: ["product", ...columns, ...ours.map((impl) => `${impl.replace(/^shapegrad /, "")} / tfjs wasm`)],
    rows,
  };
}

function targets(series: readonly Series[], targetImpls: TargetImpls, targetCases: TargetCases): Table {
  const rows = targetRows(series, targetImpls, targetCases).map((r) => [r.target, r.measured, r.met ? "yes" : "no"]);
  return { title: "Targets of issue #15 (this run)", header: ["target", "measured", "met"], rows, textColumns: [1, 2] };
}

function typecheck(results: readonly TypecheckResult[], repetitions: number, timeoutMs: number): Table {
  return {
    title: `Type-check cost (tsc --noEmit of one generated file; median (min-max) of ${repetitions} run${repetitions === 1 ? "" : "s"}, each stopped after ${timeoutMs / 1000} s)`,
    header: ["definition", "outcome", "seconds", "instantiations"],
    textColumns: [1],
    rows: results.map((r) => [
      r.name,
      r.outcome,
      r.outcome === "ok" ? formatSummary(r.summary) : `${r.summary.max.toFixed(1)} (one run)`,
      r.instantiations === null ? "-" : r.instantiations.toLocaleString("en-US"),
    ]),
  };
}

export interface ReportInput {
  readonly series: readonly Series[];
  readonly typecheck: readonly TypecheckResult[];
  readonly typecheckRepetitions: number;
  readonly typecheckTimeoutMs: number;
  readonly ours: readonly string[];
  readonly targetImpls: TargetImpls;
  readonly targetCases: TargetCases;
}

export function tables(input: ReportInput): Table[] {
  const { series, ours } = input;
  const out: Table[] = [];
  if (series.some((s) => s.group === "training")) {
    out.push(byCase(series, "training", `Training, samples/s (a step: lossAndGradients + sgd.step; fit: one epoch of ${FIT_EXAMPLES.toLocaleString("en-US")} examples)`, ours, "/ fastest tfjs wasm"));
  }
  if (series.some((s) => s.group === "cnn")) {
    out.push(byCase(series, "cnn", "CNN training step, samples/s (lossAndGradients + sgd.step; issue 12 asks for >= 2x TF.js wasm)", ours, "/ fastest tfjs wasm"));
  }
  if (series.some((s) => s.group === "predict")) {
    out.push(byCase(series, "predict", "Batch-1 predict, microseconds per call (lower is better)", ours, "speed-up over tfjs wasm"));
  }
  if (series.some((s) => s.group === "products")) out.push(products(series, ours));
  if (series.length > 0) out.push(targets(series, input.targetImpls, input.targetCases));
  if (input.typecheck.length > 0) out.push(typecheck(input.typecheck, input.typecheckRepetitions, input.typecheckTimeoutMs));
  return out;
}

/** A markdown table; `pad` aligns the columns (for the console). */
export function renderTable(t: Table, pad = false): string {
  return pad ? splitColumns(t, CONSOLE_WIDTH).map((part) => renderOne(part, true)).join("\n\n") : renderOne(t, false);
}

/** Console tables wider than this are cut into several, each repeating the first column. */
export const CONSOLE_WIDTH = 150;

const widthOf = (t: Table, c: number) => Math.max(...[t.header, ...t.rows].map((r) => (r[c] ?? "").length));

/** `t` cut into tables of at most `maxWidth` characters when aligned (a single column wider than that stays whole). */
export function splitColumns(t: Table, maxWidth: number): Table[] {
  const first = widthOf(t, 0) + 4;
  const parts: number[][] = [];
  let used = first;
  for (let c = 1; c < t.header.length; c++) {
    const w = widthOf(t, c) + 3;
    if (parts.length === 0 || used + w > maxWidth) {
      parts.push([]);
      used = first;
    }
    parts[parts.length - 1]!.push(c);
    used += w;
  }
  if (parts.length <= 1) return [t];
  const pick = (r: readonly string[], cols: number[]) => [r[0] ?? "", ...cols.map((c) => r[c] ?? "")];
  return parts.map((cols, i) => ({
    title: i === 0 ? t.title : `${t.title} (continued)`,
    header: pick(t.header, cols),
    rows: t.rows.map((r) => pick(r, cols)),
    textColumns: cols.flatMap((c, j) => ((t.textColumns ?? []).includes(c) ? [j + 1] : [])),
  }));
}

function renderOne(t: Table, pad: boolean): string {
  const all = [t.header, ...t.rows];
  const widths = t.header.map((_, c) => (pad ? Math.max(...all.map((r) => (r[c] ?? "").length)) : 0));
  const left = (c: number) => c === 0 || (t.textColumns ?? []).includes(c);
  const line = (r: readonly string[]) => `| ${r.map((v, c) => (left(c) ? v.padEnd(widths[c]!) : v.padStart(widths[c]!))).join(" | ")} |`;
  const rule = `|${t.header.map((_, c) => (left(c) ? "-".repeat(Math.max(widths[c]!, 1) + 2) : `${"-".repeat(Math.max(widths[c]! + 1, 3))}:`)).join("|")}|`;
  return [`### ${t.title}`, "", line(t.header), rule, ...t.rows.map(line)].join("\n");
}
