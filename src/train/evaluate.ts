/** `evaluate(net, data)`: mean loss and accuracy over a dataset (float64 or float32), in batches. */
import type { DType } from "../shape/matrix.js";
import type { AnyNetwork } from "../nn/network.js";
import type { InputSizeOf, OutputSizeOf } from "../nn/api.js";
import type { Floats } from "../kernels/elementwise.js";
import { forwardInto, lossInto } from "../nn/engine.js";
import type { Dataset } from "../data/dataset.js";
import { checkDatasetOfEitherDType } from "../data/dataset.js";
import type { BatchBuffers } from "./batches.js";
import { batchBuffers, countCorrect, releaseBatchBuffers } from "./batches.js";

/** Loss and accuracy of a network on a dataset. */
export interface Evaluation {
  /** Mean loss per example. */
  readonly loss: number;
  /** Share of examples whose largest output is at their target's class, in [0, 1]. */
  readonly accuracy: number;
}

/** `evaluate(net, test)`: forward passes only; the parameters are not changed. */
export function evaluate<Net extends AnyNetwork, N extends number, D extends DType = "float64">(
  net: Net, data: Dataset<InputSizeOf<Net>, OutputSizeOf<Net>, N, D>, options: { readonly batchSize?: number } = {},
): Evaluation {
  const sizes = net.sizes;
  const { inputs, targets } = checkDatasetOfEitherDType("evaluate", data, sizes[0]!, sizes[sizes.length - 1]!);
  const cache = new Map<number, BatchBuffers>();
  try {
    return evaluateChecked(net, inputs.data, targets.data, inputs.cols, options.batchSize ?? 256, cache);
  } finally {
    releaseBatchBuffers(cache);
  }
}

/** evaluate on already checked data (fit reuses its buffers between epochs). */
export function evaluateChecked(
  net: AnyNetwork, x: Floats, t: Floats, n: number, batchSize: number, cache: Map<number, BatchBuffers>,
): Evaluation {
  const sizes = net.sizes;
  const features = sizes[0]!, classes = sizes[sizes.length - 1]!;
  let loss = 0, correct = 0;
  for (let start = 0; start < n; start += batchSize) {
    const count = Math.min(batchSize, n - start);
    const b = batchBuffers(net, cache, count, false);
    copyColumns(x, features, n, start, count, b.inputs.data);
    copyColumns(t, classes, n, start, count, b.targets.data);
    forwardInto(net, b.inputs, b.ws);
    lossInto(net, b.targets, b.ws);
    loss += b.ws.result.loss * count;
    correct += countCorrect(b.ws.a[sizes.length - 1]!.data, b.targets.data, classes, count);
  }
  return { loss: loss / n, accuracy: correct / n };
}

/** out (rows x count) = columns start..start+count of src (rows x n): one contiguous copy per row. */
function copyColumns(src: Floats, rows: number, n: number, start: number, count: number, out: Floats): void {
  for (let i = 0; i < rows; i++) out.set(src.subarray(i * n + start, i * n + start + count), i * count);
}
