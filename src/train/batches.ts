/**
 * Batch buffers for training and evaluation: one workspace and one pair of input/target matrices
 * per batch size, filled from the dataset without allocating.
 */
import type { AnyMatrix } from "../shape/matrix.js";
import { widen, zeros } from "../ops/create.js";
import type { Mlp } from "../nn/network.js";
import type { Sizes } from "../nn/types.js";
import type { WorkspaceView } from "../nn/workspace.js";
import { createWorkspace, viewOf } from "../nn/workspace.js";

/** A workspace with its input and target buffers for batches of one size. */
export interface BatchBuffers {
  readonly size: number;
  readonly inputs: AnyMatrix;
  readonly targets: AnyMatrix;
  readonly ws: WorkspaceView;
}

/** Returns the buffers for batches of `size`, creating them once per size. */
export function batchBuffers<S extends Sizes>(net: Mlp<S>, cache: Map<number, BatchBuffers>, size: number): BatchBuffers {
  let b = cache.get(size);
  if (!b) {
    const sizes = net.sizes;
    b = {
      size,
      inputs: widen(zeros(sizes[0]!, size)),
      targets: widen(zeros(sizes[sizes.length - 1]!, size)),
      ws: viewOf(createWorkspace(net, size)),
    };
    cache.set(size, b);
  }
  return b;
}

/**
 * Fills `out` (features x count) with the examples order[start..start+count) from `examples`,
 * stored one example per row (n x features): contiguous reads, one strided write per number.
 */
export function gatherExamples(examples: Float64Array, features: number, order: ArrayLike<number>, start: number, count: number, out: Float64Array): void {
  for (let b = 0; b < count; b++) {
    const row = order[start + b]! * features;
    for (let i = 0; i < features; i++) out[i * count + b] = examples[row + i]!;
  }
}

/** Counts the columns where a^L and the targets have their largest entry in the same row. */
export function countCorrect(output: Float64Array, targets: Float64Array, rows: number, cols: number): number {
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
