/** The live charts (uPlot): loss per step, accuracy, and the per-layer norms of delta^l and dE/dW^l. */
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { throttled } from "./throttle.js";

/** The charts redraw at most every 250 ms while training runs. */
const REDRAW_MS = 250;

type Column = (number | null)[];

const palette = ["#4f46e5", "#0891b2", "#d97706", "#db2777", "#16a34a", "#7c3aed"];

function chart(parent: HTMLElement, height: number, series: uPlot.Series[], scales: uPlot.Scales, axes: uPlot.Axis[]): uPlot {
  const plot = new uPlot({
    width: Math.max(200, parent.clientWidth), height, series: [{ label: "step" }, ...series], scales, axes,
    legend: { show: true, live: false }, cursor: { show: false }, padding: [8, 12, 0, 0],
  }, [[]], parent);
  new ResizeObserver(() => plot.setSize({ width: Math.max(200, parent.clientWidth), height })).observe(parent);
  return plot;
}

/** 12 -> "¹²": layer numbers as superscripts, as in the notes' W^l. */
export function superscript(n: number): string {
  return String(n).replace(/\d/g, (d) => "⁰¹²³⁴⁵⁶⁷⁸⁹"[Number(d)]!);
}

const stepAxis: uPlot.Axis = { label: "step (one batch)", labelSize: 18, size: 36, stroke: "#6b7280", grid: { stroke: "#eef0f4" } };

export class TrainingCharts {
  private steps: number[] = [];
  private loss: Column = [];
  private running: Column = [];
  private probe: Column = [];
  private test: Column = [];
  private normSteps: number[] = [];
  private norms: Column[] = [];
  /** The layers l whose norms are charted (those with weights), as "1,3,6". */
  private layers = "";
  private charted: readonly number[] = [];
  private readonly lossPlot: uPlot;
  private readonly accuracyPlot: uPlot;
  private normPlot: uPlot | undefined;

  constructor(lossParent: HTMLElement, accuracyParent: HTMLElement, private readonly normParent: HTMLElement) {
    this.lossPlot = chart(lossParent, 190, [
      { label: "batch loss", stroke: "#c7c9d9", width: 1 },
      { label: "epoch's running mean", stroke: palette[0], width: 2 },
    ], { x: { time: false }, y: { auto: true, range: (_u, _min, max) => [0, Math.max(0.5, max)] } }, [
      stepAxis, { label: "cross-entropy", labelSize: 18, size: 44, stroke: "#6b7280", grid: { stroke: "#eef0f4" } },
    ]);
    this.accuracyPlot = chart(accuracyParent, 190, [
      { label: "500 test digits", stroke: palette[1], width: 2, spanGaps: true, value: (_u, v) => (v == null ? "-" : `${(v * 100).toFixed(1)}%`) },
      { label: "all 2,000 test digits (end of epoch)", stroke: palette[2], width: 0, points: { show: true, size: 9, fill: palette[2] }, spanGaps: true, paths: () => null,
        value: (_u, v) => (v == null ? "-" : `${(v * 100).toFixed(1)}%`) },
    ], { x: { time: false }, y: { range: [0, 1] } }, [
      stepAxis, { label: "accuracy", labelSize: 18, size: 44, stroke: "#6b7280", grid: { stroke: "#eef0f4" }, values: (_u, ticks) => ticks.map((t) => `${Math.round(t * 100)}%`) },
    ]);
  }

  /** A new run, charting ‖δ^l‖ and ‖∂E/∂W^l‖ of the layers l listed (from 1: those with weights). */
  reset(layers: readonly number[]): void {
    this.steps = []; this.loss = []; this.running = []; this.probe = []; this.test = [];
    this.normSteps = []; this.norms = Array.from({ length: 2 * layers.length }, () => []);
    this.charted = layers;
    if (layers.join() !== this.layers || !this.normPlot) {
      this.layers = layers.join();
      this.normPlot?.destroy();
      this.normParent.replaceChildren();
      const series: uPlot.Series[] = [];
      layers.forEach((l, i) => series.push({ label: `‖δ${superscript(l)}‖`, stroke: palette[i % palette.length], width: 2, dash: [6, 4] }));
      layers.forEach((l, i) => series.push({ label: `‖∂E/∂W${superscript(l)}‖`, stroke: palette[i % palette.length], width: 2 }));
      this.normPlot = chart(this.normParent, 210, series, { x: { time: false }, y: { distr: 3, range: (_u, min, max) => (min == null || max == null ? [0.1, 10] : uPlot.rangeLog(min, max, 10, true)) } }, [
        stepAxis, { label: "norm (log scale)", labelSize: 18, size: 52, stroke: "#6b7280", grid: { stroke: "#eef0f4" } },
      ]);
    }
    this.redraw();
  }

  batch(step: number, loss: number, runningLoss: number): void {
    this.steps.push(step); this.loss.push(loss); this.running.push(runningLoss); this.probe.push(null); this.test.push(null);
    this.schedule();
  }

  accuracy(probe: number | undefined, test: number | undefined): void {
    const last = this.steps.length - 1;
    if (last < 0) return;
    if (probe !== undefined) this.probe[last] = probe;
    if (test !== undefined) this.test[last] = test;
    this.schedule();
  }

  /** Norms of every layer (index l - 1); the charted layers' are kept. */
  layerNorms(step: number, delta: readonly number[], gradient: readonly (number | null)[]): void {
    this.normSteps.push(step);
    const values = [...this.charted.map((l) => delta[l - 1]), ...this.charted.map((l) => gradient[l - 1])];
    values.forEach((v, i) => this.norms[i]?.push(v != null && v > 0 ? v : null));
    this.schedule();
  }

  /** Redraws a few times a second (and at most once per frame), however fast the messages come. */
  private readonly schedule = throttled(() => this.redraw(), REDRAW_MS);

  private redraw(): void {
    // Before any step, a step axis of 0..100 keeps the empty charts readable.
    if (this.steps.length === 0) {
      for (const plot of [this.lossPlot, this.accuracyPlot, this.normPlot]) plot?.setData([[0, 100], ...plot.series.slice(1).map(() => [null, null])]);
      return;
    }
    this.lossPlot.setData([this.steps, this.loss, this.running]);
    this.accuracyPlot.setData([this.steps, this.probe, this.test]);
    this.normPlot?.setData([this.normSteps, ...this.norms]);
  }
}
