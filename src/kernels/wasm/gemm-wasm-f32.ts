/**
 * The float32 WebAssembly kernel (backend "wasm-f32", chosen explicitly): matrices stay
 * Float64Array; the module (gemm-f32.wat) converts op(A) and op(B) to float32 while packing them,
 * its f32x4 micro-kernel multiplies the panels (4 x 8 blocks of C), and the result is converted
 * back (driver.ts). Twice the lanes of the float64 kernel, at float32 precision (about 1e-7
 * relative per product).
 */
import { GEMM_F32_WASM_BASE64 } from "./gemm-wasm.generated.js";
import { gemmWith, type PanelFormat } from "./driver.js";
import type { GemmModule } from "./module.js";
import { instantiate } from "./module.js";

let loaded: GemmModule | null | undefined;
const FLOAT32: PanelFormat = { elementBytes: 4, columnsPerPanel: 8 };

/** Same contract as `gemm` in ../gemm.ts, computed in float32. */
export function gemmWasmF32(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  a: Float64Array, b: Float64Array, c: Float64Array, accumulate = false, alpha = 1,
): void {
  if (loaded === undefined) loaded = instantiate(GEMM_F32_WASM_BASE64);
  if (loaded === null) throw new Error("gemmWasmF32: WebAssembly SIMD is not available in this runtime");
  gemmWith(loaded, FLOAT32, transA, transB, m, n, k, a, b, c, accumulate, alpha);
}
