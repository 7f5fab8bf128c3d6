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
  addBiasRowsF32, addBiasRowsF64, col2imF32, col2imF64, im2colF32, im2colF64, im2colRowsF32, im2colRowsF64, sumRowsF32, sumRowsF64,
} from "../kernels/conv.js";
import type { Floats } from "../kernels/elementwise.js";
import { maxPoolBackwardF32, maxPoolBackwardF64, maxPoolForwardF32, maxPoolForwardF64 } from "../kernels/pool.js";
import type { MatrixLike } from "../shape/matrix.js";
import { ShapeError, dtypeMessage, shapeMessage } from "../shape/errors.js";

export type { ConvGeometry, Padding };
export { convGeometry };

/**
 * Throws unless `data` holds `n` values of the element type `f32` says. One call per buffer, not a
 * list of them: a list of [name, matrix, size] tuples cost about 1 KB of garbage per layer and step
 * (measured by test/cnn-allocation.test.ts), and these checks run on every training step.
 */
function expectBuffer(op: string, name: string, data: Float64Array | Float32Array, n: number, f32: boolean): void {
  if ((data instanceof Float32Array) !== f32) throw new ShapeError(dtypeMessage(op, f32 ? "float32" : "float64", f32 ? "float64" : "float32"));
  if (data.length !== n) throw new ShapeError(shapeMessage(op, `${name} of ${n} values`, `${data.length}`));
}

/**
 * The most numbers of im2col matrix made at a time. The whole batch's im2col matrix is large (conv
 * 32x5x5 on 16x12x12 images, batch 64: 400 x 4,096 numbers, 13 MB), so writing it, handing it to
 * the product and reading it back would run at memory speed; a block of a few output rows
 * (1 MB) stays in the processor's cache. Measured in docs/cli.md, "The CNN job".
 */
let blockValues = 1 << 17;

/** Sets the numbers per block (Infinity: the whole batch at once); returns the previous value. For tests and benchmarks. */
export function setConvBlock(values: number): number {
  if (!(values >= 1)) throw new RangeError(`setConvBlock expects 1 or more values, got ${String(values)}`);
  const previous = blockValues;
  blockValues = values;
  return previous;
}

/** Output rows per block: as many as fit in blockValues (at least one). */
const rowsPerBlock = (perRow: number, outH: number) => Math.min(outH, Math.max(1, Math.floor(blockValues / perRow)));

/** A product's result for a block, made once per length and element type. */
const scratch64 = new Map<number, Float64Array>(), scratch32 = new Map<number, Float32Array>();
function scratchOf(f32: boolean, length: number): Float64Array | Float32Array {
  if (f32) {
    let b = scratch32.get(length);
    if (b === undefined) scratch32.set(length, (b = new Float32Array(length)));
    return b;
  }
  let b = scratch64.get(length);
  if (b === undefined) scratch64.set(length, (b = new Float64Array(length)));
  return b;
}

/**
 * The part [start, end) of `columns` as a view, made once per buffer and block: `subarray` makes a
 * new object on every call, and the blocks of a convolution would make tens of them per training
 * step (about 4 KB of garbage per step for the CNN, measured by test/cnn-allocation.test.ts).
 */
const views = new WeakMap<Float64Array | Float32Array, Map<number, Float64Array | Float32Array>>();
function blockOf(columns: Float64Array | Float32Array, start: number, end: number): Float64Array | Float32Array {
  let byStart = views.get(columns);
  if (byStart === undefined) views.set(columns, (byStart = new Map()));
  let view = byStart.get(start);
  if (view === undefined || view.length !== end - start) byStart.set(start, (view = columns.subarray(start, end)));
  return view;
}

/**
 * Copies between a rows x n matrix `part` and the columns from `at` of the rows x cols matrix `m`
 * (`toPart`: m to part, else part to m): each row's columns are contiguous in both, so these are
 * `rows` runs of n values (a block of output rows is such a column range of z and delta).
 */
