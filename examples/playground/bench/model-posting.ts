/**
 * What posting the model to the training worker costs the page's thread: writing 784-128-10 (and
 * the page's CNN) as JSON text (`modelToJSON`, what trainInWorker posted before) and as safetensors
 * bytes (`modelToSafetensors`, what it posts now), and reading each back in the worker. Median of
 * 15 alternating rounds, in Node.
 *
 *   npx tsx examples/playground/bench/model-posting.ts
 */
import { modelFromJSON, modelFromSafetensors, modelToJSON, modelToSafetensors, type RuntimeNetwork } from "../../../src/index.js";
import { architectures, buildNetwork, type Settings } from "../src/network.js";

const settings: Settings = { hidden: [128], activation: "relu", filters: [8, 16], kernel: 5 };
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
const time = (f: () => unknown) => {
  const t = performance.now();
  f();
  return performance.now() - t;
};

for (const architecture of architectures) {
  const net: RuntimeNetwork = buildNetwork(architecture.layers(settings), 1);
  const json = modelToJSON(net), bytes = modelToSafetensors(net);
  const t = { toJSON: [] as number[], fromJSON: [] as number[], toSafetensors: [] as number[], fromSafetensors: [] as number[] };
  for (let r = 0; r < 15; r++) {
    t.toJSON.push(time(() => modelToJSON(net)));
    t.toSafetensors.push(time(() => modelToSafetensors(net)));
    t.fromJSON.push(time(() => modelFromJSON(json, "any")));
    t.fromSafetensors.push(time(() => modelFromSafetensors(bytes, "any")));
  }
  const ms = (v: number[]) => `${median(v).toFixed(2)} ms`;
  console.log(`${architecture.label}: JSON ${json.length.toLocaleString("en-US")} characters, written in ${ms(t.toJSON)}, read in ${ms(t.fromJSON)}; ` +
    `safetensors ${bytes.length.toLocaleString("en-US")} bytes, written in ${ms(t.toSafetensors)}, read in ${ms(t.fromSafetensors)}`);
}
