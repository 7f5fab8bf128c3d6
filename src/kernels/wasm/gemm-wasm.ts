/**
 * The WebAssembly SIMD matrix product (tier 2), float64: the module (gemm.wat) packs op(A) and
 * op(B) into panels as the TypeScript kernel does, its f64x2 micro-kernel multiplies them, and the
 * result is copied into C (driver.ts). Float64 throughout, so it agrees with the TypeScript kernel
 * to rounding and every test runs on both.
 */
import { GEMM_WASM_BASE64 } from "./gemm-wasm.generated.js";
import { gemmWith, type PanelFormat } from "./driver.js";
import type { GemmModule } from "./module.js";
import { instantiate } from "./module.js";

let loaded: GemmModule | null | undefined;
const FLOAT64: PanelFormat = { elementBytes: 8, columnsPerPanel: 4 };

function load(): GemmModule | null {
  if (loaded === undefined) loaded = instantiate(GEMM_WASM_BASE64);
  return loaded;
}

/** True when this runtime runs the WebAssembly SIMD kernels. */
export function wasmAvailable(): boolean {
  return load() !== null;
}

/** Same contract as `gemm` in ../gemm.ts: C (m x n) = op(A) op(B), plus C when `accumulate`. */
export function gemmWasm(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  a: Float64Array, b: Float64Array, c: Float64Array, accumulate = false, alpha = 1,
): void {
  const g = load();
  if (g === null) throw new Error("gemmWasm: WebAssembly SIMD is not available in this runtime");
  gemmWith(g, FLOAT64, transA, transB, m, n, k, a, b, c, accumulate, alpha);
}