function copyBlock(part: Floats, m: Floats, rows: number, n: number, cols: number, at: number, toPart: boolean): void {
  for (let r = 0; r < rows; r++) {
    const p = r * n, q = r * cols + at;
    if (toPart) for (let i = 0; i < n; i++) part[p + i] = m[q + i]!;
    else for (let i = 0; i < n; i++) m[q + i] = part[p + i]!;
  }
}

/**
 * z = conv(x) + b: x is (C*H*W) x B, weights F x (C*KH*KW), bias F x 1, z (F*OH*OW) x B, and
 * `columns` the im2col scratch, (C*KH*KW) x (OH*OW*B). Without `bias`, z is W im2col(x) only (the
 * caller adds the bias, fused with its activation: the bias of filter f is added to row f of the
 * F x (OH*OW*B) view of z, the same layout as a dense layer's z).
 *
 * Done in blocks of output rows: the block's im2col columns (its own part of `columns`, where the
 * backward pass finds them), its product, and its F runs of z. Each output is the same sum as in
 * one product over the whole batch.
 */
export function convolve(
  x: MatrixLike, weights: MatrixLike, bias: MatrixLike | null, z: MatrixLike,
  channels: number, batch: number, g: ConvGeometry, columns: Float64Array | Float32Array,
): void {
  const F = weights.rows, K = channels * g.kernelH * g.kernelW, P = g.outH * g.outW, perRow = g.outW * batch;
  const f32 = x.data instanceof Float32Array;
  expectBuffer("conv2d", "x", x.data, channels * g.height * g.width * batch, f32);
  expectBuffer("conv2d", "weights", weights.data, F * K, f32);
  expectBuffer("conv2d", "z", z.data, F * P * batch, f32);
  expectBuffer("conv2d", "the column scratch", columns, K * P * batch, f32);
  if (bias) expectBuffer("conv2d", "bias", bias.data, F, f32);
  const step = rowsPerBlock(K * perRow, g.outH);
  for (let oh = 0; oh < g.outH; oh += step) {
    const end = Math.min(g.outH, oh + step), n = (end - oh) * perRow, whole = n === P * batch;
    const cols = whole ? columns : blockOf(columns, K * oh * perRow, K * end * perRow);
    const zPart = whole ? z.data : scratchOf(f32, F * n);
    if (g.strideW === 1) {
      if (f32) im2colRowsF32(x.data as Float32Array, channels, batch, g, cols as Float32Array, oh, end);
      else im2colRowsF64(x.data as Float64Array, channels, batch, g, cols as Float64Array, oh, end);
    } else if (f32) im2colF32(x.data as Float32Array, channels, batch, g, cols as Float32Array, oh, end);
    else im2colF64(x.data as Float64Array, channels, batch, g, cols as Float64Array, oh, end);
    gemmKernel(false, false, F, n, K, weights.data, cols, zPart); // W . im2col(x), this block's columns
    if (!whole) copyBlock(zPart, z.data, F, n, P * batch, oh * perRow, false);
  }
  if (!bias) return;
  if (f32) addBiasRowsF32(z.data as Float32Array, F, P * batch, bias.data as Float32Array, z.data as Float32Array);
  else addBiasRowsF64(z.data as Float64Array, F, P * batch, bias.data as Float64Array, z.data as Float64Array);
}

/**
 * The backward pass of `convolve` after it ran on the same x (so `columns` still holds im2col(x)):
 * dE/dW = delta im2col(x)^T / B and dE/db = row sums of delta / B (the mean over the batch), and,
 * when `deltaPrevious` is given, col2im(W^T delta) into it (reusing `columns` as scratch). In the
 * blocks of `convolve`: dE/dW is accumulated block by block, col2im adds each block's part.
 */
