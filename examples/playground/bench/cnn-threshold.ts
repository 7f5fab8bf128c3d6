/**
 * Where the browser test's threshold for the CNN comes from: the page's CNN (8 and 16 filters of
 * 5 x 5, batch 32, Adam 0.002, one epoch on the page's 8,000 digits) against the same CNN whose two
 * convolutions stay at their random start (only the dense layer learns, on random features), for
 * seeds 1-3, with the dense network's one epoch for comparison. A threshold above every frozen run
 * and below every trained one shows that the convolutions learned.
 *
 *   npx tsx examples/playground/bench/cnn-threshold.ts
 */
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { adam, evaluate, fit, type AnyDataset, type RuntimeNetwork } from "../../../src/index.js";
import { packMnist } from "../plugins/mnist-asset.js";
import { decodeDigits, splitDigits } from "../src/data.js";
import { architectures, buildNetwork, type Settings } from "../src/network.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const { train, test } = splitDigits(decodeDigits(packMnist(root)));
const settings: Settings = { hidden: [128], activation: "relu", filters: [8, 16], kernel: 5 };

function run(id: string, seed: number, freeze: boolean, data: { train: AnyDataset; test: AnyDataset }): number {
  const architecture = architectures.find((a) => a.id === id)!;
  const net: RuntimeNetwork = buildNetwork(architecture.layers(settings), seed);
  const conv = net.layers.flatMap((l, i) => (l.kind === "conv2d" ? [i] : []));
  const start = conv.map((i) => [Float64Array.from(net.weights[i]!.data), Float64Array.from(net.biases[i]!.data)] as const);
  const { batchSize, learningRate } = architecture.suggested;
  fit(net, data.train, {
    epochs: 1, batchSize, optimizer: adam({ learningRate }), seed,
    // Frozen: the convolutions' parameters are put back after every step.
    onBatchEnd: () => { if (freeze) conv.forEach((i, k) => { net.weights[i]!.data.set(start[k]![0]); net.biases[i]!.data.set(start[k]![1]); }); },
  });
  return evaluate(net, data.test).accuracy;
}

const pct = (a: number) => `${(100 * a).toFixed(2)}%`;
for (const seed of [1, 2, 3]) {
  const trained = run("cnn", seed, false, { train, test }), frozen = run("cnn", seed, true, { train, test }), dense = run("dense", seed, false, { train, test });
  console.log(`seed ${seed}: CNN ${pct(trained)}, CNN with frozen convolutions ${pct(frozen)}, dense 784-128-10 ${pct(dense)}`);
}
