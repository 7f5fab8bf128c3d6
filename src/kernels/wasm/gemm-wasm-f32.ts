/**
 * The float32 WebAssembly products (f32x4 micro-kernel in gemm-f32.wat, 4 x 8 blocks of C; about
 * 7 significant digits, 1e-7 relative per product):
 * - `gemmWasmFloat32` on Float32Array matrices: packs float32 directly, converts nothing;
 * - `gemmWasmF32` on Float64Array matrices (backend "wasm-f32"): convert-f32.wat converts op(A)
 *   and op(B) to float32 while packing them and the result back to float64.
 * Products with a dimension under 4 run on the matrix-vector kernels: matvec-f32.wat for
 * Float32Array, matvec-f64.wat (exact float64) for the Float64Array one.
 */
import { gemm } from "../gemm.js";
import { gemm as gemmFloat32 } from "../gemm-f32.generated.js";
import { productWith, type Flavor } from "./driver.js";
import { kernels } from "./module.js";

const NATIVE: Flavor<Float32Array> = {
  bytes: 4, panelBytes: 4, width: 8,
  kernel: (s) => s.f32, packer: (s) => s.f32, inPlace: (s) => s.f32, matvec: (s) => s.mv32, fallback: gemmFloat32,
};

const CONVERTED: Flavor<Float64Array> = {
  bytes: 8, panelBytes: 4, width: 8,
  kernel: (s) => s.f32, packer: (s) => s.convert, matvec: (s) => s.mv64, fallback: gemm,
};

/** Same contract as `gemm` in ../gemm.ts, on Float32Array A, B and C, computed in float32. */
export function gemmWasmFloat32(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  a: Float32Array, b: Float32Array, c: Float32Array, accumulate = false, alpha = 1,
): void {
  const set = kernels();
  if (set === null) throw new Error("gemmWasmFloat32: WebAssembly SIMD is not available in this runtime");
  productWith(NATIVE, set, transA, transB, m, n, k, a, b, c, accumulate, alpha);
}

/** Same contract as `gemm` in ../gemm.ts (Float64Array), computed in float32. */
export function gemmWasmF32(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  a: Float64Array, b: Float64Array, c: Float64Array, accumulate = false, alpha = 1,
): void {
  const set = kernels();
  if (set === null) throw new Error("gemmWasmF32: WebAssembly SIMD is not available in this runtime");
  productWith(CONVERTED, set, transA, transB, m, n, k, a, b, c, accumulate, alpha);
}
