/**
 * Which matrix-product kernel the ops use: "js" (the TypeScript kernel, always there), "wasm" (the
 * WebAssembly SIMD kernel in float64, where the runtime has SIMD) or "wasm-f32" (the same in
 * float32: faster, about 7 significant digits; only when chosen). The default, "auto", picks wasm
 * when it is available. Matrices (Float64Array) and their types are the same either way.
 */
import { gemm } from "./gemm.js";
import type { Floats } from "./elementwise.js";
import { gemmWasm, wasmAvailable } from "./wasm/gemm-wasm.js";
import { gemmWasmF32 } from "./wasm/gemm-wasm-f32.js";

/** A kernel backend. */
export type Backend = "js" | "wasm" | "wasm-f32";

const kernels: Record<Backend, typeof gemm> = { js: gemm, wasm: gemmWasm, "wasm-f32": gemmWasmF32 };

let current: Backend | undefined;
let product: typeof gemm = gemm;

/** `setBackend("wasm")`, `"wasm-f32"`, `"js"` or `"auto"`; returns the backend now in use. */
export function setBackend(name: Backend | "auto"): Backend {
  if (name !== "auto" && !(name in kernels)) throw new RangeError(`setBackend expects "js", "wasm", "wasm-f32" or "auto", got ${String(name)}`);
  if (name.startsWith("wasm") && !wasmAvailable()) throw new Error(`setBackend: the ${name} backend needs WebAssembly SIMD, which this runtime lacks`);
  current = name === "auto" ? (wasmAvailable() ? "wasm" : "js") : name;
  product = kernels[current];
  return current;
}

/** The backend in use ("auto" is resolved on first use). */
export function getBackend(): Backend {
  return current ?? setBackend("auto");
}

/** C = alpha op(A) op(B) (+ C) with the current backend's kernel; A, B and C share one element type. */
export function gemmKernel(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  a: Floats, b: Floats, c: Floats, accumulate = false, alpha = 1,
): void {
  if (current === undefined) setBackend("auto");
  if (c instanceof Float32Array) {
    gemmFloat32(transA, transB, m, n, k, a as Float32Array, b as Float32Array, c, accumulate, alpha);
    return;
  }
  // The typed ops check that A, B and C have one element type, so C being float64 makes all three so.
  product(transA, transB, m, n, k, a as Float64Array, b as Float64Array, c, accumulate, alpha);
}

/**
 * The product of float32 matrices. For now the TypeScript kernel reads and writes them as it does
 * float64 ones (its loads and stores convert); the native float32 WebAssembly kernel replaces it.
 */
function gemmFloat32(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  a: Float32Array, b: Float32Array, c: Float32Array, accumulate: boolean, alpha: number,
): void {
  // gemm only indexes its arrays, which a Float32Array supports with the same semantics
  // (stores round to float32); test/kernels.test.ts checks float32 products against naive loops.
  gemm(transA, transB, m, n, k, a as unknown as Float64Array, b as unknown as Float64Array, c as unknown as Float64Array, accumulate, alpha);
}
