/**
 * How much of a 784-128-10, batch-64 training step (lossAndGradients + sgd().step) the element-wise
 * steps take: the ReLU pair (addBiasThenF, timesDerivative), delta^L = a - t and the bias
 * gradient's row sums; and the ReLU pair as TypeScript loops (copies of the loops relu.ts falls back
 * to) against WebAssembly (what relu.ts uses on heap arrays), alone and inside the step. Each piece is timed alone on arrays of the step's sizes, beside the whole
 * step, in one process, alternating, median of ROUNDS (default 7) rounds; CPU time per call.
 *
 *   node --experimental-wasm-relaxed-simd --import tsx bench/kernels/elementwise.ts [float64|float32]
 */
import { createWorkspace, fromArray, lossAndGradients, mlp, oneHot, sgd, widen } from "../../src/index.js";
import { sumColumnsInto, scaleInto } from "../../src/kernels/elementwise.js";
import { heapFloat32Array, heapFloat64Array } from "../../src/kernels/wasm/heap.js";
import { rowSumKernel } from "../../src/kernels/wasm/rowsum.js";
import { relu } from "../../src/nn/activations/relu.js";
import { crossEntropy } from "../../src/nn/losses/cross-entropy.js";
import { median, secondsPerCall } from "./shapes.js";

const ROUNDS = Number(process.env.ROUNDS ?? 7);
const dtype = (process.argv[2] ?? "float64") as "float64" | "float32";
const B = 64, H = 128, K = 10, IN = 784;

let s = 7;
const random = (n: number) => Float64Array.from({ length: n }, () => ((s = (s * 16807) % 2147483647) / 2147483647) - 0.5);
const conv = (v: Float64Array) => (dtype === "float32" ? Float32Array.from(v) : v);
const heap = (n: number) => (dtype === "float32" ? heapFloat32Array(n) : heapFloat64Array(n));
const filled = (n: number) => { const h = heap(n); h.set(random(n)); return h; };

function trainingStep(): () => void {
  const net = mlp([IN, H, K], { seed: 1, dtype });
  const x = widen(fromArray(conv(random(IN * B).map((v) => v + 0.5)), IN, B));
  const t = widen(oneHot(Array.from({ length: B }, (_, i) => i % K), K));
  const tt = widen(fromArray(conv(t.data), K, B));
  const ws = createWorkspace(net, B);
  const optimizer = sgd({ learningRate: 0.01 });
  // the bench's own convenience: x and t have the network's dtype (checked at run time)
  const run = lossAndGradients as unknown as (n: unknown, x: unknown, t: unknown, w: unknown) => { gradients: unknown };
  const step = optimizer.step as unknown as (n: unknown, g: unknown) => void;
  return () => step(net, run(net, x, tt, ws).gradients);
}

const zH = filled(H * B), aH = heap(H * B), gH = filled(H * B), bH = filled(H), aK = filled(K * B), tK = filled(K * B), dK = heap(K * B), gb = heap(H), gbK = heap(K);
/** The TypeScript loops of relu.ts (its fallback), copied: the "before" of the WebAssembly kernels. */
type Floats = Float32Array | Float64Array;
function timesDerivativeTs(z: Floats, _a: Floats, g: Floats): void {
  for (let i = 0; i < g.length; i++) {
    const v = z[i]!;
    if (!(v > 0)) g[i] = v === v ? 0 : v;
  }
}
function addBiasThenFTs(z: Floats, rows: number, cols: number, bias: Floats, a: Floats): void {
  for (let i = 0; i < rows; i++) {
    const bi = bias[i]!, o = i * cols;
    for (let j = o; j < o + cols; j++) {
      const v = z[j]! + bi;
      z[j] = v;
      a[j] = v < 0 ? 0 : v;
    }
  }
}

/** The step with relu's record holding the TypeScript loops (and the row sums as TS loops too) while it runs. */
function withTsRelu(run: () => void, rowSumsToo = false): () => void {
  const saved = { addBiasThenF: relu.addBiasThenF, timesDerivative: relu.timesDerivative };
  return () => {
    Object.assign(relu, { addBiasThenF: addBiasThenFTs, timesDerivative: timesDerivativeTs });
    rowSumKernel.enabled = !rowSumsToo;
    run();
    rowSumKernel.enabled = true;
    Object.assign(relu, saved);
  };
}

/** The bias gradients' sums with the kernel switched off: the TypeScript loop. */
function tsRowSums(run: () => void): () => void {
  return () => {
    rowSumKernel.enabled = false;
    run();
    rowSumKernel.enabled = true;
  };
}

/** The step with the ReLU pair (and delta^L) replaced by no-ops while it runs: what they cost inside the step. */
function withoutElementwise(run: () => void): () => void {
  const saved = { addBiasThenF: relu.addBiasThenF, timesDerivative: relu.timesDerivative, outputDelta: crossEntropy.outputDelta };
  const none = () => {};
  return () => {
    Object.assign(relu, { addBiasThenF: none, timesDerivative: none });
    Object.assign(crossEntropy, { outputDelta: none });
    run();
    Object.assign(relu, { addBiasThenF: saved.addBiasThenF, timesDerivative: saved.timesDerivative });
    Object.assign(crossEntropy, { outputDelta: saved.outputDelta });
  };
}

const biasSums = () => { sumColumnsInto(gH, H, B, gb); scaleInto(gb, 1 / B, gb); sumColumnsInto(dK, K, B, gbK); scaleInto(gbK, 1 / B, gbK); };
const pieces: Record<string, () => void> = {
  "step": trainingStep(),
  "step, ReLU pair as TS loops": withTsRelu(trainingStep()),
  "step, ReLU + row sums as TS": withTsRelu(trainingStep(), true),
  "step, ReLU pair + dL no-ops": withoutElementwise(trainingStep()),
  "addBiasThenF 128x64": () => relu.addBiasThenF!(zH, H, B, bH, aH),
  "addBiasThenF 128x64, TS": () => addBiasThenFTs(zH, H, B, bH, aH),
  "timesDerivative 128x64": () => relu.timesDerivative!(zH, aH, gH),
  "timesDerivative 128x64, TS": () => timesDerivativeTs(zH, aH, gH),
  "outputDelta 10x64": () => crossEntropy.outputDelta("softmax", { z: aK, a: aK, targets: tK, rows: K, cols: B }, dK),
  "bias sums 128x64 + 10x64": biasSums,
  "bias sums 128x64 + 10x64, TS": tsRowSums(biasSums),
};
const names = Object.keys(pieces);
const samples = names.map(() => [] as number[]);
for (let r = 0; r < ROUNDS; r++) names.forEach((n, i) => samples[i]!.push(secondsPerCall(pieces[n]!, 200) * 1e6));
const step = median(samples[0]!);
console.log(`${dtype}, microseconds per call, median of ${ROUNDS} rounds (share of the step's median)`);
names.forEach((n, i) => {
  const m = median(samples[i]!);
  console.log(`${n.padEnd(28)} ${m.toFixed(2).padStart(9)}  ${(100 * m / step).toFixed(2)}%   [${samples[i]!.map((v) => v.toFixed(1)).join(", ")}]`);
});
const ratio = (a: number, b: number) => median(samples[a]!.map((v, r) => v / samples[b]![r]!));
console.log(`step with the ReLU pair as TS loops / step with it in WebAssembly, median of the per-round ratios: ${ratio(1, 0).toFixed(3)}`);
console.log(`step with the ReLU pair and the row sums as TS loops / step with both in WebAssembly, likewise: ${ratio(2, 0).toFixed(3)}`);
