/**
 * The optimizers' updates on whole parameter matrices, one call per matrix: in WebAssembly SIMD on
 * arrays in the kernel heap (every array the library makes for a network is, where the runtime
 * has shared memory), as TypeScript loops otherwise; float64 gives the loops' results to the bit.
 * The matrices' shapes are the caller's business (the optimizers check them once per network).
 */
import type { MatrixLike } from "../shape/matrix.js";
import { adamFloat32, adamFloat64, axpyFloat32, axpyFloat64, momentumFloat32, momentumFloat64 } from "../kernels/wasm/update.js";

/** w <- w + s g (gradient descent with s = -epsilon). */
export function addScaled(g: MatrixLike, s: number, w: MatrixLike): void {
  if (w.data instanceof Float32Array) axpyFloat32(g.data as Float32Array, s, w.data);
  else axpyFloat64(g.data as Float64Array, s, w.data);
}

/** Momentum: v <- beta v + g, w <- w - rate v. */
export function momentumUpdate(w: MatrixLike, g: MatrixLike, v: MatrixLike, beta: number, rate: number): void {
  if (w.data instanceof Float32Array) momentumFloat32(w.data, g.data as Float32Array, v.data as Float32Array, beta, rate);
  else momentumFloat64(w.data, g.data as Float64Array, v.data as Float64Array, beta, rate);
}

/** Adam: m <- beta1 m + (1 - beta1) g, v <- beta2 v + (1 - beta2) g^2, w <- w - stepSize m / (sqrt(v) + eps). */
export function adamUpdate(w: MatrixLike, g: MatrixLike, m: MatrixLike, v: MatrixLike, beta1: number, beta2: number, stepSize: number, eps: number): void {
  if (w.data instanceof Float32Array) adamFloat32(w.data, g.data as Float32Array, m.data as Float32Array, v.data as Float32Array, beta1, beta2, stepSize, eps);
  else adamFloat64(w.data, g.data as Float64Array, m.data as Float64Array, v.data as Float64Array, beta1, beta2, stepSize, eps);
}
