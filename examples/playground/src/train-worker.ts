/**
 * The training worker: the page's `trainInWorker` posts the model (any architecture: the worker
 * loads it with `modelFromJSON(text, "any")`); this worker holds the digits (it fetches the asset
 * itself, so no images cross between threads), trains with `serveTraining`, and adds to the
 * progress messages what the page draws: the norms of delta^l and dE/dW^l on a fixed probe batch
 * and the accuracy on a fixed slice of the test set. It also tells the page which kernels it runs.
 */
import {
  createWorkspace, evaluate, lossAndGradients, serveTraining, subset,
  type AnyDataset, type BatchLog, type RuntimeNetwork, type Workspace,
} from "../../../src/index.js";
// Which kernel set the library chose at load time, and whether its heap is shared memory: facts
// for the page's footer that the library's main entry does not export.
import { kernels, relaxedSimdAvailable } from "../../../src/kernels/wasm/module.js";
import { heapIsShared } from "../../../src/kernels/wasm/heap.js";
import { fetchDigits, splitDigits } from "./data.js";

/**
 * The probes' cadence: at most every 10 (norms) and 25 (accuracy) steps, and less often when they
 * would take more than a tenth (norms) or 15% (accuracy) of the time since training began: 500
 * digits through a CNN take as long as a dozen of its training steps. Both also run at the first
 * step and at the end of each epoch, outside that budget.
 */
const NORM_EVERY = 10;
const ACCURACY_EVERY = 25;
const NORM_SHARE = 0.1;
const ACCURACY_SHARE = 0.15;
const PROBE_BATCH = 64;
const TEST_SLICE = 500;

export interface BatchExtra {
  readonly step: number;
  /**
   * Per layer l = 1..L (index l - 1): RMS over the probe batch of ||delta^l|| per example, and
   * ||dE/dW^l|| (Frobenius) of the batch mean, null for a layer without weights.
   */
  readonly norms?: { readonly delta: number[]; readonly weightGradient: (number | null)[] };
  /** Accuracy on the first 500 test digits. */
  readonly probeAccuracy?: number;
}

/** What the worker tells the page when it starts: the kernels it runs on. */
export interface KernelReport {
  readonly type: "playground:kernels";
  /** "relaxed" (relaxed SIMD's fused multiply-add), "plain" (WebAssembly SIMD) or null (no SIMD: TypeScript kernels). */
  readonly variant: "relaxed" | "plain" | null;
  readonly relaxedValidates: boolean;
  /** Whether the kernel heap is a shared memory (parameters then live in it and are read in place). */
  readonly sharedHeap: boolean;
  readonly crossOriginIsolated: boolean;
}

// Built by concatenation so that Vite does not turn a template into a glob of the folder: the
// asset is emitted at the site's root, one level above this worker's chunk (and its source).
const assetPath = "../" + "mnist-10k.bin";
const workerUrl = import.meta.url;
let data: Promise<{ train: AnyDataset; test: AnyDataset; probe: AnyDataset; testSlice: AnyDataset }> | undefined;
function load() {
  data ??= fetchDigits(new URL(assetPath, workerUrl)).then((digits) => {
    const { train, test } = splitDigits(digits);
    return {
      train, test,
      probe: subset(train, Array.from({ length: PROBE_BATCH }, (_, j) => j)),
      testSlice: subset(test, Array.from({ length: TEST_SLICE }, (_, j) => j)),
    };
  });
  return data;
}

/** A probe that runs at most every `every` steps, and while its unforced runs have used at most `share` of the time since training began. */
class Probe {
  private lastStep = -Infinity;
  private spentMs = 0;
  constructor(private readonly every: number, private readonly share: number) {}

  run<T>(step: number, force: boolean, elapsedMs: number, f: () => T): T | undefined {
    if (step < this.lastStep) this.reset(); // a new run
    if (!force && (step - this.lastStep < this.every || this.spentMs > this.share * elapsedMs)) return undefined;
    const t = performance.now();
    const result = f();
    if (!force) this.spentMs += performance.now() - t;
    this.lastStep = step;
    return result;
  }

  reset(): void {
    this.lastStep = -Infinity;
    this.spentMs = 0;
  }
}

/** A workspace per network (one training run), for the probe batch. */
const workspaces = new WeakMap<RuntimeNetwork, Workspace<RuntimeNetwork, number>>();

/**
 * The four equations on the probe batch, for any architecture: `lossAndGradients` runs the forward
 * pass (z^l, a^l), delta^L = a^L - t, delta^(l-1) backwards through each layer's kind, and
 * dE/dW^l; the workspace keeps every delta^l and dE/dW^l, which are measured here.
 */
function layerNorms(net: RuntimeNetwork, probe: AnyDataset): NonNullable<BatchExtra["norms"]> {
  let ws = workspaces.get(net);
  if (!ws) workspaces.set(net, (ws = createWorkspace(net, probe.inputs.cols)));
  lossAndGradients(net, probe.inputs, probe.targets, ws);
  const batch = probe.inputs.cols;
  const delta: number[] = [], weightGradient: (number | null)[] = [];
  for (let l = 1; l <= net.layers.length; l++) {
    delta.push(Math.sqrt(sumOfSquares(ws.delta[l]!.data) / batch));
    const g = ws.gradients.weights[l - 1];
    weightGradient.push(g ? Math.sqrt(sumOfSquares(g.data)) : null);
  }
  return { delta, weightGradient };
}

function sumOfSquares(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return s;
}

const norms = new Probe(NORM_EVERY, NORM_SHARE);
const accuracy = new Probe(ACCURACY_EVERY, ACCURACY_SHARE);
let runStarted = 0;

async function onBatchEnd(net: RuntimeNetwork, log: BatchLog): Promise<BatchExtra> {
  const { probe, testSlice } = await load();
  const step = (log.epoch - 1) * log.batches + log.batch;
  if (step === 1) runStarted = performance.now();
  const elapsed = performance.now() - runStarted;
  const last = log.batch === log.batches;
  const n = norms.run(step, step === 1 || last, elapsed, () => layerNorms(net, probe));
  const a = accuracy.run(step, step === 1 || last, elapsed, () => evaluate(net, testSlice).accuracy);
  return { step, ...(n ? { norms: n } : {}), ...(a === undefined ? {} : { probeAccuracy: a }) };
}

serveTraining(self, {
  datasets: { train: async () => (await load()).train, test: async () => (await load()).test },
  onBatchEnd,
});

const set = kernels();
postMessage({
  type: "playground:kernels", variant: set?.variant ?? null, relaxedValidates: relaxedSimdAvailable(),
  sharedHeap: heapIsShared(), crossOriginIsolated: self.crossOriginIsolated,
} satisfies KernelReport);
