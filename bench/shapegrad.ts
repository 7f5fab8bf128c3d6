/**
 * shapegrad's side of the benchmark: the implementations compared (kernel backend and element
 * type), and the timed work built through the public API.
 */
import {
  conv2d, createWorkspace, dataset, dense, fit, flatten, fromArray, input, lossAndGradients, matmul, matmulTransA, matmulTransB,
  maxPool2d, mlp, oneHot, predict, relu, sequentialWith, setBackend, sgd, softmax, transpose, widen,
  type AnyLayer, type AnyMlp, type AnyNetwork, type Backend, type Dyn, type Matrix, type Network,
} from "../src/index.js";
import { KC } from "../src/kernels/gemm.js";
import { allocate, heapViews } from "../src/kernels/wasm/heap.js";
import { kernels } from "../src/kernels/wasm/module.js";
import type { TfCnnParams } from "./tf-cnn.js";
import type { TfBatch, TfParams } from "./tf.js";
import type { ProductShape } from "./workloads.js";
import { productDims } from "./workloads.js";

/** One shapegrad implementation: a kernel backend and the element type of its arithmetic. */
export interface Impl {
  readonly name: string;
  readonly backend: Backend;
  readonly dtype: "float64" | "float32";
}

export const IMPLS: readonly Impl[] = [
  { name: "shapegrad js", backend: "js", dtype: "float64" },
  { name: "shapegrad wasm", backend: "wasm", dtype: "float64" },
  { name: "shapegrad float32", backend: "wasm", dtype: "float32" },
];
/** The implementations the targets call "float64" and "float32". */
export const FLOAT64 = "shapegrad wasm";
export const FLOAT32 = "shapegrad float32";

/** The bench's CNN: its layers known at run time. */
export type CnnNet = Network<readonly AnyLayer[]>;

/** What a piece of timed work needs from its implementation. */
export interface Flavour {
  /** Makes this implementation current; called before every timed run (the backend is global). */
  use(): void;
  network(sizes: readonly number[], seed?: number): AnyMlp;
  /** The CNN of issue 12 (workloads.ts CNN_CASE), of the implementation's element type (typed as float64, as `network`'s). */
  cnn(seed?: number): CnnNet;
  /** A matrix of the implementation's element type holding `values` (row-major). */
  matrix(values: ArrayLike<number>, rows: number, cols: number): Matrix<Dyn, Dyn>;
}

/**
 * The one place that says how an implementation gets its networks and matrices: a network of the
 * implementation's element type (`mlp(sizes, { dtype })`) and matrices of that type, on its backend.
 * (The float32 rows are typed as float64 here, the bench's own convenience: every op checks element
 * types at run time, and these matrices only meet networks of their own type.)
 */
export function flavour(impl: Impl): Flavour {
  const use = () => void setBackend(impl.backend);
  return {
    use,
    network: (sizes, seed = 1) => {
      use();
      return mlp([...sizes], { seed, dtype: impl.dtype }) as unknown as AnyMlp;
    },
    cnn: (seed = 1) => {
      use();
      return sequentialWith({ seed, dtype: impl.dtype }, [
        input(1, 28, 28), conv2d(8, 5), relu(), maxPool2d(2), conv2d(16, 5, { padding: "same" }), relu(), maxPool2d(2), flatten(), dense(10), softmax(),
      ]) as unknown as CnnNet;
    },
    matrix: (values, rows, cols) =>
      widen(fromArray(impl.dtype === "float32" ? Float32Array.from(values) : Float64Array.from(values), rows, cols)) as unknown as Matrix<Dyn, Dyn>,
  };
}

/** One timed product op(A) op(B) through the public matmul ops. */
export function product(impl: Impl, p: ProductShape, seed = 1): () => void {
  const f = flavour(impl);
  let s = seed;
  const random = (n: number) => Float64Array.from({ length: n }, () => ((s = (s * 16807) % 2147483647) / 2147483647));
  const a = f.matrix(random(p.a[0] * p.a[1]), p.a[0], p.a[1]), b = f.matrix(random(p.b[0] * p.b[1]), p.b[0], p.b[1]);
  const { m, n } = productDims(p);
  const out = f.matrix(new Float64Array(m * n), m, n);
  if (p.transA) return () => void matmulTransA(a, b, out);
  if (p.transB) return () => void matmulTransB(a, b, out);
  return () => void matmul(a, b, out);
}

