/**
 * Micro-benchmark of the convolution kernels on the default CNN at batch 64:
 *   input 1x28x28 -> conv 8 filters 5x5 valid -> 8x24x24 -> maxpool 2 -> 8x12x12
 *   -> conv 16 filters 5x5 "same" -> 16x12x12 -> maxpool 2 -> 16x6x6.
 * Run: `npx tsx bench/kernels/conv.ts` (BENCH_ROUNDS, default 9; BENCH_MIN_MS, default 150;
 * `--tf` adds TensorFlow.js wasm's conv2d forward + gradients for the same layers).
 *
 * Reports (medians of the rounds; implementations alternate within each round, in one process):
 * - im2col / col2im / max-pool throughput in values per second, float64 and float32;
 * - each conv layer's forward + backward time split into its steps, and GFLOP/s of the whole, on the
 *   js and wasm backends (float64). The first layer's backward skips col2im and W^T delta: the
 *   network needs no delta for its input. FLOPs counted: 2 F K P B per product performed.
 * - heap growth per call of each kernel after warm-up (allocation check).
 */
import { gemmKernel, setBackend, type Backend } from "../../src/kernels/backend.js";
import { convGeometry, type ConvGeometry } from "../../src/kernels/conv-geometry.js";
import { addBiasReluRowsF64, col2imF32, col2imF64, im2colF32, im2colF64, sumRowsF64 } from "../../src/kernels/conv.js";
import { maxPoolBackwardF32, maxPoolBackwardF64, maxPoolForwardF32, maxPoolForwardF64 } from "../../src/kernels/pool.js";

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const MIN_MS = Number(process.env.BENCH_MIN_MS ?? 150);
const B = 64;

/** Milliseconds per call, timed over at least MIN_MS. */
function msPerCall(run: () => void): number {
  let calls = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < MIN_MS) { run(); calls++; t = performance.now(); }
  return (t - t0) / calls;
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Runs every entry once per round (after a warm-up round), returns the median ms of each. */
function alternate(entries: [string, () => void][]): Map<string, number> {
  for (const [, run] of entries) msPerCall(run);
  const samples = entries.map(() => [] as number[]);
  for (let r = 0; r < ROUNDS; r++) entries.forEach(([, run], i) => samples[i]!.push(msPerCall(run)));
  return new Map(entries.map(([name], i) => [name, median(samples[i]!)]));
}

const random = (n: number, seed: number) => {
  let s = seed;
  return Float64Array.from({ length: n }, () => ((s = (s * 1103515245 + 12345) % 2147483648) / 1073741824 - 1));
};

interface ConvLayer { name: string; C: number; F: number; g: ConvGeometry; inputDelta: boolean }
interface PoolLayer { name: string; C: number; g: ConvGeometry }
const convs: ConvLayer[] = [
  { name: "conv1 1x28x28 -> 8x24x24 (5x5 valid)", C: 1, F: 8, g: convGeometry(28, 28, 5, 5, 1, 1, "valid"), inputDelta: false },
  { name: "conv2 8x12x12 -> 16x12x12 (5x5 same)", C: 8, F: 16, g: convGeometry(12, 12, 5, 5, 1, 1, "same"), inputDelta: true },
];
const pools: PoolLayer[] = [
  { name: "pool1 8x24x24 -> 8x12x12", C: 8, g: convGeometry(24, 24, 2, 2, 2, 2, "valid", "maxPool2d") },
  { name: "pool2 16x12x12 -> 16x6x6", C: 16, g: convGeometry(12, 12, 2, 2, 2, 2, "valid", "maxPool2d") },
];

const fmt = (v: number, d = 2) => v.toFixed(d);
const table = (head: string[], rows: (string | number)[][]) => {
  console.log(`| ${head.join(" | ")} |`);
  console.log(`|${head.map((_, i) => (i === 0 ? "---" : "---:")).join("|")}|`);
  for (const r of rows) console.log(`| ${r.join(" | ")} |`);
  console.log();
};

