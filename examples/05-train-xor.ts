/**
 * 05: fit a network to XOR, the classic problem no linear model solves, with each optimizer.
 * Run: npx tsx examples/05-train-xor.ts
 */
import { adam, dataset, evaluate, fit, mlp, momentum, predict, sgd, toRows, transpose, fromRows } from "../src/index.js";
import { isMain } from "./is-main.js";

export function main(log: (...args: unknown[]) => void = console.log): number[] {
  const xor = dataset([[0, 0], [0, 1], [1, 0], [1, 1]], [0, 1, 1, 0], { features: 2, classes: 2 }); // Dataset<2, 2, Dyn>
  const accuracies: number[] = [];
  for (const optimizer of [sgd({ learningRate: 0.5 }), momentum({ learningRate: 0.1, beta: 0.9 }), adam({ learningRate: 0.02 })]) {
    const net = mlp([2, 8, 2], { seed: 1 });
    const history = fit(net, xor, { epochs: 300, batchSize: 4, optimizer });
    const { accuracy } = evaluate(net, xor);
    accuracies.push(accuracy);
    const p = predict(net, transpose(fromRows([[0, 0], [0, 1], [1, 0], [1, 1]])));
    const ones = toRows(p)[1]!.map((v) => v.toFixed(3)).join(" ");
    log(`${optimizer.name.padEnd(8)} loss ${history.loss.at(-1)!.toExponential(2)}  accuracy ${(100 * accuracy).toFixed(0)}%  P(class 1) for 00 01 10 11: ${ones}`);
  }
  return accuracies;
}

if (isMain(import.meta.url)) main();
