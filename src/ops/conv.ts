/**
 * Convolution and max pooling on batches of images, one example per column: an example of shape
 * [C, H, W] is a column of C*H*W values (row-major), so a batch is an ordinary (C*H*W) x B matrix.
 *
 * A convolution is im2col plus one matrix product, and its backward pass is the notes' equations
 * with W replaced by the convolution's matrix (see docs/derivation.md, "Convolution"):
 *   forward   Z (F x OH*OW*B) = W (F x C*KH*KW) . im2col(A) (C*KH*KW x OH*OW*B), plus b_f on row f
 *   backward  dE/dW = delta . im2col(A)^T / B,  dE/db_f = sum of row f of delta / B,
 *             dE/dA = col2im(W^T . delta)
 * and Z's memory IS the (F*OH*OW) x B output matrix (row f, column p*B + b), so no data moves.
 *
 * These ops check the buffers' sizes and element types at run time (their shapes come from a layer
 * whose law the compiler checked) and call the kernels; they allocate nothing.
 */
import { gemmKernel } from "../kernels/backend.js";
import type { ConvGeometry, Padding } from "../kernels/conv-geometry.js";
import { convGeometry } from "../kernels/conv-geometry.js";
import {
  addBiasRowsF32, addBiasRowsF64, col2imF32, col2imF64, im2colF32, im2colF64, placeColumnsF32, placeColumnsF64,
  sliceColumnsF32, sliceColumnsF64, sumRowsF32, sumRowsF64,
} from "../kernels/conv.js";
import type { Floats } from "../kernels/elementwise.js";
import { maxPoolBackwardF32, maxPoolBackwardF64, maxPoolForwardF32, maxPoolForwardF64 } from "../kernels/pool.js";
import type { MatrixLike } from "../shape/matrix.js";
import { ShapeError, dtypeMessage, shapeMessage } from "../shape/errors.js";

export type { ConvGeometry, Padding };
export { convGeometry };

/** Throws unless every buffer shares the first one's element type and `m` holds `n` values. */
function checkBuffers(op: string, buffers: readonly (readonly [name: string, m: MatrixLike, n: number])[]): boolean {
  const f32 = buffers[0]![1].data instanceof Float32Array;
  for (const [name, m, n] of buffers) {
    if ((m.data instanceof Float32Array) !== f32) throw new ShapeError(dtypeMessage(op, f32 ? "float32" : "float64", f32 ? "float64" : "float32"));
    if (m.data.length !== n) throw new ShapeError(shapeMessage(op, `${name} of ${n} values`, `${m.data.length}`));
  }
  return f32;
}

/**
 * Examples per im2col and product. The whole batch's im2col matrix is large (conv 16x5x5 on
 * 8x12x12 images, batch 64: 200 x 9,216 numbers, 14.7 MB), so writing it, handing it to the
 * product and reading it back run at memory speed; a few examples at a time stay in the
 * processor's cache. Measured (docs/cli.md, "The CNN job"): 8 examples.
 */
let chunk = 8;

/** Sets the examples per chunk (1 or more; Infinity: the whole batch at once); returns the previous value. For tests and benchmarks. */
export function setConvChunk(examples: number): number {
  if (!(examples >= 1)) throw new RangeError(`setConvChunk expects 1 or more examples, got ${String(examples)}`);
  const previous = chunk;
  chunk = examples;
  return previous;
}

/** Scratch buffers of the chunked passes, made once per (use, length) and element type. */
const scratch64 = new Map<number, Float64Array>(), scratch32 = new Map<number, Float32Array>();
function scratchOf(f32: boolean, use: 0 | 1, length: number): Float64Array | Float32Array {
  const key = length * 2 + use;
  if (f32) {
    let b = scratch32.get(key);
    if (b === undefined) scratch32.set(key, (b = new Float32Array(length)));
    return b;
  }
  let b = scratch64.get(key);
  if (b === undefined) scratch64.set(key, (b = new Float64Array(length)));
  return b;
}

