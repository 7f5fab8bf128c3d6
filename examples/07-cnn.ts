/**
 * 07: a convolutional network whose every shape the compiler computes. The model definition below
 * is checked argument by argument; hover `net` in an editor to see each layer's [channels, height,
 * width]. Each mistake further down is marked @ts-expect-error, so this file compiles only while
 * every one of them is a compile error (npm test checks it); the comment above each is the
 * compiler's message, and running the file shows the same words thrown at run time. Then the network
 * trains on real digits for a moment: npx tsx examples/07-cnn.ts
 */
import {
  adam, conv2d, dense, evaluate, fit, flatten, input, maxPool2d, relu, sequential, softmax, split, summary,
} from "../src/index.js";
import { loadMnist } from "./mnist/load.js";
import { isMain } from "./is-main.js";

/** The CNN. An example is a column of 784 values, read as 1 channel of 28 x 28. */
export function makeNet() {
  return sequential(
    input(1, 28, 28), //                          [1, 28, 28]
    conv2d(8, 5), relu(), //                      [8, 24, 24]   8 filters 5x5: (28 - 5) / 1 + 1 = 24
    maxPool2d(2), //                              [8, 12, 12]
    conv2d(16, 5, { padding: "same" }), relu(), // [16, 12, 12]  "same": ceil(12 / 1) = 12
    maxPool2d(2), //                              [16, 6, 6]
    flatten(), //                                 [576]
    dense(10), softmax(), //                      [10]          dense(10) takes its 576 inputs from flatten
  );
}

// The shapes the compiler computed: these lines compile only because they are exactly these.
const net = makeNet();
export const shapes: readonly [[1, 28, 28], [8, 24, 24], [8, 12, 12], [16, 12, 12], [16, 6, 6], [576], [10]] = net.shapes;
export const weightShapes: readonly [[8, 25], null, [16, 200], null, null, [10, 576]] = [
  net.layers[0].weightShape, net.layers[1].weightShape, net.layers[2].weightShape,
  net.layers[3].weightShape, net.layers[4].weightShape, net.layers[5].weightShape,
];
// A 3x5 kernel, stride [2, 1], padding 1: floor((28 + 2 - 3) / 2) + 1 = 14 rows, (28 + 2 - 5) / 1 + 1 = 26 columns.
export const rectangular: readonly [[1, 28, 28], [4, 14, 26]] = sequential(input(1, 28, 28), conv2d(4, [3, 5], { stride: [2, 1], padding: 1 })).shapes;

function attempt(log: (...args: unknown[]) => void, what: string, run: () => unknown): void {
  try {
    run();
    log(`${what}: no error?`);
  } catch (e) {
    log(`${what}:\n  ${(e as Error).name}: ${(e as Error).message}`);
  }
}

/** The mistakes: each a compile error (the comment above it is the message) and the same error at run time. */
export function mistakes(log: (...args: unknown[]) => void = console.log): void {
  // sequential layer 8 conv2d expects a kernel no larger than its input 4x4, got 5x5
  attempt(log, "a third 5x5 conv without padding", () => sequential(
    input(1, 28, 28), conv2d(8, 5), relu(), maxPool2d(2), conv2d(16, 5), relu(), maxPool2d(2),
    // @ts-expect-error the kernel is larger than the 4x4 image it gets
    conv2d(32, 5), relu(), flatten(), dense(10), softmax(),
  ));

  // sequential layer 2 conv2d expects a kernel no larger than its input 5x5 (padded by 1), got 6x6
  // @ts-expect-error padding counts: 3 + 2*1 = 5 rows, still smaller than the kernel
  attempt(log, "a 6x6 kernel on a 3x3 image padded by 1", () => sequential(input(1, 3, 3), conv2d(8, 6, { padding: 1 }), relu(), flatten(), dense(10), softmax()));

  // sequential layer 9 expects 575 inputs but layer 8 outputs 576
  attempt(log, "dense(575, 10) after a flatten of 576", () => sequential(
    input(1, 28, 28), conv2d(8, 5), relu(), maxPool2d(2), conv2d(16, 5, { padding: "same" }), relu(), maxPool2d(2), flatten(),
    // @ts-expect-error 16 x 6 x 6 = 576 values come out of flatten
    dense(575, 10), softmax(),
  ));

  // sequential layer 3 conv2d expects an image input [channels, height, width], but layer 2 outputs 784
  // @ts-expect-error after flatten there is no image left to convolve
  attempt(log, "a conv after flatten", () => sequential(input(1, 28, 28), flatten(), conv2d(8, 5), relu(), dense(10), softmax()));

  // sequential layer 4 dense expects a flat input (put flatten() before it), but layer 2 outputs 8x24x24
  // @ts-expect-error a dense layer needs flatten() first
  attempt(log, "a dense layer on an image", () => sequential(input(1, 28, 28), conv2d(8, 5), relu(), dense(10), softmax()));

  // sequential layer 8 maxPool2d expects a window no larger than its input 4x4, got 5x5
  attempt(log, "a 5x5 pool on a 4x4 image", () => sequential(
    input(1, 28, 28), conv2d(8, 5), relu(), maxPool2d(2), conv2d(16, 5), relu(), maxPool2d(2),
    // @ts-expect-error the window does not fit
    maxPool2d(5), flatten(), dense(10), softmax(),
  ));
}

/** A short training run on real digits; returns the test accuracy. */
export function main(log: (...args: unknown[]) => void = console.log, perClass = 150, epochs = 3): number {
  mistakes(log);
  const digits = loadMnist(perClass); //                            Dataset<784, 10, Dyn>: 784 = 1 x 28 x 28
  const { train, test } = split(digits, { testFraction: 0.2, seed: 1 });
  const cnn = makeNet();
  log(summary(cnn).table);
  fit(cnn, train, {
    epochs, batchSize: 32, optimizer: adam({ learningRate: 2e-3 }), validation: test, seed: 1,
    onEpochEnd: (e) => log(`epoch ${e.epoch}: loss ${e.loss.toFixed(4)}, test accuracy ${(100 * e.validationAccuracy!).toFixed(2)}%`),
  });
  const { accuracy } = evaluate(cnn, test);
  log(`test accuracy: ${(100 * accuracy).toFixed(2)}% on ${test.inputs.cols} digits`);
  return accuracy;
}

if (isMain(import.meta.url)) main();
