/**
 * The same work in TensorFlow.js 4.22, for the side-by-side benchmark: matrix products, one SGD
 * step of the 784-128-10 network through `optimizer.minimize`, and `model.fit`. Backends: `cpu`
 * (pure JavaScript) and `wasm` (XNNPACK with SIMD, single-threaded: the multi-threaded build does
 * not start in Node).
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { setWasmPaths } from "@tensorflow/tfjs-backend-wasm";

export type TfBackend = "cpu" | "wasm";
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

/** A timed product op(A) op(B) of the given stored shapes; returns a function doing one product. */
export function tfMatmul(aRows: number, aCols: number, bRows: number, bCols: number, transA: boolean, transB: boolean): { run: () => void; dispose: () => void } {
  const a = tf.randomUniform([aRows, aCols]), b = tf.randomUniform([bRows, bCols]);
  return {
    run: () => tf.dispose(tf.matMul(a, b, transA, transB)),
    dispose: () => tf.dispose([a, b]),
  };
}

/** One SGD step of 784-128-10 (ReLU, softmax cross-entropy) on a batch, via optimizer.minimize. */
export function tfStep(batch: number, x: Float32Array, labels: Int32Array): { run: () => void; dispose: () => void } {
  const w1 = tf.variable(tf.randomNormal([784, 128], 0, Math.sqrt(2 / 784))), b1 = tf.variable(tf.zeros([128]));
  const w2 = tf.variable(tf.randomNormal([128, 10], 0, Math.sqrt(2 / 128))), b2 = tf.variable(tf.zeros([10]));
  const xs = tf.tensor2d(x.subarray(0, batch * 784), [batch, 784]);
  const ys = tf.oneHot(tf.tensor1d(labels.subarray(0, batch), "int32"), 10);
  const optimizer = tf.train.sgd(0.01);
  const loss = () => {
    const h = tf.relu(tf.add(tf.matMul(xs, w1), b1));
    return tf.losses.softmaxCrossEntropy(ys, tf.add(tf.matMul(h, w2), b2)) as tf.Scalar;
  };
  return {
    run: () => { const cost = optimizer.minimize(loss, true); if (cost) tf.dispose(cost); },
    dispose: () => tf.dispose([w1, b1, w2, b2, xs, ys]),
  };
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