// ---- (a) data movement: im2col, col2im, pooling ----
function movement(): void {
  const entries: [string, () => void][] = [];
  const sizes = new Map<string, number>();
  for (const { name, C, g } of convs) {
    const xn = C * g.height * g.width * B, cn = C * g.kernelH * g.kernelW * g.outH * g.outW * B;
    const x = random(xn, 1), cols = new Float64Array(cn), dx = new Float64Array(xn);
    const x32 = Float32Array.from(x), cols32 = new Float32Array(cn), dx32 = new Float32Array(xn);
    entries.push([`${name}|im2col|f64`, () => im2colF64(x, C, B, g, cols)], [`${name}|im2col|f32`, () => im2colF32(x32, C, B, g, cols32)]);
    entries.push([`${name}|col2im|f64`, () => col2imF64(cols, C, B, g, dx)], [`${name}|col2im|f32`, () => col2imF32(cols32, C, B, g, dx32)]);
    // the floor: copying as many values with TypedArray.prototype.set (memcpy)
    const src = new Float64Array(cn), src32 = new Float32Array(cn);
    entries.push([`${name}|memcpy of as many values|f64`, () => cols.set(src)], [`${name}|memcpy of as many values|f32`, () => cols32.set(src32)]);
    sizes.set(name, cn);
  }
  for (const { name, C, g } of pools) {
    const xn = C * g.height * g.width * B, yn = C * g.outH * g.outW * B;
    const x = random(xn, 2).map((v) => Math.max(v, 0)), y = new Float64Array(yn), at = new Int32Array(yn), dx = new Float64Array(xn); // pools follow a ReLU: half zeros
    const x32 = Float32Array.from(x), y32 = new Float32Array(yn), dx32 = new Float32Array(xn);
    entries.push([`${name}|pool fwd|f64`, () => maxPoolForwardF64(x, C, B, g, y, at)], [`${name}|pool fwd|f32`, () => maxPoolForwardF32(x32, C, B, g, y32, at)]);
    entries.push([`${name}|pool bwd|f64`, () => maxPoolBackwardF64(y, at, C, B, g, dx)], [`${name}|pool bwd|f32`, () => maxPoolBackwardF32(y32, at, C, B, g, dx32)]);
    sizes.set(name, xn); // values read by the forward pass, written by the backward pass
  }
  const ms = alternate(entries);
  const rows: (string | number)[][] = [];
  for (const [key] of entries) {
    const [layer, kernel, dtype] = key.split("|") as [string, string, string];
    if (dtype !== "f64") continue;
    const n = sizes.get(layer)!, m64 = ms.get(key)!, m32 = ms.get(`${layer}|${kernel}|f32`)!;
    rows.push([`${kernel}, ${layer}`, n.toLocaleString("en-US"), fmt(m64, 3), fmt(n / m64 / 1e6), fmt(m32, 3), fmt(n / m32 / 1e6)]);
  }
  console.log(`### Data movement, batch ${B} (values = im2col matrix entries, or pool input entries; pool inputs are ReLU outputs, half zeros)\n`);
  table(["kernel", "values", "f64 ms", "f64 Gvalues/s", "f32 ms", "f32 Gvalues/s"], rows);
}

// ---- (b) a whole conv layer, forward + backward, on each backend ----
function layerSteps(l: ConvLayer) {
  const { C, F, g } = l, K = C * g.kernelH * g.kernelW, PB = g.outH * g.outW * B;
  const x = random(C * g.height * g.width * B, 3), w = random(F * K, 4), bias = random(F, 5), delta = random(F * PB, 6);
  const cols = new Float64Array(K * PB), z = new Float64Array(F * PB), a = new Float64Array(F * PB);
  const dW = new Float64Array(F * K), db = new Float64Array(F), dcols = new Float64Array(K * PB), dx = new Float64Array(x.length);
  const steps: [string, () => void, number][] = [
    ["im2col", () => im2colF64(x, C, B, g, cols), 0],
    ["W . cols", () => gemmKernel(false, false, F, PB, K, w, cols, z), 2 * F * K * PB],
    ["bias + ReLU", () => addBiasReluRowsF64(z, F, PB, bias, a), 0],
    ["delta . cols^T", () => gemmKernel(false, true, F, K, PB, delta, cols, dW, false, 1 / B), 2 * F * K * PB],
    ["row sums (dE/db)", () => sumRowsF64(delta, F, PB, db, 1 / B), 0],
  ];
  if (l.inputDelta) {
    steps.push(["W^T . delta", () => gemmKernel(true, false, K, PB, F, w, delta, dcols), 2 * F * K * PB]);
    steps.push(["col2im", () => col2imF64(dcols, C, B, g, dx), 0]);
  }
  return steps;
}

function layers(backends: Backend[]): void {
  for (const l of convs) {
    const steps = layerSteps(l);
    const entries: [string, () => void][] = [];
    for (const be of backends) {
      for (const [name, run] of steps) entries.push([`${be}|${name}`, () => { setBackend(be); run(); }]);
      entries.push([`${be}|whole`, () => { setBackend(be); for (const [, run] of steps) run(); }]);
    }
    const ms = alternate(entries);
    const flops = steps.reduce((s, [, , f]) => s + f, 0);
    console.log(`### ${l.name}, batch ${B}: forward + backward${l.inputDelta ? "" : " (no input delta)"}, ${fmt(flops / 1e6, 1)} MFLOP\n`);
    const rows = steps.map(([name, , f]) => [name, ...backends.flatMap((be) => {
      const t = ms.get(`${be}|${name}`)!, whole = ms.get(`${be}|whole`)!;
      return [fmt(t, 3), `${fmt((100 * t) / whole, 0)}%`, f > 0 ? fmt(f / t / 1e6, 1) : "-"];
    })]);
    rows.push(["whole layer (one call of each step)", ...backends.flatMap((be) => {
      const whole = ms.get(`${be}|whole`)!;
      return [fmt(whole, 3), "100%", fmt(flops / whole / 1e6, 1)];
    })]);
    table(["step", ...backends.flatMap((be) => [`${be} ms`, `${be} share`, `${be} GFLOP/s`])], rows);
  }
}