/** The batch in shapegrad's layout: x is In x B (one example per column), t one-hot K x B. */
function batchOf(f: Flavour, net: { readonly sizes: readonly number[] }, data: TfBatch): { x: Matrix<Dyn, Dyn>; t: Matrix<Dyn, Dyn> } {
  const inputs = net.sizes[0]!, classes = net.sizes[net.sizes.length - 1]!;
  const rows = widen(fromArray(data.x.subarray(0, data.batch * inputs), data.batch, inputs));
  const t = oneHot(Array.from(data.labels.subarray(0, data.batch)), classes);
  return { x: f.matrix(transpose(rows).data, inputs, data.batch), t: f.matrix(t.data, classes, data.batch) };
}

/** A training step (lossAndGradients + sgd.step) with a workspace; `step` also returns the loss it computed (before its update). */
export interface Step<N extends AnyNetwork = AnyMlp> { run: () => void; step: () => number; net: N }

export function trainingStep(impl: Impl, sizes: readonly number[], data: TfBatch, learningRate = 0.01): Step {
  const f = flavour(impl);
  const net = f.network(sizes);
  return { ...stepOf(f, net, data, learningRate), net };
}

/** The same step on the CNN of issue 12 (its input is the 784 pixels of an example, one column each, as for the MLP). */
export function cnnTrainingStep(impl: Impl, data: TfBatch, learningRate = 0.01): Step<CnnNet> {
  const f = flavour(impl);
  const net = f.cnn();
  return { ...stepOf(f, net, data, learningRate), net };
}

function stepOf(f: Flavour, net: AnyMlp | CnnNet, data: TfBatch, learningRate: number): { run: () => void; step: () => number } {
  const { x, t } = batchOf(f, net, data);
  const ws = createWorkspace(net, data.batch);
  const optimizer = sgd({ learningRate });
  const step = () => {
    f.use();
    const { loss, gradients } = lossAndGradients(net, x, t, ws);
    optimizer.step(net, gradients);
    return loss;
  };
  return { run: () => void step(), step };
}

/** Batch-1 inference through `predict`, the first example of `data`. */
export function predictOne(impl: Impl, sizes: readonly number[], data: TfBatch): { run: () => void; output: () => ArrayLike<number>; net: AnyMlp } {
  const f = flavour(impl);
  const net = f.network(sizes);
  const x = f.matrix(data.x.subarray(0, sizes[0]!), sizes[0]!, 1);
  const output = () => {
    f.use();
    return predict(net, x).data;
  };
  return { run: () => void output(), output, net };
}

/** `fit` for one epoch over `examples` (batch 64, SGD); returns the seconds it took. */
export function fitSeconds(impl: Impl, examples: readonly Float32Array[], labels: Int32Array): number {
  const f = flavour(impl);
  const net = f.network([784, 128, 10]);
  const features: number = 784, classes: number = 10; // run-time sizes, as the network's (AnyMlp)
  const data = dataset(examples, labels, { features, classes });
  const t0 = performance.now();
  fit(net, data, { epochs: 1, batchSize: 64, optimizer: sgd({ learningRate: 0.01 }), seed: 1 });
  return (performance.now() - t0) / 1000;
}

/** A network's parameters in TF.js's layout (W^l transposed to In x Out, as float32). */
export function tfParamsOf(net: AnyMlp): TfParams {
  const sizes = [...net.sizes];
  return {
    sizes,
    weights: net.weights.map((w) => Float32Array.from(transpose(widen(w)).data)),
    biases: net.biases.map((b) => Float32Array.from(b.data)),
  };
}

