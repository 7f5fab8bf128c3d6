/**
 * What a checkpoint after every epoch costs `npm run train`'s default 784-128-10 network with Adam:
 * saveCheckpoint and loadCheckpoint times (median of ROUNDS, default 9), file size.
 * Run: npx tsx bench/io-checkpoint.ts
 */
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { adam, lossAndGradients, mlp, rng, zeros } from "../src/index.js";
import { loadCheckpoint, saveCheckpoint } from "../src/node.js";

const ROUNDS = Number(process.env.ROUNDS ?? 9);
const net = mlp([784, 128, 10], { seed: 1 });
const optimizer = adam();
optimizer.step(net, lossAndGradients(net, zeros(784, 4), zeros(10, 4)).gradients);
const order = rng(1).shuffle(Array.from({ length: 8000 }, (_, i) => i));
const dir = mkdtempSync(join(tmpdir(), "shapegrad-ckpt-bench-"));
const input = { net, optimizer, epoch: 1, fit: { epochs: 15, batchSize: 64, seed: 1 }, shuffle: { rng: rng(1).state(), order } };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const saves: number[] = [], loads: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  let t = performance.now();
  saveCheckpoint(dir, input);
  saves.push(performance.now() - t);
  t = performance.now();
  loadCheckpoint(dir, [784, 128, 10]);
  loads.push(performance.now() - t);
}
console.log(`784-128-10 + Adam m, v + 8,000-example order: ${(statSync(join(dir, "checkpoint.safetensors")).size / 1e6).toFixed(2)} MB, save ${median(saves).toFixed(1)} ms, load ${median(loads).toFixed(1)} ms (medians of ${ROUNDS})`);
