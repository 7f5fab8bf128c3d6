/**
 * --augment: every training digit shifted by a whole number of pixels, up to 2 each way in x and
 * in y (25 shifts, uniformly), drawn anew each epoch from the run's seed and the epoch number (so a
 * resumed run draws the same shifts). Pixels shifted in from outside the image are 0 (no ink).
 */
import { rng, zeros, type Dataset, type DType, type Dyn } from "../../src/index.js";

export const MAX_SHIFT = 2;
const SIDE = 28;

/** A dataset whose inputs are rewritten in place by `shift(epoch)`; the targets are the original's. */
export interface Shifter<D extends DType = "float64"> {
  readonly data: Dataset<784, 10, Dyn, D>;
  shift(epoch: number): void;
}

/** The shifts of epoch `epoch`: dx and dy of each digit, in -MAX_SHIFT..MAX_SHIFT. */
export function shiftsOf(seed: number, epoch: number, n: number): { dx: Int8Array; dy: Int8Array } {
  // One generator per epoch, seeded from both numbers: epochs differ, and any epoch can be redrawn alone.
  const r = rng(seed * 100_003 + epoch);
  const dx = new Int8Array(n), dy = new Int8Array(n);
  for (let j = 0; j < n; j++) {
    dx[j] = r.int(2 * MAX_SHIFT + 1) - MAX_SHIFT;
    dy[j] = r.int(2 * MAX_SHIFT + 1) - MAX_SHIFT;
  }
  return { dx, dy };
}

/**
 * out = the digits of `x` (784 x n, one digit per column) shifted by (dx[j], dy[j]): out pixel
 * (y, x) of digit j is x's pixel (y - dy, x - dx), or 0 outside. Row by row of the matrix, so
 * reads and writes run along the n digits of one pixel.
 */
export function shiftDigits(x: Float64Array | Float32Array, n: number, dx: Int8Array, dy: Int8Array, out: Float64Array | Float32Array): void {
  for (let y = 0; y < SIDE; y++) {
    for (let px = 0; px < SIDE; px++) {
      const row = (y * SIDE + px) * n;
      for (let j = 0; j < n; j++) {
        const sy = y - dy[j]!, sx = px - dx[j]!;
        out[row + j] = sy >= 0 && sy < SIDE && sx >= 0 && sx < SIDE ? x[(sy * SIDE + sx) * n + j]! : 0;
      }
    }
  }
}

/** A shifter over `train`: one extra copy of its inputs, rewritten each epoch. */
export function shifter<D extends DType>(train: Dataset<784, 10, Dyn, D>, seed: number): Shifter<D> {
  const n = train.inputs.cols, source = train.inputs.data;
  const inputs = zeros(784, n, train.inputs.dtype), buffer = inputs.data;
  const data = { inputs, targets: train.targets };
  return {
    data,
    shift(epoch) {
      const { dx, dy } = shiftsOf(seed, epoch, n);
      shiftDigits(source, n, dx, dy, buffer);
    },
  };
}
