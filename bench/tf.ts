/**
 * The same work in TensorFlow.js 4.22, for the side-by-side benchmark. Backends: `cpu` (pure
 * JavaScript) and `wasm` (XNNPACK with SIMD, single-threaded: the multi-threaded build does not
 * start in Node).
 *
 * A training step is written three ways (`TfSpelling`), because TF.js's autodiff spells the
 * backward products with transposed matMuls that its wasm backend runs slowly: "autodiff" is
 * `optimizer.minimize` over the forward pass, as a TF.js tutorial writes it; "customGrad" and
 * "customGrad-transpose" hand TF.js the backward pass of the notes through `tf.customGrad`, with
 * the transposes spelled as matMul's transposeA / transposeB flags or as explicit `tf.transpose`
 * calls; "byHand" computes the same backward pass and SGD update directly in one tf.tidy
 * (no tape, no optimizer object). An expert TF.js user would write one of the last three; the
 * bench compares against whichever spelling is fastest.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";

export type TfBackend = "cpu" | "wasm";
export type TfSpelling = "autodiff" | "customGrad" | "customGrad-transpose" | "byHand";
export const TF_SPELLINGS: readonly TfSpelling[] = ["autodiff", "customGrad", "customGrad-transpose", "byHand"];
/** How each spelling is named in the tables. */
export const SPELLING_NAMES: Record<TfSpelling, string> = {
  autodiff: "autodiff",
  customGrad: "customGrad + matMul flags",
  "customGrad-transpose": "customGrad + tf.transpose",
  byHand: "by hand + tf.transpose",
};

let wasmReady = false;

export async function useBackend(name: TfBackend): Promise<void> {
  if (name === "wasm" && !wasmReady) {
    const require = createRequire(import.meta.url);
    setWasmPaths(join(dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")), "dist") + "/");
    tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
    wasmReady = true;
  }
  if (tf.getBackend() !== name) {
    const ok = await tf.setBackend(name);
    if (!ok) throw new Error(`TensorFlow.js backend ${name} did not start`);
  }
  await tf.ready();
}

/** Something timed: one call of `run` is one unit of work; `dispose` frees its tensors. */
export interface TfRun { run: () => void; dispose: () => void }

/** A timed product op(A) op(B) of the given stored shapes. */
export function tfMatmul(aRows: number, aCols: number, bRows: number, bCols: number, transA: boolean, transB: boolean): TfRun {
  const a = tf.randomUniform([aRows, aCols]), b = tf.randomUniform([bRows, bCols]);
  return {
    run: () => tf.dispose(tf.matMul(a, b, transA, transB)),
    dispose: () => tf.dispose([a, b]),
  };
}

/**
 * A network's parameters in TF.js's layout: `weights[l]` is In x Out (examples are rows), the
 * transpose of shapegrad's W^(l+1), which is Out x In. Values are row-major, as shapegrad stores them.
 */
export interface TfParams { sizes: readonly number[]; weights: Float32Array[]; biases: Float32Array[] }

/** A batch in TF.js's layout: x is B x In (one example per row), labels one per example. */
export interface TfBatch { x: Float32Array; labels: Int32Array; batch: number }

/** A training step (SGD) of one spelling, and the loss of the current parameters on the batch. */
export interface TfStep extends TfRun {
  /** One step, returning the loss the spelling computed on the way (read back: for checks, not timed). */
  step: () => number;
  /** The mean cross-entropy of the current parameters on the batch, by the autodiff spelling's forward pass. */
  loss: () => number;
  /** The current parameters, read back. */
  params: () => TfParams;
}

/** One SGD step of a ReLU network with softmax cross-entropy, spelled as `spelling`. */
export function tfStep(spelling: TfSpelling, params: TfParams, data: TfBatch, learningRate = 0.01): TfStep {
  const { sizes } = params;
  // In tf.tidy: a variable shares its initial tensor's data, and tidy then frees the tensor itself.
  const weights = params.weights.map((w, l) => tf.tidy(() => tf.variable(tf.tensor2d(w, [sizes[l]!, sizes[l + 1]!]))));
  const biases = params.biases.map((b) => tf.tidy(() => tf.variable(tf.tensor1d(b))));
  const variables = weights.flatMap((w, l) => [w, biases[l]!]);
  const xs = tf.tensor2d(data.x.subarray(0, data.batch * sizes[0]!), [data.batch, sizes[0]!]);
  const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(data.labels.subarray(0, data.batch), "int32"), sizes[sizes.length - 1]!)) as tf.Tensor2D;
  const forwardLoss = () => tf.losses.softmaxCrossEntropy(ys, logits(xs, weights, biases)) as tf.Scalar;
  let step: () => tf.Scalar;
  let dispose = () => {};
  if (spelling === "byHand") {
    step = () => byHandStep(xs, ys, variables, learningRate);
  } else {
    const optimizer = tf.train.sgd(learningRate);
    const lossOf = spelling === "autodiff" ? forwardLoss : customLoss(xs, ys, spelling === "customGrad");
    step = () => optimizer.minimize(() => lossOf(...variables), true, variables)!;
    dispose = () => optimizer.dispose();
  }
  return {
    ...stepsOf(() => step()),
    loss: () => tf.tidy(() => forwardLoss().dataSync()[0]!),
    params: () => ({
      sizes,
      weights: weights.map((w) => w.dataSync() as Float32Array),
      biases: biases.map((b) => b.dataSync() as Float32Array),
    }),
    dispose: () => { tf.dispose([...variables, xs, ys]); dispose(); },
  };
}