// ---- (c) allocation: heap growth per call once warm ----
function allocation(): void {
  const l = convs[1]!, p = pools[0]!;
  const K = l.C * l.g.kernelH * l.g.kernelW, PB = l.g.outH * l.g.outW * B;
  const x = random(l.C * l.g.height * l.g.width * B, 7), cols = new Float64Array(K * PB), dx = new Float64Array(x.length);
  const px = random(p.C * p.g.height * p.g.width * B, 8), y = new Float64Array(p.C * p.g.outH * p.g.outW * B), at = new Int32Array(y.length), pdx = new Float64Array(px.length);
  const rows: (string | number)[][] = [];
  for (const [name, run] of [
    ["im2col f64 (conv2)", () => im2colF64(x, l.C, B, l.g, cols)], ["col2im f64 (conv2)", () => col2imF64(cols, l.C, B, l.g, dx)],
    ["maxPoolForward f64 (pool1)", () => maxPoolForwardF64(px, p.C, B, p.g, y, at)], ["maxPoolBackward f64 (pool1)", () => maxPoolBackwardF64(y, at, p.C, B, p.g, pdx)],
  ] as [string, () => void][]) {
    for (let i = 0; i < 200; i++) run();
    const growth: number[] = [];
    for (let t = 0; t < 5; t++) {
      const before = process.memoryUsage().heapUsed;
      for (let i = 0; i < 200; i++) run();
      growth.push((process.memoryUsage().heapUsed - before) / 200);
    }
    rows.push([name, fmt(median(growth), 1)]);
  }
  console.log("### Heap growth per call after warm-up (median of 5 x 200 calls)\n");
  table(["kernel", "bytes / call"], rows);
}

// ---- (d) TensorFlow.js, the same layers (optional) ----
// tfjs-backend-wasm 4.22 registers no Conv2DBackpropFilter kernel (tf.grad of a conv2d's filter
// throws there), so its trainable form is conv3d over a depth of 1, whose three kernels (Conv3D,
// Conv3DBackpropInputV2, Conv3DBackpropFilterV2) it has. Rows: conv2d forward alone on wasm
// (XNNPACK), conv3d forward + gradients on wasm, conv2d forward + gradients on cpu.
async function tfLayers(): Promise<void> {
  const { useBackend } = await import("../tf.js");
  const tf = await import("@tensorflow/tfjs");
  type Tensor = import("@tensorflow/tfjs").Tensor;
  type T4 = import("@tensorflow/tfjs").Tensor4D;
  type T5 = import("@tensorflow/tfjs").Tensor5D;
  const sync = (ts: Tensor[]) => { ts.forEach((t) => t.dataSync()); tf.dispose(ts); };
  const rows: (string | number)[][] = [];
  for (const be of ["wasm"] as const) {
    await useBackend(be);
    for (const l of convs) {
      const { C, F, g } = l, K = C * g.kernelH * g.kernelW, P = g.outH * g.outW;
      const pad = g.padTop + g.padBottom + g.padLeft + g.padRight === 0 ? "valid" : "same";
      const products = l.inputDelta ? 3 : 2, flops = 2 * F * K * P * B;
      const x4 = tf.randomUniform([B, g.height, g.width, C]) as T4, w4 = tf.randomUniform([g.kernelH, g.kernelW, C, F]) as T4;
      const x5 = tf.reshape(x4, [B, 1, g.height, g.width, C]) as T5, w5 = tf.reshape(w4, [1, g.kernelH, g.kernelW, C, F]) as T5;
      const conv3 = (xx: T5, ww: T5) => tf.relu(tf.conv3d(xx, ww, 1, pad)).sum();
      const entries: [string, () => void][] = [[`${be} conv2d forward|1`, () => sync([tf.relu(tf.conv2d(x4, w4, 1, pad))])]];
      entries.push([`${be} conv3d depth 1, forward + gradients|${products}`, l.inputDelta
        ? () => sync(tf.grads((a: Tensor, b: Tensor) => conv3(a as T5, b as T5))([x5, w5]))
        : () => sync(tf.grads((b: Tensor) => conv3(x5, b as T5))([w5]))]);
      const ms = alternate(entries);
      for (const [key] of entries) {
        const [name, count] = key.split("|") as [string, string];
        const t = ms.get(key)!;
        rows.push([l.name, name, fmt(t, 3), fmt((Number(count) * flops) / t / 1e6, 1)]);
      }
      tf.dispose([x4, w4, x5, w5]);
    }
  }
  console.log(`### TensorFlow.js 4.22 (float32; wasm = XNNPACK for conv2d, 1 thread, SIMD), with ReLU, batch ${B}\n`);
  table(["layer", "work", "ms", "GFLOP/s"], rows);
}

console.log(`Node ${process.version}, ${ROUNDS} rounds, >= ${MIN_MS} ms per sample, medians; implementations alternate within each round.\n`);
movement();
layers(["js", "wasm"]);
allocation();
if (process.argv.includes("--tf")) await tfLayers();