function slice(f32: boolean, m: Floats, rows: number, cols: number, start: number, count: number, out: Floats): void {
  if (f32) sliceColumnsF32(m as Float32Array, rows, cols, start, count, out as Float32Array);
  else sliceColumnsF64(m as Float64Array, rows, cols, start, count, out as Float64Array);
}

function place(f32: boolean, part: Floats, rows: number, count: number, m: Floats, cols: number, start: number): void {
  if (f32) placeColumnsF32(part as Float32Array, rows, count, m as Float32Array, cols, start);
  else placeColumnsF64(part as Float64Array, rows, count, m as Float64Array, cols, start);
}

function im2col(f32: boolean, x: Floats, channels: number, batch: number, g: ConvGeometry, out: Floats): void {
  if (f32) im2colF32(x as Float32Array, channels, batch, g, out as Float32Array);
  else im2colF64(x as Float64Array, channels, batch, g, out as Float64Array);
}

/**
 * z = conv(x) + b: x is (C*H*W) x B, weights F x (C*KH*KW), bias F x 1, z (F*OH*OW) x B, and
 * `columns` the im2col scratch, (C*KH*KW) x (OH*OW*B). Without `bias`, z is W im2col(x) only (the
 * caller adds the bias, fused with its activation: the bias of filter f is added to row f of the
 * F x (OH*OW*B) view of z, the same layout as a dense layer's z).
 *
 * The batch is done in chunks of `chunk` examples: chunk c's columns are sliced out of x, unfolded
 * into its own part of `columns` (so the backward pass finds them there), multiplied, and the
 * chunk's (F*OH*OW) x count result is placed into its columns of z. Each output number is the
 * same sum as in one product over the whole batch.
 */
export function convolve(
  x: MatrixLike, weights: MatrixLike, bias: MatrixLike | null, z: MatrixLike,
  channels: number, batch: number, g: ConvGeometry, columns: Float64Array | Float32Array,
): void {
  const F = weights.rows, K = channels * g.kernelH * g.kernelW, P = g.outH * g.outW, rows = channels * g.height * g.width;
  const f32 = checkBuffers("conv2d", [
    ["x", x, rows * batch], ["weights", weights, F * K], ["z", z, F * P * batch],
    ["the column scratch", { rows: K, cols: P * batch, data: columns }, K * P * batch], ...(bias ? [["bias", bias, F] as const] : []),
  ]);
  if (batch <= chunk) {
    im2col(f32, x.data, channels, batch, g, columns);
    gemmKernel(false, false, F, P * batch, K, weights.data, columns, z.data); // W . im2col(x)
  } else {
    for (let start = 0; start < batch; start += chunk) {
      const count = Math.min(chunk, batch - start);
      const xPart = scratchOf(f32, 0, rows * count), zPart = scratchOf(f32, 1, F * P * count);
      const cols = columns.subarray(K * P * start, K * P * (start + count));
      slice(f32, x.data, rows, batch, start, count, xPart);
      im2col(f32, xPart, channels, count, g, cols);
      gemmKernel(false, false, F, P * count, K, weights.data, cols, zPart);
      place(f32, zPart, F * P, count, z.data, batch, start);
    }
  }
  if (!bias) return;
  if (f32) addBiasRowsF32(z.data as Float32Array, F, P * batch, bias.data as Float32Array, z.data as Float32Array);
  else addBiasRowsF64(z.data as Float64Array, F, P * batch, bias.data as Float64Array, z.data as Float64Array);
}

/**
 * The backward pass of `convolve` after it ran on the same x (so `columns` still holds im2col(x),
 * chunk by chunk): dE/dW = delta im2col(x)^T / B and dE/db = row sums of delta / B (the mean over
 * the batch), and, when `deltaPrevious` is given, col2im(W^T delta) into it (reusing `columns` as
 * scratch). Chunked as `convolve`: dE/dW is accumulated over the chunks.
 */
