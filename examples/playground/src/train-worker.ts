/**
 * The training worker: the page's `trainInWorker` posts the model; this worker holds the digits
 * (it fetches the asset itself, so no images cross between threads), trains with `serveTraining`,
 * and adds to the progress messages what the page draws: the norms of delta^l and dE/dW^l on a
 * fixed probe batch (the four equations, computed with the library's own equation functions) and
 * the accuracy on a fixed slice of the test set.
 */
import {
  evaluate, forward, outputDeltaCrossEntropy, outputDeltaSquaredError, deltaPrevious, weightGradient, serveTraining, subset, zeros,
  type AnyDataset, type AnyMlp, type AnyMatrix, type BatchLog,
} from "../../../src/index.js";
import { fetchDigits, splitDigits } from "./data.js";

/** Norms every 10 steps (a forward and backward pass of 64 digits), probe accuracy every 25 (a forward pass of 500). */
const NORM_EVERY = 10;
const ACCURACY_EVERY = 25;

export interface BatchExtra {
  readonly step: number;
  /** Per layer l = 1..L: RMS over the probe batch of ||delta^l|| per example, and ||dE/dW^l|| (Frobenius) of the batch mean. */
  readonly norms?: { readonly delta: number[]; readonly weightGradient: number[] };
  /** Accuracy on the first 500 test digits. */
  readonly probeAccuracy?: number;
}

// Built by concatenation so that Vite does not turn a template into a glob of the folder: the
// asset is emitted at the site's root, one level above this worker's chunk (and its source).
const assetPath = "../" + "mnist-10k.bin";
const workerUrl = import.meta.url;
let data: Promise<{ train: AnyDataset; test: AnyDataset; probe: AnyDataset; testSlice: AnyDataset }> | undefined;
function load() {
  data ??= fetchDigits(new URL(assetPath, workerUrl)).then((digits) => {
    const { train, test } = splitDigits(digits);
    return { train, test, probe: subset(train, Array.from({ length: 64 }, (_, j) => j)), testSlice: subset(test, Array.from({ length: 500 }, (_, j) => j)) };
  });
  return data;
}

/** The four equations on the probe batch: forward (z^l, a^l), delta^L, delta^(l-1) backwards, dE/dW^l. */
function layerNorms(net: AnyMlp, probe: AnyDataset): { delta: number[]; weightGradient: number[] } {
  const pass = forward(net, probe.inputs);
  const L = net.sizes.length - 1, batch = probe.inputs.cols;
  const delta: AnyMatrix[] = net.sizes.map((n) => zeros(n, batch));
  const last = net.activations[L - 1]!;
  if (net.loss === "crossEntropy") outputDeltaCrossEntropy(pass.a[L]!, probe.targets, delta[L]!);
  else if (last !== "softmax") outputDeltaSquaredError(last, pass.z[L]!, pass.a[L]!, probe.targets, delta[L]!);
  for (let l = L; l >= 2; l--) {
    const f = net.activations[l - 2]!;
    if (f === "softmax") throw new Error("softmax is only allowed on the output layer");
    deltaPrevious(f, net.weights[l - 1]!, delta[l]!, pass.z[l - 1]!, pass.a[l - 1]!, delta[l - 1]!);
  }
  const deltaNorms: number[] = [], gradientNorms: number[] = [];
  for (let l = 1; l <= L; l++) {
    const gradient = zeros(net.sizes[l]!, net.sizes[l - 1]!);
    weightGradient(delta[l]!, pass.a[l - 1]!, gradient);
    deltaNorms.push(Math.sqrt(sumOfSquares(delta[l]!.data) / batch));
    gradientNorms.push(Math.sqrt(sumOfSquares(gradient.data)));
  }
  return { delta: deltaNorms, weightGradient: gradientNorms };
}

function sumOfSquares(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return s;
}

async function onBatchEnd(net: AnyMlp, log: BatchLog): Promise<BatchExtra> {
  const { probe, testSlice } = await load();
  const step = (log.epoch - 1) * log.batches + log.batch;
  const last = log.batch === log.batches;
  return {
    step,
    ...(step % NORM_EVERY === 0 || step === 1 || last ? { norms: layerNorms(net, probe) } : {}),
    ...(step % ACCURACY_EVERY === 0 || last ? { probeAccuracy: evaluate(net, testSlice).accuracy } : {}),
  };
}

serveTraining(self, {
  datasets: { train: async () => (await load()).train, test: async () => (await load()).test },
  onBatchEnd,
});
