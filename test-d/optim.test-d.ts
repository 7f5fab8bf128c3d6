/** Optimizers: a step takes the gradients of its own network's shape only. */
import { expectError, expectType } from "tsd";
import { adam, lossAndGradients, mlp, momentum, sgd, zeros, type Optimizer, type Gradients } from "../src/index.js";

const net = mlp([4, 8, 3], { seed: 1 });
const other = mlp([4, 9, 3], { seed: 1 });
const { gradients } = lossAndGradients(net, zeros(4, 2), zeros(3, 2));
const otherGradients = lossAndGradients(other, zeros(4, 2), zeros(3, 2)).gradients;

for (const opt of [sgd({ learningRate: 0.1 }), momentum({ learningRate: 0.1, beta: 0.9 }), adam({ learningRate: 1e-3 })]) {
  expectType<Optimizer>(opt);
  expectType<void>(opt.step(net, gradients));
  expectError(opt.step(net, otherGradients));
  expectError(opt.step(other, gradients));
}
expectType<Gradients<[4, 8, 3]>>(gradients);
expectError(sgd({}));
expectError(sgd({ learningRate: "0.1" }));
expectError(momentum({ learningRate: 0.1, beta: "0.9" }));
expectError(adam({ learningRate: 0.1, beta3: 0.9 }));
expectType<Optimizer>(adam());
