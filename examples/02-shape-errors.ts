/**
 * 02: what a shape error looks like. Each mistake below is marked @ts-expect-error, so this file
 * compiles only while every one of them is a compile error (npm test checks it); remove a marker in
 * an editor to read the message. Run it to see the same words thrown at run time:
 * npx tsx examples/02-shape-errors.ts
 */
import { add, addBias, dense, fromRows, matmul, mlp, predict, relu, reshape, sequential, softmax, zeros } from "../src/index.js";
import { isMain } from "./is-main.js";

function attempt(log: (...args: unknown[]) => void, what: string, run: () => unknown): void {
  try {
    run();
    log(`${what}: no error?`);
  } catch (e) {
    log(`${what}:\n  ${(e as Error).name}: ${(e as Error).message}`);
  }
}

export function main(log: (...args: unknown[]) => void = console.log): void {
  // matmul expects b.rows = a.cols = 4, got 3x4 times 5x5
  // @ts-expect-error the inner dimensions differ
  attempt(log, "matmul of 3x4 and 5x5", () => matmul(zeros(3, 4), zeros(5, 5)));

  // add expects b of shape 3x4 like a, got 3x4 and 4x3
  // @ts-expect-error shapes differ
  attempt(log, "add of 3x4 and 4x3", () => add(zeros(3, 4), zeros(4, 3)));

  // addBias expects a bias of shape 3x1, got 3x64 plus 4x1
  // @ts-expect-error the bias belongs to another layer
  attempt(log, "addBias with a 4x1 bias", () => addBias(zeros(3, 64), zeros(4, 1)));

  // fromRows expects rows of one length, got rows of different lengths
  // @ts-expect-error ragged rows
  attempt(log, "ragged rows", () => fromRows([[1, 2, 3], [4, 5]]));

  // zeros expects sizes that are whole numbers 1 or more, got 0
  // @ts-expect-error not a size
  attempt(log, "a 0x4 matrix", () => zeros(0, 4));

  // reshape expects rows x cols = 784 numbers like 784x1, got 27x29 = 783
  // @ts-expect-error the element count would change
  attempt(log, "reshape 784 numbers to 27x29", () => reshape(zeros(784, 1), 27, 29));

  // sequential layer 3 expects 127 inputs but layer 1 outputs 128
  // @ts-expect-error mis-wired layers
  attempt(log, "a mis-wired model", () => sequential(dense(784, 128), relu(), dense(127, 10), softmax()));

  // predict expects x with 784 rows (one column per example), got 783x32
  // @ts-expect-error inputs of the wrong size
  attempt(log, "inputs with 783 features", () => predict(mlp([784, 128, 10]), zeros(783, 32)));
}

if (isMain(import.meta.url)) main();
