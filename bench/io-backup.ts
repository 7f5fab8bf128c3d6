/**
 * What fit's per-step parameter backup (copy before the update, finiteness check after) costs on
 * the notes' 784-128-10 network at batch 64: the time of fit steps, and the time of the same
 * copy + check alone, alternating in one process, medians of ROUNDS rounds.
 * Run: npx tsx bench/io-backup.ts
 */
import { adam, dataset, fit, mlp, rng } from "../src/index.js";
import { allFinite } from "../src/kernels/elementwise.js";

const ROUNDS = Number(process.env.ROUNDS ?? 9);
const n = 64 * 100, r = rng(1);
const images = Array.from({ length: n }, () => Array.from({ length: 784 }, () => r.next()));
const labels = Array.from({ length: n }, () => r.int(10));
const data = dataset(images, labels, { features: 784, classes: 10 });
const net = mlp([784, 128, 10], { seed: 1 });
const params = [...net.weights, ...net.biases].map((m) => m.data);
const backup = params.map((p) => new Float64Array(p.length));
const steps = n / 64;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const stepTimes: number[] = [], copyTimes: number[] = [];
fit(net, data, { epochs: 1, batchSize: 64, optimizer: adam() }); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  let t = performance.now();
  fit(net, data, { epochs: 1, batchSize: 64, optimizer: adam({ learningRate: 1e-4 }), shuffle: false });
  stepTimes.push((performance.now() - t) / steps);
  t = performance.now();
  let ok = true;
  for (let s = 0; s < steps; s++) {
    for (let p = 0; p < params.length; p++) backup[p]!.set(params[p]!);
    for (const p of params) ok &&= allFinite(p);
  }
  copyTimes.push((performance.now() - t) / steps);
  if (!ok) throw new Error("non-finite");
}
const step = median(stepTimes), copy = median(copyTimes);
console.log(`784-128-10 batch 64, ${ROUNDS} rounds of ${steps} steps: fit step ${(step * 1000).toFixed(0)} us (backup included), backup copy + check ${(copy * 1000).toFixed(0)} us = ${(100 * copy / (step - copy)).toFixed(1)}% of a step without it`);
