/**
 * The WebAssembly SIMD matrix product (tier 2), float64: the module (gemm-f64.wat) packs op(A) and
 * op(B) into panels as the TypeScript kernel does, its f64x2 micro-kernel multiplies them, and the
 * result is written into C (driver.ts); products with a dimension under 4 run on the
 * matrix-vector kernels (matvec-f64.wat). Float64 throughout, so it agrees with the TypeScript
 * kernel to rounding and every test runs on both.
 */
import { gemm } from "../gemm.js";
import { productWith, type Flavor } from "./driver.js";
import { kernels } from "./module.js";

const FLOAT64: Flavor<Float64Array> = {
  bytes: 8, panelBytes: 8, width: 4,
  kernel: (s) => s.f64, packer: (s) => s.f64, matvec: (s) => s.mv64, fallback: gemm,
};

/** True when this runtime runs the WebAssembly SIMD kernels. */
export function wasmAvailable(): boolean {
  return kernels() !== null;
}

/** Same contract as `gemm` in ../gemm.ts: C (m x n) = alpha op(A) op(B), plus C when `accumulate`. */
export function gemmWasm(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  a: Float64Array, b: Float64Array, c: Float64Array, accumulate = false, alpha = 1,
): void {
  const set = kernels();
  if (set === null) throw new Error("gemmWasm: WebAssembly SIMD is not available in this runtime");
  productWith(FLOAT64, set, transA, transB, m, n, k, a, b, c, accumulate, alpha);
}
