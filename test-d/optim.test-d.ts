/** Optimizers: a step takes the gradients of its own network's shape only. */
import { expectError, expectType } from "tsd";
import { adam, forgetSizes, lossAndGradients, mlp, momentum, sgd, widen, zeros, type AnyNetwork, type GradientsArg, type Optimizer, type Gradients, type Mlp, type ParamsOf, type ShapeError } from "../src/index.js";

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

// A union of two networks: the gradients of one are refused (the union may be the other at run time).
declare const flag: boolean;
const either = flag ? net : other;
expectError(sgd({ learningRate: 0.1 }).step(either, gradients));
// A network whose sizes were forgotten takes gradients of its own (Dyn) type.
const dyn = forgetSizes(net);
expectType<void>(adam().step(dyn, lossAndGradients(dyn, widen(zeros(4, 2)), widen(zeros(3, 2))).gradients));
expectError(adam().step(dyn, gradients));
expectError(adam().step(net, lossAndGradients(dyn, widen(zeros(4, 2)), widen(zeros(3, 2))).gradients));
// Element types: a float32 network's gradients are float32 matrices.
const f32 = mlp([4, 8, 3], { dtype: "float32" });
expectError(sgd({ learningRate: 0.1 }).step(f32, gradients));
expectType<void>(sgd({ learningRate: 0.1 }).step(f32, lossAndGradients(f32, zeros(4, 2, "float32"), zeros(3, 2, "float32")).gradients));
expectType<typeof gradients>({} as GradientsArg<Mlp<[4, 8, 3]>, ParamsOf<Mlp<[4, 8, 3]>>>);
expectType<ShapeError<"step expects gradients shaped like this network's parameters (from lossAndGradients on it), got those of another network">>({} as GradientsArg<Mlp<[4, 8, 3]>, typeof otherGradients>);
function generic<N extends AnyNetwork>(n: N, g: ParamsOf<N>) {
  expectType<void>(adam().step(n, g));
}
void generic;