export function convolveBackward(
  weights: MatrixLike, delta: MatrixLike, gradWeights: MatrixLike, gradBias: MatrixLike, deltaPrevious: MatrixLike | null,
  channels: number, batch: number, g: ConvGeometry, columns: Float64Array | Float32Array,
): void {
  const F = weights.rows, K = channels * g.kernelH * g.kernelW, P = g.outH * g.outW, perRow = g.outW * batch;
  const f32 = weights.data instanceof Float32Array;
  expectBuffer("conv2d backward", "weights", weights.data, F * K, f32);
  expectBuffer("conv2d backward", "delta", delta.data, F * P * batch, f32);
  expectBuffer("conv2d backward", "dE/dW", gradWeights.data, F * K, f32);
  expectBuffer("conv2d backward", "dE/db", gradBias.data, F, f32);
  expectBuffer("conv2d backward", "the column scratch", columns, K * P * batch, f32);
  if (deltaPrevious) expectBuffer("conv2d backward", "delta of the layer before", deltaPrevious.data, channels * g.height * g.width * batch, f32);
  if (f32) sumRowsF32(delta.data as Float32Array, F, P * batch, gradBias.data as Float32Array, 1 / batch);
  else sumRowsF64(delta.data as Float64Array, F, P * batch, gradBias.data as Float64Array, 1 / batch);
  if (deltaPrevious) deltaPrevious.data.fill(0);
  const step = rowsPerBlock(K * perRow, g.outH);
  for (let oh = 0; oh < g.outH; oh += step) {
    const end = Math.min(g.outH, oh + step), n = (end - oh) * perRow, whole = n === P * batch;
    const cols = whole ? columns : blockOf(columns, K * oh * perRow, K * end * perRow);
    const deltaPart = whole ? delta.data : scratchOf(f32, F * n);
    if (!whole) copyBlock(deltaPart, delta.data, F, n, P * batch, oh * perRow, true);
    gemmKernel(false, true, F, K, n, deltaPart, cols, gradWeights.data, oh > 0, 1 / batch); // (+)= delta . im2col(x)^T / B
    if (!deltaPrevious) continue;
    gemmKernel(true, false, K, n, F, weights.data, deltaPart, cols); // W^T . delta, this block's columns
    if (f32) col2imF32(cols as Float32Array, channels, batch, g, deltaPrevious.data as Float32Array, true, oh, end);
    else col2imF64(cols as Float64Array, channels, batch, g, deltaPrevious.data as Float64Array, true, oh, end);
  }
}

/** z = max over each window of x (C*H*W x B -> C*OH*OW x B); `argmax` records where each maximum came from. */
export function maxPool(x: MatrixLike, z: MatrixLike, channels: number, batch: number, g: ConvGeometry, argmax: Int32Array): void {
  const f32 = x.data instanceof Float32Array;
  expectBuffer("maxPool2d", "x", x.data, channels * g.height * g.width * batch, f32);
  expectBuffer("maxPool2d", "z", z.data, channels * g.outH * g.outW * batch, f32);
  if (f32) maxPoolForwardF32(x.data as Float32Array, channels, batch, g, z.data as Float32Array, argmax);
  else maxPoolForwardF64(x.data as Float64Array, channels, batch, g, z.data as Float64Array, argmax);
}

/** Routes each delta to the input its window's maximum came from (zeros elsewhere). */
export function maxPoolBackward(delta: MatrixLike, deltaPrevious: MatrixLike, channels: number, batch: number, g: ConvGeometry, argmax: Int32Array): void {
  const f32 = delta.data instanceof Float32Array;
  expectBuffer("maxPool2d backward", "delta", delta.data, channels * g.outH * g.outW * batch, f32);
  expectBuffer("maxPool2d backward", "delta of the layer before", deltaPrevious.data, channels * g.height * g.width * batch, f32);
  if (f32) maxPoolBackwardF32(delta.data as Float32Array, argmax, channels, batch, g, deltaPrevious.data as Float32Array);
  else maxPoolBackwardF64(delta.data as Float64Array, argmax, channels, batch, g, deltaPrevious.data as Float64Array);
}
