/**
 * The profiled work of docs/performance.md, built through the public API of the compiled library
 * (dist/, made by `npm ci` / `npm run build`): the bench's training step (lossAndGradients +
 * sgd().step, as bench/shapegrad.ts) and batch-1 predict, plus "products only": the same products
 * a step computes (W a forward, W^T delta for every layer but the first, delta a^T), alone.
 */
import {
  createWorkspace, fromArray, lossAndGradients, matmul, matmulTransA, matmulTransB, mlp, oneHot, predict, setBackend, sgd, widen,
} from "../../dist/index.js";
import { heapFloat32Array, heapFloat64Array } from "../../dist/kernels/wasm/heap.js";

export const CASES = {
  "step-128-b64-f64": { sizes: [784, 128, 10], batch: 64, dtype: "float64" },
  "step-128-b64-f32": { sizes: [784, 128, 10], batch: 64, dtype: "float32" },
  "step-1024-b64-f64": { sizes: [784, 1024, 1024, 10], batch: 64, dtype: "float64" },
  "step-1024-b64-f32": { sizes: [784, 1024, 1024, 10], batch: 64, dtype: "float32" },
  "step-1024-b256-f64": { sizes: [784, 1024, 1024, 10], batch: 256, dtype: "float64" },
  "step-1024-b256-f32": { sizes: [784, 1024, 1024, 10], batch: 256, dtype: "float32" },
  "predict-1024-f64": { sizes: [784, 1024, 1024, 10], batch: 1, dtype: "float64", predict: true },
  "predict-1024-f32": { sizes: [784, 1024, 1024, 10], batch: 1, dtype: "float32", predict: true },
};

let seed = 7;
const random = (n) => Float64Array.from({ length: n }, () => (seed = (seed * 16807) % 2147483647) / 2147483647);
const array = (dtype, values) => (dtype === "float32" ? Float32Array.from(values) : Float64Array.from(values));
const matrix = (dtype, values, rows, cols) => widen(fromArray(array(dtype, values), rows, cols));
/** A matrix whose array lives in the kernel heap, as a network's weights and workspace do (products read it in place). */
function resident(dtype, values, rows, cols) {
  const data = dtype === "float32" ? heapFloat32Array(rows * cols) : heapFloat64Array(rows * cols);
  data.set(values);
  return widen(fromArray(data, rows, cols));
}

/** Multiply-adds x 2 of one training step (forward, weight gradients, W^T delta past the first layer). */
export function stepFlops(sizes, batch) {
  let f = 0;
  for (let l = 1; l < sizes.length; l++) f += 2 * batch * sizes[l] * sizes[l - 1] * (l === 1 ? 2 : 3);
  return f;
}

/** { run, products, flops, bytes }: the case's work, and its products alone (for steps). */
export function build(name) {
  const c = CASES[name];
  if (!c) throw new Error(`cases: unknown case ${JSON.stringify(name)}; expected one of ${Object.keys(CASES).join(", ")}`);
  setBackend("wasm");
  const net = mlp([...c.sizes], { seed: 1, dtype: c.dtype });
  const inputs = c.sizes[0], classes = c.sizes[c.sizes.length - 1];
  const x = matrix(c.dtype, random(inputs * c.batch), inputs, c.batch);
  if (c.predict) {
    const weightBytes = net.weights.reduce((s, w) => s + w.data.byteLength, 0) + net.biases.reduce((s, b) => s + b.data.byteLength, 0);
    return { run: () => void predict(net, x), bytes: weightBytes, flops: stepFlops(c.sizes, 1) / 3 };
  }
  const labels = Array.from({ length: c.batch }, (_, j) => j % classes);
  const t = matrix(c.dtype, oneHot(labels, classes).data, classes, c.batch);
  const ws = createWorkspace(net, c.batch);
  const optimizer = sgd({ learningRate: 0.001 });
  const run = () => {
    const { gradients } = lossAndGradients(net, x, t, ws);
    optimizer.step(net, gradients);
  };
  // The products alone, on buffers of the step's shapes (layer l: W is out x in, a is in x B).
  const jobs = [];
  for (let l = 1; l < c.sizes.length; l++) {
    const o = c.sizes[l], i = c.sizes[l - 1], B = c.batch;
    const w = resident(c.dtype, random(o * i), o, i), a = resident(c.dtype, random(i * B), i, B), d = resident(c.dtype, random(o * B), o, B);
    const z = resident(c.dtype, new Float64Array(o * B), o, B), g = resident(c.dtype, new Float64Array(o * i), o, i), back = resident(c.dtype, new Float64Array(i * B), i, B);
    jobs.push(() => matmul(w, a, z), () => matmulTransB(d, a, g));
    if (l > 1) jobs.push(() => matmulTransA(w, d, back));
  }
  return { run, products: () => { for (const j of jobs) j(); }, flops: stepFlops(c.sizes, c.batch) };
}
