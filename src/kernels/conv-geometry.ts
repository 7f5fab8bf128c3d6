/**
 * The geometry of a sliding window (a convolution's kernel or a pool's window) over an H x W image:
 * output size and padding, computed in one place for the kernels and for the run-time shape
 * checks. Output size: OH = floor((H + padTop + padBottom - KH) / SH) + 1, the same for width.
 */

/** "valid" (no padding), "same" (TensorFlow's rule: OH = ceil(H / SH)) or p zeros on every side. */
export type Padding = "valid" | "same" | number;

/** Everything the im2col, col2im and pooling kernels need to know about one window, beside the channel and batch counts. */
export interface ConvGeometry {
  readonly height: number;
  readonly width: number;
  readonly kernelH: number;
  readonly kernelW: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly padTop: number;
  readonly padBottom: number;
  readonly padLeft: number;
  readonly padRight: number;
  readonly outH: number;
  readonly outW: number;
}

function positive(op: string, name: string, v: number): void {
  if (!Number.isSafeInteger(v) || v < 1) throw new RangeError(`${op}: ${name} must be a positive integer, got ${String(v)}`);
}

/** [before, after, out] along one axis. */
function axis(op: string, dim: "height" | "width", size: number, kernel: number, stride: number, padding: Padding): [number, number, number] {
  if (padding === "same") {
    // TensorFlow: out = ceil(size / stride); the total padding needed, smaller half first.
    const out = Math.ceil(size / stride);
    const total = Math.max((out - 1) * stride + kernel - size, 0);
    return [Math.floor(total / 2), total - Math.floor(total / 2), out];
  }
  const p = padding === "valid" ? 0 : padding;
  if (size + 2 * p < kernel) {
    const padded = p === 0 ? `input ${dim} ${size}` : `padded input ${dim} ${size} + 2*${p} = ${size + 2 * p}`;
    throw new RangeError(`${op}: the window ${dim} ${kernel} is larger than the ${padded}`);
  }
  return [p, p, Math.floor((size + 2 * p - kernel) / stride) + 1];
}

/**
 * Output size and padding of a kernelH x kernelW window moving by strideH, strideW over a
 * height x width image with the given padding. `op` names the operation in error messages
 * ("conv2d", "maxPool2d"). Throws a RangeError for a size that is not a positive integer, a padding
 * that is not "valid", "same" or a non-negative integer, or a window larger than the padded input.
 */
export function convGeometry(
  height: number, width: number, kernelH: number, kernelW: number, strideH: number, strideW: number,
  padding: Padding, op = "conv2d",
): ConvGeometry {
  positive(op, "height", height);
  positive(op, "width", width);
  positive(op, "kernel height", kernelH);
  positive(op, "kernel width", kernelW);
  positive(op, "stride height", strideH);
  positive(op, "stride width", strideW);
  if (padding !== "valid" && padding !== "same" && !(Number.isSafeInteger(padding) && padding >= 0)) {
    throw new RangeError(`${op}: padding must be "valid", "same" or a non-negative integer, got ${typeof padding === "string" ? JSON.stringify(padding) : String(padding)}`);
  }
  const [padTop, padBottom, outH] = axis(op, "height", height, kernelH, strideH, padding);
  const [padLeft, padRight, outW] = axis(op, "width", width, kernelW, strideW, padding);
  return { height, width, kernelH, kernelW, strideH, strideW, padTop, padBottom, padLeft, padRight, outH, outW };
}
