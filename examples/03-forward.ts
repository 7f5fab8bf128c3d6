/**
 * 03: the forward pass of the notes' network, z^l = W^l a^(l-1) + b^l and a^l = f(z^l), with
 * ReLU in the hidden layer and softmax at the output. Run: npx tsx examples/03-forward.ts
 */
import { forward, fromRows, mlp, toRows, transpose } from "../src/index.js";
import { isMain } from "./is-main.js";

const show = (m: { rows: number; cols: number; data: Float64Array }) =>
  toRows(m as never).map((r) => r.map((v: number) => v.toFixed(3)).join(" ")).join(" | ");

export function main(log: (...args: unknown[]) => void = console.log): void {
  const net = mlp([3, 4, 2], { seed: 1 }); //                  Mlp<[3, 4, 2]>
  const x = transpose(fromRows([[1, 0, -1], [0.5, 0.5, 0.5]])); // Matrix<3, 2>: two examples as columns
  const pass = forward(net, x); //                             ForwardPass<[3, 4, 2], 2>
  log("a^0 = x        ", show(pass.a[0])); //                  Matrix<3, 2>
  log("z^1 = W^1 a^0 + b^1", show(pass.z[1])); //              Matrix<4, 2>
  log("a^1 = relu(z^1)", show(pass.a[1]));
  log("z^2 = W^2 a^1 + b^2", show(pass.z[2])); //              Matrix<2, 2>
  log("a^2 = softmax(z^2)", show(pass.a[2]), "(each column sums to 1)");
}

if (isMain(import.meta.url)) main();
