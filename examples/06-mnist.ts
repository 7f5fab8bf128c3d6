/**
 * 06: real digits. The full job is `npm run train` (examples/mnist/); this is its core in a few
 * lines, on a quarter of the digits so that it runs in seconds: npx tsx examples/06-mnist.ts
 */
import { adam, evaluate, fit, mlp, split, summary } from "../src/index.js";
import { loadMnist } from "./mnist/load.js";
import { isMain } from "./is-main.js";

export function main(log: (...args: unknown[]) => void = console.log, perClass = 250, epochs = 5): number {
  const digits = loadMnist(perClass); //                           Dataset<784, 10, Dyn>
  const { train, test } = split(digits, { testFraction: 0.2, seed: 1 });
  const net = mlp([784, 128, 10], { seed: 1 }); //                  Mlp<[784, 128, 10]>
  log(summary(net).table);
  fit(net, train, {
    epochs, batchSize: 64, optimizer: adam({ learningRate: 1e-3 }), validation: test, seed: 1,
    onEpochEnd: (e) => log(`epoch ${e.epoch}: loss ${e.loss.toFixed(4)}, test accuracy ${(100 * e.validationAccuracy!).toFixed(2)}%`),
  });
  const { accuracy } = evaluate(net, test);
  log(`test accuracy: ${(100 * accuracy).toFixed(2)}% on ${test.inputs.cols} digits`);
  return accuracy;
}

if (isMain(import.meta.url)) main();
