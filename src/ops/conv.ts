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
  addBiasRowsF32, addBiasRowsF64, col2imF32, col2imF64, im2colF32, im2colF64, sumRowsF32, sumRowsF64,
} from "../kernels/conv.js";
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
 * z = conv(x) + b: x is (C*H*W) x B, weights F x (C*KH*KW), bias F x 1, z (F*OH*OW) x B, and
 * `columns` the im2col scratch, (C*KH*KW) x (OH*OW*B). Without `bias`, z is W im2col(x) only (the
 * caller adds the bias, fused with its activation: the bias of filter f is added to row f of the
 * F x (OH*OW*B) view of z, the same layout as a dense layer's z).
 */
export function convolve(
  x: MatrixLike, weights: MatrixLike, bias: MatrixLike | null, z: MatrixLike,
  channels: number, batch: number, g: ConvGeometry, columns: Float64Array | Float32Array,
): void {
  const F = weights.rows, K = channels * g.kernelH * g.kernelW, P = g.outH * g.outW;
  const f32 = checkBuffers("conv2d", [
    ["x", x, channels * g.height * g.width * batch], ["weights", weights, F * K], ["z", z, F * P * batch],
    ["the column scratch", { rows: K, cols: P * batch, data: columns }, K * P * batch], ...(bias ? [["bias", bias, F] as const] : []),
  ]);
  if (f32) im2colF32(x.data as Float32Array, channels, batch, g, columns as Float32Array);
  else im2colF64(x.data as Float64Array, channels, batch, g, columns as Float64Array);
  gemmKernel(false, false, F, P * batch, K, weights.data, columns, z.data); // W . im2col(x)
  if (!bias) return;
  if (f32) addBiasRowsF32(z.data as Float32Array, F, P * batch, bias.data as Float32Array, z.data as Float32Array);
  else addBiasRowsF64(z.data as Float64Array, F, P * batch, bias.data as Float64Array, z.data as Float64Array);
}

/**
 * The backward pass of `convolve` after it ran on the same x (so `columns` still holds im2col(x)):
 * dE/dW = delta im2col(x)^T / B and dE/db = row sums of delta / B (the mean over the batch), and,
 * when `deltaPrevious` is given, col2im(W^T delta) into it (reusing `columns` as scratch).
 */
export function convolveBackward(
  weights: MatrixLike, delta: MatrixLike, gradWeights: MatrixLike, gradBias: MatrixLike, deltaPrevious: MatrixLike | null,
  channels: number, batch: number, g: ConvGeometry, columns: Float64Array | Float32Array,
): void {
  const F = weights.rows, K = channels * g.kernelH * g.kernelW, n = g.outH * g.outW * batch;
  const f32 = checkBuffers("conv2d backward", [
    ["weights", weights, F * K], ["delta", delta, F * n], ["dE/dW", gradWeights, F * K], ["dE/db", gradBias, F],
    ["the column scratch", { rows: K, cols: n, data: columns }, K * n],
    ...(deltaPrevious ? [["delta of the layer before", deltaPrevious, channels * g.height * g.width * batch] as const] : []),
  ]);
  gemmKernel(false, true, F, K, n, delta.data, columns, gradWeights.data, false, 1 / batch); // delta . im2col(x)^T / B
  if (f32) sumRowsF32(delta.data as Float32Array, F, n, gradBias.data as Float32Array, 1 / batch);
  else sumRowsF64(delta.data as Float64Array, F, n, gradBias.data as Float64Array, 1 / batch);
  if (!deltaPrevious) return;
  gemmKernel(true, false, K, n, F, weights.data, delta.data, columns); // W^T . delta
  if (f32) col2imF32(columns as Float32Array, channels, batch, g, deltaPrevious.data as Float32Array);
  else col2imF64(columns as Float64Array, channels, batch, g, deltaPrevious.data as Float64Array);
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