export function convolveBackward(
  weights: MatrixLike, delta: MatrixLike, gradWeights: MatrixLike, gradBias: MatrixLike, deltaPrevious: MatrixLike | null,
  channels: number, batch: number, g: ConvGeometry, columns: Float64Array | Float32Array,
): void {
  const F = weights.rows, K = channels * g.kernelH * g.kernelW, P = g.outH * g.outW, n = P * batch, rows = channels * g.height * g.width;
  const f32 = checkBuffers("conv2d backward", [
    ["weights", weights, F * K], ["delta", delta, F * n], ["dE/dW", gradWeights, F * K], ["dE/db", gradBias, F],
    ["the column scratch", { rows: K, cols: n, data: columns }, K * n],
    ...(deltaPrevious ? [["delta of the layer before", deltaPrevious, rows * batch] as const] : []),
  ]);
  if (f32) sumRowsF32(delta.data as Float32Array, F, n, gradBias.data as Float32Array, 1 / batch);
  else sumRowsF64(delta.data as Float64Array, F, n, gradBias.data as Float64Array, 1 / batch);
  if (batch <= chunk) {
    gemmKernel(false, true, F, K, n, delta.data, columns, gradWeights.data, false, 1 / batch); // delta . im2col(x)^T / B
    if (!deltaPrevious) return;
    gemmKernel(true, false, K, n, F, weights.data, delta.data, columns); // W^T . delta
    if (f32) col2imF32(columns as Float32Array, channels, batch, g, deltaPrevious.data as Float32Array);
    else col2imF64(columns as Float64Array, channels, batch, g, deltaPrevious.data as Float64Array);
    return;
  }
  for (let start = 0; start < batch; start += chunk) {
    const count = Math.min(chunk, batch - start);
    const deltaPart = scratchOf(f32, 0, F * P * count);
    const cols = columns.subarray(K * P * start, K * P * (start + count));
    slice(f32, delta.data, F * P, batch, start, count, deltaPart);
    gemmKernel(false, true, F, K, P * count, deltaPart, cols, gradWeights.data, start > 0, 1 / batch); // += delta_c . im2col(x_c)^T / B
    if (!deltaPrevious) continue;
    gemmKernel(true, false, K, P * count, F, weights.data, deltaPart, cols); // W^T . delta_c
    const previousPart = scratchOf(f32, 1, rows * count);
    if (f32) col2imF32(cols as Float32Array, channels, count, g, previousPart as Float32Array);
    else col2imF64(cols as Float64Array, channels, count, g, previousPart as Float64Array);
    place(f32, previousPart, rows, count, deltaPrevious.data, batch, start);
  }
}

/** z = max over each window of x (C*H*W x B -> C*OH*OW x B); `argmax` records where each maximum came from. */
export function maxPool(x: MatrixLike, z: MatrixLike, channels: number, batch: number, g: ConvGeometry, argmax: Int32Array): void {
  const f32 = checkBuffers("maxPool2d", [["x", x, channels * g.height * g.width * batch], ["z", z, channels * g.outH * g.outW * batch]]);
  if (f32) maxPoolForwardF32(x.data as Float32Array, channels, batch, g, z.data as Float32Array, argmax);
  else maxPoolForwardF64(x.data as Float64Array, channels, batch, g, z.data as Float64Array, argmax);
}

/** Routes each delta to the input its window's maximum came from (zeros elsewhere). */
export function maxPoolBackward(delta: MatrixLike, deltaPrevious: MatrixLike, channels: number, batch: number, g: ConvGeometry, argmax: Int32Array): void {
  const f32 = checkBuffers("maxPool2d backward", [
    ["delta", delta, channels * g.outH * g.outW * batch], ["delta of the layer before", deltaPrevious, channels * g.height * g.width * batch],
  ]);
  if (f32) maxPoolBackwardF32(delta.data as Float32Array, argmax, channels, batch, g, deltaPrevious.data as Float32Array);
  else maxPoolBackwardF64(delta.data as Float64Array, argmax, channels, batch, g, deltaPrevious.data as Float64Array);
}
