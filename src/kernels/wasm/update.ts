/**
 * The optimizer updates (Adam, momentum, the gradient-descent step) in WebAssembly SIMD, one
 * function per element type, for parameters, gradients and optimizer state that live in the kernel
 * heap (heap.ts): the module works on them in place. When any array is not in the heap (or there
 * is no WebAssembly), the same update runs as a TypeScript loop (the loops of src/optim), so every
 * function accepts any arrays. Float64: bitwise the same as those loops (same operations in the
 * same order); float32: float32 arithmetic, within float32 rounding of them.
 */
import { allFinite } from "../elementwise.js";
import { isResident } from "./heap.js";
import { kernels, type UpdateExports } from "./module.js";

type Data = Float32Array | Float64Array;

/**
 * The update module when every array is in the heap, else undefined. Fixed arity (a fourth array
 * repeats the third where there are only three): a rest parameter built an array per call, which
 * measured 48-56 bytes of garbage per update.
 */
function resident(f32: boolean, a: Data, b: Data, c: Data, d: Data): UpdateExports | undefined {
  if (!isResident(a) || !isResident(b) || !isResident(c) || !isResident(d)) return undefined;
  const set = kernels();
  return set === null ? undefined : f32 ? set.up32 : set.up64;
}

/**
 * Adam: m = beta1 m + (1 - beta1) g, v = beta2 v + (1 - beta2) g g,
 * w = w - stepSize m / (sqrt(v) + eps), stepSize and eps bias-corrected by the caller.
 */
export function adamFloat32(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, beta1: number, beta2: number, stepSize: number, eps: number): void {
  const u = resident(true, w, g, m, v);
  if (u !== undefined) u.adam(w.byteOffset, g.byteOffset, m.byteOffset, v.byteOffset, w.length, beta1, beta2, stepSize, eps);
  else adamLoop(w, g, m, v, beta1, beta2, stepSize, eps);
}

/** `adamFloat32` on Float64Array. */
export function adamFloat64(w: Float64Array, g: Float64Array, m: Float64Array, v: Float64Array, beta1: number, beta2: number, stepSize: number, eps: number): void {
  const u = resident(false, w, g, m, v);
  if (u !== undefined) u.adam(w.byteOffset, g.byteOffset, m.byteOffset, v.byteOffset, w.length, beta1, beta2, stepSize, eps);
  else adamLoop(w, g, m, v, beta1, beta2, stepSize, eps);
}

/** Momentum: v = beta v + g, w = w - rate v. */
export function momentumFloat32(w: Float32Array, g: Float32Array, v: Float32Array, beta: number, rate: number): void {
  const u = resident(true, w, g, v, v);
  if (u !== undefined) u.momentum(w.byteOffset, g.byteOffset, v.byteOffset, w.length, beta, rate);
  else momentumLoop(w, g, v, beta, rate);
}

/** `momentumFloat32` on Float64Array. */
export function momentumFloat64(w: Float64Array, g: Float64Array, v: Float64Array, beta: number, rate: number): void {
  const u = resident(false, w, g, v, v);
  if (u !== undefined) u.momentum(w.byteOffset, g.byteOffset, v.byteOffset, w.length, beta, rate);
  else momentumLoop(w, g, v, beta, rate);
}

/** out = out + s x (gradient descent: x = dE/dW, s = -rate). */
export function axpyFloat32(x: Float32Array, s: number, out: Float32Array): void {
  const u = resident(true, x, out, out, out);
  if (u !== undefined) u.axpy(x.byteOffset, s, out.byteOffset, out.length);
  else axpyLoop(x, s, out);
}

/** `axpyFloat32` on Float64Array. */
export function axpyFloat64(x: Float64Array, s: number, out: Float64Array): void {
  const u = resident(false, x, out, out, out);
  if (u !== undefined) u.axpy(x.byteOffset, s, out.byteOffset, out.length);
  else axpyLoop(x, s, out);
}

/**
 * True when every entry of `d` is finite: in WebAssembly SIMD for an array in the heap (fit's
 * checks of the gradients and of the updated parameters, twice per step), else the TypeScript loop.
 */
export function allFiniteData(d: Data): boolean {
  const u = resident(d instanceof Float32Array, d, d, d, d);
  return u !== undefined ? u.allFinite(d.byteOffset, d.length) === 1 : allFinite(d);
}

/** dst.set(src) for arrays of one length: a memory.copy when both are in the heap with one element type (else `set`, which converts). */
export function copyData(src: Data, dst: Data): void {
  if (src.length !== dst.length) throw new RangeError(`copyData expects arrays of one length, got ${src.length} and ${dst.length}`);
  const f32 = src instanceof Float32Array;
  const u = f32 === dst instanceof Float32Array ? resident(f32, src, dst, dst, dst) : undefined;
  if (u !== undefined) u.copy(src.byteOffset, dst.byteOffset, src.byteLength);
  else dst.set(src);
}

// The fallbacks: the loops of src/optim, one copy per element type would keep V8's feedback
// monomorphic, but they only run for arrays outside the heap, where speed is not the point here.
function adamLoop(w: Data, g: Data, m: Data, v: Data, beta1: number, beta2: number, stepSize: number, eps: number): void {
  for (let i = 0; i < w.length; i++) {
    const gi = g[i]!;
    const mi = beta1 * m[i]! + (1 - beta1) * gi;
    const vi = beta2 * v[i]! + (1 - beta2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    w[i]! -= stepSize * mi / (Math.sqrt(vi) + eps);
  }
}

function momentumLoop(w: Data, g: Data, v: Data, beta: number, rate: number): void {
  for (let i = 0; i < w.length; i++) {
    const vi = beta * v[i]! + g[i]!;
    v[i] = vi;
    w[i]! -= rate * vi;
  }
}

function axpyLoop(x: Data, s: number, out: Data): void {
  for (let i = 0; i < out.length; i++) out[i]! += s * x[i]!;
}
