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
 * stored one example per row (n x features): contiguous reads, one strided write per number.
 */
export function gatherExamples(examples: Floats, features: number, order: ArrayLike<number>, start: number, count: number, out: Floats): void {
  for (let b = 0; b < count; b++) {
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
