/**
 * Batch buffers for training and evaluation: one workspace and one pair of input/target matrices
 * per batch size, filled from the dataset without allocating.
 */
import type { MatrixLike } from "../shape/matrix.js";
import { makeMatrix } from "../shape/matrix.js";
import { longLived, releaseArrays } from "../ops/memory.js";
import type { AnyNetwork } from "../nn/network.js";
import type { WorkspaceView } from "../nn/workspace.js";
import { createBuffers, releaseBuffers } from "../nn/workspace.js";
import type { Floats } from "../kernels/elementwise.js";

/** A workspace with its input and target buffers for batches of one size. */
export interface BatchBuffers {
  readonly size: number;
  readonly inputs: MatrixLike;
  readonly targets: MatrixLike;
  readonly ws: WorkspaceView;
}

/** Returns the buffers for batches of `size`, creating them once per size. */
export function batchBuffers(net: AnyNetwork, cache: Map<number, BatchBuffers>, size: number, training = true): BatchBuffers {
  let b = cache.get(size);
  if (!b) {
    const { sizes, dtype } = net;
    const n = sizes[0]!, k = sizes[sizes.length - 1]!;
    b = {
      size,
      inputs: makeMatrix(n, size, dtype, longLived(dtype, n * size)),
      targets: makeMatrix(k, size, dtype, longLived(dtype, k * size)),
      ws: createBuffers(net, size, training),
    };
    cache.set(size, b);
  }
  return b;
}

/** Gives every buffer of the cache back to the kernel heap and empties it (see releaseBuffers). */
export function releaseBatchBuffers(cache: Map<number, BatchBuffers>): void {
  for (const b of cache.values()) {
    releaseBuffers(b.ws);
    releaseArrays([b.inputs.data, b.targets.data]);
  }
  cache.clear();
}

/**
 * Fills `out` (features x count) with the examples order[start..start+count) from `examples`,
 * stored one example per row (n x features). Eight examples at a time: each step reads eight
 * contiguous rows and writes eight neighbouring values of one row of `out` (a cache line in
 * float64), where one example at a time wrote one value per line; measured 2.3x faster for a batch
 * of 64 MNIST digits (93 -> 40 us, float32 images into float64 columns).
 */
export function gatherExamples(examples: Floats, features: number, order: ArrayLike<number>, start: number, count: number, out: Floats): void {
  let b = 0;
  for (; b + 8 <= count; b += 8) {
    const at = start + b;
    const r0 = order[at]! * features, r1 = order[at + 1]! * features, r2 = order[at + 2]! * features, r3 = order[at + 3]! * features;
    const r4 = order[at + 4]! * features, r5 = order[at + 5]! * features, r6 = order[at + 6]! * features, r7 = order[at + 7]! * features;
    for (let i = 0, o = b; i < features; i++, o += count) {
      out[o] = examples[r0 + i]!; out[o + 1] = examples[r1 + i]!; out[o + 2] = examples[r2 + i]!; out[o + 3] = examples[r3 + i]!;
      out[o + 4] = examples[r4 + i]!; out[o + 5] = examples[r5 + i]!; out[o + 6] = examples[r6 + i]!; out[o + 7] = examples[r7 + i]!;
    }
  }
  for (; b < count; b++) {
    const row = order[start + b]! * features;
    for (let i = 0; i < features; i++) out[i * count + b] = examples[row + i]!;
  }
}

/** Counts the columns where a^L and the targets have their largest entry in the same row. */
export function countCorrect(output: Floats, targets: Floats, rows: number, cols: number): number {
  let correct = 0;
  for (let j = 0; j < cols; j++) {
    let best = 0, bestValue = output[j]!, truth = 0, truthValue = targets[j]!;
    for (let i = 1; i < rows; i++) {
      const o = output[i * cols + j]!, t = targets[i * cols + j]!;
      if (o > bestValue) { bestValue = o; best = i; }
      if (t > truthValue) { truthValue = t; truth = i; }
    }
    if (best === truth) correct++;
  }
  return correct;
}
