/**
 * Save and load times of large models through shapegrad/node (safetensors, fsync included), and
 * what JSON does with them. Sizes from argv, e.g.
 *   npx tsx bench/io-large.ts 784,4096,4096,4096,10     (36.8 M parameters)
 *   npx tsx bench/io-large.ts 784,5000,5000,4000,10     (~48.9 M parameters)
 * Prints seconds per save and per load (median of ROUNDS, default 3) and the file size.
 */
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { mlp, modelToJSON } from "../src/index.js";
import { loadModel, saveModel } from "../src/node.js";

const sizes = (process.argv[2] ?? "784,4096,4096,4096,10").split(",").map(Number);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const t0 = performance.now();
const net = mlp(sizes, { seed: 1 });
const built = (performance.now() - t0) / 1000;
const params = net.weights.reduce((n, w, l) => n + w.data.length + net.biases[l]!.data.length, 0);
const dir = mkdtempSync(join(tmpdir(), "shapegrad-io-large-"));
const path = join(dir, "model.safetensors");
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const saves: number[] = [], loads: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  let t = performance.now();
  saveModel(net, path);
  saves.push((performance.now() - t) / 1000);
  t = performance.now();
  const back = loadModel(path, sizes);
  loads.push((performance.now() - t) / 1000);
  if (back.weights[0]!.data[123] !== net.weights[0]!.data[123]) throw new Error("round trip differs");
}
console.log(`sizes ${sizes.join("-")}: ${(params / 1e6).toFixed(1)} M parameters, file ${(statSync(path).size / 1e6).toFixed(0)} MB; mlp() ${built.toFixed(2)} s`);
console.log(`safetensors save ${median(saves).toFixed(2)} s, load ${median(loads).toFixed(2)} s (median of ${ROUNDS}: saves ${saves.map((s) => s.toFixed(2)).join(", ")}; loads ${loads.map((s) => s.toFixed(2)).join(", ")})`);
if (process.env.JSON === "1") {
  const t = performance.now();
  try {
    modelToJSON(net);
    console.log(`modelToJSON: ok in ${((performance.now() - t) / 1000).toFixed(2)} s`);
  } catch (e) {
    console.log(`modelToJSON: ${(e as Error).message} (after ${((performance.now() - t) / 1000).toFixed(2)} s)`);
  }
}
rmSync(dir, { recursive: true, force: true });
