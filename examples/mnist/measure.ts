/**
 * Test loss, accuracy and predicted digits, in slices of a fixed number of digits through
 * `predict`, which keeps one inference workspace per network and batch size: after the first
 * epoch, measuring allocates nothing. (fit's own validation builds new buffers for batches of 256
 * at every call, and `predict` on all 2,000 test digits at once would hold a workspace of 2,000
 * examples: for the CNN, hundreds of MB; see docs/cli.md, "Measurements".)
 */
import { fromArray, labelsOf, predict, type Dataset, type DType, type Dyn, type Matrix } from "../../src/index.js";
import type { AnyDigitNet } from "./model.js";

/** Digits per slice: small enough that a CNN's workspace stays small, large enough that the products run well. */
export const MEASURE_BATCH = 100;

/** What a measurement gives. */
export interface Measured {
  /** Mean cross-entropy, -log of the probability given to the true digit. */
  readonly loss: number;
  readonly accuracy: number;
  /** Each test digit's most probable class. */
  readonly predicted: Int32Array;
}

/** The input and output buffers of one slice size, in the network's element type. */
interface Slice {
  readonly count: number;
  readonly x64: Matrix<784, Dyn> | null;
  readonly x32: Matrix<784, Dyn, "float32"> | null;
  readonly p64: Matrix<10, Dyn> | null;
  readonly p32: Matrix<10, Dyn, "float32"> | null;
}

function sliceOf(net: AnyDigitNet, count: number): Slice {
  const f32 = net.dtype === "float32";
  return {
    count,
    x64: f32 ? null : fromArray(new Float64Array(784 * count), 784, count),
    x32: f32 ? fromArray(new Float32Array(784 * count), 784, count) : null,
    p64: f32 ? null : fromArray(new Float64Array(10 * count), 10, count),
    p32: f32 ? fromArray(new Float32Array(10 * count), 10, count) : null,
  };
}

/** Runs the slice's digits (already copied into its input) through the network; returns the probabilities (10 x count). */
function run(net: AnyDigitNet, s: Slice): Float64Array | Float32Array {
  if (net.dtype === "float64" && s.x64 && s.p64) return predict(net, s.x64, s.p64).data;
  if (net.dtype === "float32" && s.x32 && s.p32) return predict(net, s.x32, s.p32).data;
  throw new Error(`measure: a ${net.dtype} network with buffers of another element type`);
}

/** A measurer of `net` on `test`: `measure()` after each epoch, and for the final report. */
export function testMeasurer<D extends DType>(net: AnyDigitNet, test: Dataset<784, 10, Dyn, D>, batch = MEASURE_BATCH): { measure(): Measured } {
  const m = test.inputs.cols, size = Math.min(batch, m);
  const x = test.inputs.data, truth = labelsOf(test);
  const full = sliceOf(net, size), rest = m % size === 0 ? null : sliceOf(net, m % size);
  const predicted = new Int32Array(m);
  return {
    measure() {
      let loss = 0, correct = 0;
      for (let start = 0; start < m; start += size) {
        const s = start + size <= m ? full : rest!;
        const input = (s.x64 ?? s.x32)!.data, count = s.count;
        for (let i = 0; i < 784; i++) for (let b = 0; b < count; b++) input[i * count + b] = x[i * m + start + b]!;
        const p = run(net, s);
        for (let b = 0; b < count; b++) {
          let best = 0;
          for (let k = 1; k < 10; k++) if (p[k * count + b]! > p[best * count + b]!) best = k;
          predicted[start + b] = best;
          const t = truth[start + b]!;
          if (best === t) correct++;
          loss -= Math.log(p[t * count + b]!);
        }
      }
      return { loss: loss / m, accuracy: correct / m, predicted };
    },
  };
}