/** The forward pass up to the output layer's weighted sums z^L (B x Out). */
function logits(x: tf.Tensor2D, weights: readonly tf.Tensor[], biases: readonly tf.Tensor[]): tf.Tensor2D {
  let a = x;
  weights.forEach((w, l) => {
    const z = tf.add(tf.matMul(a, w as tf.Tensor2D), biases[l]!) as tf.Tensor2D;
    a = l < weights.length - 1 ? tf.relu(z) : z;
  });
  return a;
}

/**
 * The mean cross-entropy as a function of (W^1, b^1, W^2, b^2, ...) with the notes' backward pass as
 * its gradient: delta^L = (softmax(z^L) - t) / B, dE/dW = a^T delta, dE/db = sum of delta over the
 * batch, delta^(l-1) = (delta W^T) (.) relu'(z^(l-1)). `flags`: transposes as matMul flags, else as
 * tf.transpose.
 */
function customLoss(xs: tf.Tensor2D, ys: tf.Tensor2D, flags: boolean): (...params: tf.Tensor[]) => tf.Scalar {
  const batch = xs.shape[0];
  const aTimesDelta = (a: tf.Tensor2D, delta: tf.Tensor2D) => (flags ? tf.matMul(a, delta, true, false) : tf.matMul(tf.transpose(a), delta));
  const deltaTimesWT = (delta: tf.Tensor2D, w: tf.Tensor2D) => (flags ? tf.matMul(delta, w, false, true) : tf.matMul(delta, tf.transpose(w)));
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const params = args as tf.Tensor2D[];
    const hidden: tf.Tensor2D[] = [];
    let a = xs;
    for (let l = 0; l < params.length; l += 2) {
      const z = tf.add(tf.matMul(a, params[l]!), params[l + 1]!) as tf.Tensor2D;
      if (l + 2 < params.length) hidden.push((a = tf.relu(z)));
      else a = z;
    }
    const logProbabilities = tf.logSoftmax(a);
    save([...hidden, logProbabilities]);
    return {
      value: tf.div(tf.neg(tf.sum(tf.mul(ys, logProbabilities))), batch) as tf.Scalar,
      gradFunc: (dy: tf.Scalar, saved: tf.Tensor[]) => {
        const acts = [xs, ...(saved.slice(0, -1) as tf.Tensor2D[])];
        let delta = tf.mul(tf.sub(tf.exp(saved[saved.length - 1]!), ys), tf.div(dy, batch)) as tf.Tensor2D;
        const grads: tf.Tensor[] = new Array(params.length);
        for (let l = params.length / 2 - 1; l >= 0; l--) {
          grads[2 * l] = aTimesDelta(acts[l]!, delta);
          grads[2 * l + 1] = tf.sum(delta, 0);
          if (l > 0) delta = tf.mul(deltaTimesWT(delta, params[2 * l]!), tf.step(acts[l]!)) as tf.Tensor2D;
        }
        return grads;
      },
    };
  });
}

