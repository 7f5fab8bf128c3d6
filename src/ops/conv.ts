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
 * z = conv(x) + b: x is (C*H*W) x B, weights F x (C*KH*KW), bias F x 1, z (F*OH*OW) x B, and
 * `columns` the im2col scratch, (C*KH*KW) x (OH*OW*B). Without `bias`, z is W im2col(x) only (the
 * caller adds the bias, fused with its activation: the bias of filter f is added to row f of the
 * F x (OH*OW*B) view of z, the same layout as a dense layer's z).
 */
export function convolve(
  x: MatrixLike, weights: MatrixLike, bias: MatrixLike | null, z: MatrixLike,
  channels: number, batch: number, g: ConvGeometry, columns: Float64Array | Float32Array,
): void {
  const F = weights.rows, K = channels * g.kernelH * g.kernelW, P = g.outH * g.outW, f32 = x.data instanceof Float32Array;
  expectBuffer("conv2d", "x", x.data, channels * g.height * g.width * batch, f32);
  expectBuffer("conv2d", "weights", weights.data, F * K, f32);
  expectBuffer("conv2d", "z", z.data, F * P * batch, f32);
  expectBuffer("conv2d", "the column scratch", columns, K * P * batch, f32);
  if (bias) expectBuffer("conv2d", "bias", bias.data, F, f32);
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
  const F = weights.rows, K = channels * g.kernelH * g.kernelW, n = g.outH * g.outW * batch, f32 = weights.data instanceof Float32Array;
  expectBuffer("conv2d backward", "weights", weights.data, F * K, f32);
  expectBuffer("conv2d backward", "delta", delta.data, F * n, f32);
  expectBuffer("conv2d backward", "dE/dW", gradWeights.data, F * K, f32);
  expectBuffer("conv2d backward", "dE/db", gradBias.data, F, f32);
  expectBuffer("conv2d backward", "the column scratch", columns, K * n, f32);
  if (deltaPrevious) expectBuffer("conv2d backward", "delta of the layer before", deltaPrevious.data, channels * g.height * g.width * batch, f32);
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