/**
 * The CNN's parameters in TF.js's NHWC layout (float32), layer by layer: a conv layer's weights
 * F x (C*KH*KW), each row in (c, kh, kw) order, become the filter [KH, KW, C, F]; the dense layer
 * after the flatten reads its inputs in (c, h, w) order in shapegrad and in (h, w, c) order after
 * TF.js's NHWC reshape, so its weights Out x (C*H*W) become the kernel [(h, w, c), Out]. The same
 * conversion as the library's exporter (src/io/tfjs.ts), written out again here so that the check
 * does not lean on it.
 */
export function tfCnnParamsOf(net: CnnNet): TfCnnParams {
  const out: TfCnnParams = [];
  let image: readonly number[] | undefined; // [C, H, W] of the last flatten of an image
  net.layers.forEach((layer, l) => {
    const w = net.weights[l], b = net.biases[l];
    if (layer.kind === "flatten") image = layer.inputShape;
    if (!w || !b) return;
    if (layer.kind === "conv2d") {
      const c = layer.inputShape[0]!, f = layer.outputShape[0]!, k = Math.round(Math.sqrt(w.cols / c));
      if (w.rows !== f || c * k * k !== w.cols) throw new Error(`bench: conv layer ${l + 1} is not a square-kernel F x (C*K*K) matrix`);
      const kernel = new Float32Array(f * c * k * k);
      for (let o = 0; o < f; o++) for (let i = 0; i < c; i++) for (let y = 0; y < k; y++) for (let x = 0; x < k; x++) {
        kernel[((y * k + x) * c + i) * f + o] = w.data[((o * c + i) * k + y) * k + x]!;
      }
      out.push({ values: kernel, shape: [k, k, c, f] }, { values: Float32Array.from(b.data), shape: [f] });
    } else if (layer.kind === "dense") {
      const [rows, cols] = [w.rows, w.cols];
      const kernel = new Float32Array(rows * cols); // [cols, rows]: row r of the kernel is input r in TF.js's order
      const [c, h, wd] = image ?? [cols, 1, 1];
      for (let o = 0; o < rows; o++) for (let i = 0; i < c; i++) for (let y = 0; y < h; y++) for (let x = 0; x < wd; x++) {
        kernel[((y * wd + x) * c + i) * rows + o] = w.data[o * cols + (i * h + y) * wd + x]!;
      }
      out.push({ values: kernel, shape: [cols, rows] }, { values: Float32Array.from(b.data), shape: [rows] });
      image = undefined;
    } else throw new Error(`bench: no TF.js layout for a ${layer.kind} layer with weights`);
  });
  return out;
}

/**
 * The WebAssembly micro-kernel alone, on panels already packed in its module's memory (its own
 * instance), over the same K blocks as the driver: what the product costs without moving data in,
 * packing and copying out, i.e. the ceiling of the full product at this shape.
 */
export function microKernelOnly(backend: "wasm" | "wasm-f32", p: ProductShape): () => void {
  const set = kernels();
  if (set === null) throw new Error("bench: WebAssembly SIMD is not available");
  const [g, bytes, width] = backend === "wasm" ? [set.f64, 8, 4] : [set.f32, 4, 8];
  const { m, n, k } = productDims(p);
  const mPanels = Math.ceil(m / 4), nPanels = Math.ceil(n / width), kBlock = Math.min(KC, k);
  const pb = 4 * mPanels * kBlock * bytes, pc = pb + width * nPanels * kBlock * bytes;
  const pa = allocate(pc + 4 * mPanels * width * nPanels * bytes)!; // its own block of the kernel heap
  const views = heapViews()!;
  const panels = bytes === 8 ? views.f64.subarray(pa / 8, (pa + pc) / 8) : views.f32.subarray(pa / 4, (pa + pc) / 4);
  for (let i = 0; i < panels.length; i++) panels[i] = Math.random();
  return () => {
    for (let k0 = 0; k0 < k; k0 += KC) g.kernel(pa, pa + pb, pa + pc, mPanels, nPanels, Math.min(KC, k - k0), k0 === 0 ? 1 : 0, width * nPanels * bytes, 1);
  };
}