/**
 * The same step without the tape: forward, the loss, the notes' backward pass (transposes as
 * tf.transpose, the faster spelling on the wasm backend) and w <- w - rate dE/dw, in one tf.tidy.
 * Returns the loss (kept out of the tidy).
 */
function byHandStep(xs: tf.Tensor2D, ys: tf.Tensor2D, params: readonly tf.Variable[], learningRate: number): tf.Scalar {
  return tf.tidy(() => {
    const batch = xs.shape[0];
    const acts: tf.Tensor2D[] = [xs];
    let a = xs;
    for (let l = 0; l < params.length; l += 2) {
      const z = tf.add(tf.matMul(a, params[l] as tf.Tensor2D), params[l + 1]!) as tf.Tensor2D;
      if (l + 2 < params.length) acts.push((a = tf.relu(z)));
      else a = z;
    }
    const logProbabilities = tf.logSoftmax(a);
    const loss = tf.div(tf.neg(tf.sum(tf.mul(ys, logProbabilities))), batch) as tf.Scalar;
    let delta = tf.div(tf.sub(tf.exp(logProbabilities), ys), batch) as tf.Tensor2D;
    for (let l = params.length / 2 - 1; l >= 0; l--) {
      const w = params[2 * l]!, b = params[2 * l + 1]!;
      const gradW = tf.matMul(tf.transpose(acts[l]!), delta), gradB = tf.sum(delta, 0);
      if (l > 0) delta = tf.mul(tf.matMul(delta, tf.transpose(w)), tf.step(acts[l]!)) as tf.Tensor2D;
      w.assign(tf.sub(w, tf.mul(gradW, learningRate)));
      b.assign(tf.sub(b, tf.mul(gradB, learningRate)));
    }
    return loss;
  });
}

/** Batch-1 inference: the forward chain in one tf.tidy, softmax, then `dataSync()`, per call. */
export function tfPredict(params: TfParams, x: Float32Array): TfRun & { output: () => Float32Array } {
  const { sizes } = params;
  const weights = params.weights.map((w, l) => tf.tensor2d(w, [sizes[l]!, sizes[l + 1]!]));
  const biases = params.biases.map((b) => tf.tensor1d(b));
  const input = tf.tensor2d(x.subarray(0, sizes[0]!), [1, sizes[0]!]);
  const output = () => {
    const p = tf.tidy(() => tf.softmax(logits(input, weights, biases)));
    const values = p.dataSync() as Float32Array;
    p.dispose();
    return values;
  };
  return { run: () => void output(), output, dispose: () => tf.dispose([...weights, ...biases, input]) };
}

/** `model.fit` over n examples for one epoch; returns the seconds it took. */
export async function tfFit(n: number, batch: number, x: Float32Array, labels: Int32Array): Promise<number> {
  const model = tf.sequential({
    layers: [tf.layers.dense({ inputShape: [784], units: 128, activation: "relu" }), tf.layers.dense({ units: 10, activation: "softmax" })],
  });
  model.compile({ optimizer: tf.train.sgd(0.01), loss: "categoricalCrossentropy" });
  const xs = tf.tensor2d(x.subarray(0, n * 784), [n, 784]);
  const ys = tf.oneHot(tf.tensor1d(labels.subarray(0, n), "int32"), 10);
  const t0 = performance.now();
  await model.fit(xs, ys, { epochs: 1, batchSize: batch, shuffle: true, verbose: 0 });
  const seconds = (performance.now() - t0) / 1000;
  tf.dispose([xs, ys]);
  model.dispose();
  return seconds;
}

/** A training step as the bench drives it: `run` (timed, the loss discarded) and `step` (the loss read back). */
export function stepsOf(step: () => tf.Scalar): { run: () => void; step: () => number } {
  return {
    run: () => tf.dispose(step()),
    step: () => {
      const cost = step();
      const value = cost.dataSync()[0]!;
      cost.dispose();
      return value;
    },
  };
}
