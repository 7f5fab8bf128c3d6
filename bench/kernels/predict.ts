/**
 * Batch-1 inference latency at the kernel level: z = W a + b, ReLU, ..., softmax, for 784-128-10 and
 * 784-1024-1024-10, each layer one matrix-vector product (gemmWasmFloat32 / gemmWasm, thin path)
 * plus a JavaScript loop for bias, ReLU and softmax; against TensorFlow.js 4.22 wasm (tf.tidy of a
 * matMul chain, then dataSync), alternating in one process, microseconds min/median/max over ROUNDS
 * (default 7) rounds.
 *
 *   node --experimental-wasm-relaxed-simd --import tsx bench/kernels/predict.ts
 *
 * "heap": weights, biases and activations allocated in the kernel heap (read in place, no copy);
 * "copied": ordinary arrays, so every product copies W into the heap first.
 */
import * as tf from "@tensorflow/tfjs";
import { useBackend } from "../tf.js";
import { gemmWasm } from "../../src/kernels/wasm/gemm-wasm.js";
import { gemmWasmFloat32 } from "../../src/kernels/wasm/gemm-wasm-f32.js";
import { heapFloat32Array, heapFloat64Array } from "../../src/kernels/wasm/heap.js";
import { relaxedSimdAvailable } from "../../src/kernels/wasm/module.js";
import { median, secondsPerCall } from "./shapes.js";

const ROUNDS = Number(process.env.ROUNDS ?? 7);
type Data = Float32Array | Float64Array;

function ours<T extends Data>(sizes: number[], make: (n: number) => T, product: (tA: boolean, tB: boolean, m: number, n: number, k: number, a: T, b: T, c: T) => void): () => number {
  const w = sizes.slice(1).map((out, l) => make(out * sizes[l]!));
  for (const x of w) for (let i = 0; i < x.length; i++) x[i] = (Math.random() - 0.5) * 0.1; // in place: map would return an ordinary array
  const b = sizes.slice(1).map((out) => make(out).fill(0.01));
  const a = sizes.map((n) => make(n));
  a[0]!.fill(0.5);
  return () => {
    for (let l = 1; l < sizes.length; l++) {
      const z = a[l]!, bias = b[l - 1]!, out = sizes[l]!;
      product(false, false, out, 1, sizes[l - 1]!, w[l - 1]!, a[l - 1]!, z);
      if (l < sizes.length - 1) for (let i = 0; i < out; i++) z[i] = Math.max(z[i]! + bias[i]!, 0);
      else {
        let max = -Infinity, sum = 0;
        for (let i = 0; i < out; i++) max = Math.max(max, (z[i] = z[i]! + bias[i]!));
        for (let i = 0; i < out; i++) sum += (z[i] = Math.exp(z[i]! - max));
        for (let i = 0; i < out; i++) z[i] = z[i]! / sum;
      }
    }
    return a[sizes.length - 1]![0]!;
  };
}

function tfjs(sizes: number[]): () => number {
  const w = sizes.slice(1).map((out, l) => tf.randomUniform([out, sizes[l]!], -0.05, 0.05));
  const b = sizes.slice(1).map((out) => tf.fill([out, 1], 0.01));
  const x = tf.fill([784, 1], 0.5);
  return () => {
    const y = tf.tidy(() => {
      let a: tf.Tensor = x;
      for (let l = 0; l < w.length; l++) {
        const z = tf.add(tf.matMul(w[l]!, a), b[l]!);
        a = l < w.length - 1 ? tf.relu(z) : tf.softmax(z.transpose()).transpose();
      }
      return a;
    });
    const v = (y.dataSync() as Float32Array)[0]!;
    y.dispose();
    return v;
  };
}

await useBackend("wasm");
const f32 = (n: number) => new Float32Array(n), f64 = (n: number) => new Float64Array(n);
console.log(`batch-1 predict, microseconds min/median/max over ${ROUNDS} rounds; relaxed SIMD ${relaxedSimdAvailable() ? "on" : "off"}`);
for (const sizes of [[784, 128, 10], [784, 1024, 1024, 10]]) {
  const impls: [string, () => number][] = [
    ["tfjs wasm", tfjs(sizes)],
    ["f32 heap", ours(sizes, heapFloat32Array, gemmWasmFloat32)],
    ["f32 copied", ours(sizes, f32, gemmWasmFloat32)],
    ["f64 heap", ours(sizes, heapFloat64Array, gemmWasm)],
    ["f64 copied", ours(sizes, f64, gemmWasm)],
  ];
  const samples = impls.map(() => [] as number[]);
  for (const [, run] of impls) secondsPerCall(run, 100);
  for (let r = 0; r < ROUNDS; r++) impls.forEach(([, run], i) => samples[i]!.push(secondsPerCall(run, 100) * 1e6));
  const tfMedian = median(samples[0]!);
  console.log(`\n${sizes.join("-")}:\n| impl | us min/median/max | vs tfjs |\n|---|---:|---:|`);
  impls.forEach(([name], i) => {
    const xs = samples[i]!;
    console.log(`| ${name} | ${Math.min(...xs).toFixed(1)}/${median(xs).toFixed(1)}/${Math.max(...xs).toFixed(1)} | ${(tfMedian / median(xs)).toFixed(2)}x |`);
  });
}
