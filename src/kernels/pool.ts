/**
 * Max pooling on the column-per-example layout of conv.ts (value (c, h, w) of example b at
 * ((c*H + h)*W + w)*B + b). The window has no padding (TensorFlow's "valid"); its geometry comes
 * from convGeometry(H, W, PH, PW, SH, SW, "valid", "maxPool2d").
 *
 * Ties go to the first maximum in row-major window order (strict >), as TensorFlow's CPU kernels
 * and TensorFlow.js's cpu backend do. (TensorFlow.js's wasm backend differs: measured with
 * tfjs 4.22, its gradient goes to the last maximum, and a window whose maximum is 0 sends it to
 * the window's first entry even when that entry is smaller.) A NaN in the window is taken only
 * when it comes first (every comparison with NaN is false).
 *
 * F64 and F32 versions have the same text (see conv.ts and its test). Sizes are checked once per
 * call; nothing is allocated.
 */
import type { ConvGeometry } from "./conv-geometry.js";
import { expectCounts, expectLength } from "./conv.js";

/** Checks the sizes shared by the forward and backward pass. */
function checkPool(op: string, image: { readonly length: number }, pooled: { readonly length: number }, channels: number, batch: number, g: ConvGeometry): void {
  expectCounts(op, channels, batch);
  if (g.padTop !== 0 || g.padBottom !== 0 || g.padLeft !== 0 || g.padRight !== 0) {
    throw new RangeError(`${op}: max pooling takes no padding (geometry of padding "valid"), got padding ${g.padTop}, ${g.padBottom}, ${g.padLeft}, ${g.padRight}`);
  }
  const n = channels * g.height * g.width * batch;
  if (n > 0x7fffffff) throw new RangeError(`${op}: the input has ${n} entries, more than an Int32Array argmax index can address`);
  expectLength(op, "the input matrix (C*H*W x B)", image, n);
  expectLength(op, "the pooled matrix (C*OH*OW x B)", pooled, channels * g.outH * g.outW * batch);
}

// ---- float64 ----

/**
 * out (C*OH*OW x B) = the maximum of each window of x, and argmax[i] = the index into x of the
 * value out[i] took. Branch-free: `at += +(x[i] > x[at]) * (i - at)` turns the comparison into
 * 0 or 1 (V8 emits no jump for it; `? 1 : 0` or an if does jump), so random data costs no
 * mispredicted branches: 1.5-2x faster than an if on random and ReLU-like inputs. Neighbouring
 * examples are neighbouring entries, so the B independent windows of one position overlap in
 * the processor.
 */
export function maxPoolForwardF64(x: Float64Array, channels: number, batch: number, g: ConvGeometry, out: Float64Array, argmax: Int32Array): void {
  checkPool("maxPoolForward", x, out, channels, batch, g);
  expectLength("maxPoolForward", "argmax", argmax, out.length);
  const { height: H, width: W, kernelH: PH, kernelW: PW, strideH: SH, strideW: SW, outH: OH, outW: OW } = g;
  const B = batch, rowStep = W * B;
  let o = 0; // the current output
  for (let c = 0; c < channels; c++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        const first = ((c * H + oh * SH) * W + ow * SW) * B;
        for (let b = 0; b < B; b++, o++) {
          let at = first + b; // the first maximum so far (strict >: ties keep the earlier one)
          for (let ph = 0, r = at; ph < PH; ph++, r += rowStep) {
            for (let pw = 0, i = r; pw < PW; pw++, i += B) at += +(x[i]! > x[at]!) * (i - at);
          }
          out[o] = x[at]!;
          argmax[o] = at;
        }
      }
    }
  }
}

/**
 * out (C*H*W x B) = the backward pass of max pooling: delta[i] is added to out[argmax[i]], the
 * entry the maximum came from (overlapping windows add up). Overwrites out, or adds to it when
 * `accumulate`.
 */
export function maxPoolBackwardF64(delta: Float64Array, argmax: Int32Array, channels: number, batch: number, g: ConvGeometry, out: Float64Array, accumulate = false): void {
  checkPool("maxPoolBackward", out, delta, channels, batch, g);
  expectLength("maxPoolBackward", "argmax", argmax, delta.length);
  if (!accumulate) out.fill(0);
  const n = out.length;
  for (let i = 0; i < delta.length; i++) {
    const at = argmax[i]!;
    if (at < 0 || at >= n) throw new RangeError(`maxPoolBackward: argmax[${i}] = ${at} is outside the input's ${n} entries`);
    out[at] += delta[i]!;
  }
}

// ---- float32: the same text with Float32Array (checked by the test) ----

/** maxPoolForwardF64 for Float32Array. */
export function maxPoolForwardF32(x: Float32Array, channels: number, batch: number, g: ConvGeometry, out: Float32Array, argmax: Int32Array): void {
  checkPool("maxPoolForward", x, out, channels, batch, g);
  expectLength("maxPoolForward", "argmax", argmax, out.length);
  const { height: H, width: W, kernelH: PH, kernelW: PW, strideH: SH, strideW: SW, outH: OH, outW: OW } = g;
  const B = batch, rowStep = W * B;
  let o = 0; // the current output
  for (let c = 0; c < channels; c++) {
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++) {
        const first = ((c * H + oh * SH) * W + ow * SW) * B;
        for (let b = 0; b < B; b++, o++) {
          let at = first + b; // the first maximum so far (strict >: ties keep the earlier one)
          for (let ph = 0, r = at; ph < PH; ph++, r += rowStep) {
            for (let pw = 0, i = r; pw < PW; pw++, i += B) at += +(x[i]! > x[at]!) * (i - at);
          }
          out[o] = x[at]!;
          argmax[o] = at;
        }
      }
    }
  }
}

/** maxPoolBackwardF64 for Float32Array. */
export function maxPoolBackwardF32(delta: Float32Array, argmax: Int32Array, channels: number, batch: number, g: ConvGeometry, out: Float32Array, accumulate = false): void {
  checkPool("maxPoolBackward", out, delta, channels, batch, g);
  expectLength("maxPoolBackward", "argmax", argmax, delta.length);
  if (!accumulate) out.fill(0);
  const n = out.length;
  for (let i = 0; i < delta.length; i++) {
    const at = argmax[i]!;
    if (at < 0 || at >= n) throw new RangeError(`maxPoolBackward: argmax[${i}] = ${at} is outside the input's ${n} entries`);
    out[at] += delta[i]!;
  }
}
