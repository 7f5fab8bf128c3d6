/**
 * Which matrix-product kernel the ops use: "js" (the TypeScript kernel, always there), "wasm" (the
 * WebAssembly SIMD kernel in float64, where the runtime has SIMD) or "wasm-f32" (the same in
 * float32: faster, about 7 significant digits; only when chosen). The default, "auto", picks wasm
 * when it is available. Float32 matrices always take the float32 kernels (`gemmKernelFloat32`).
 */
import { gemm } from "./gemm.js";
import type { Floats } from "./elementwise.js";
import { gemm as gemmFloat32 } from "./gemm-f32.generated.js";
import { gemmWasm, wasmAvailable } from "./wasm/gemm-wasm.js";
import { gemmWasmF32, gemmWasmFloat32 } from "./wasm/gemm-wasm-f32.js";
import { kernels as wasmKernels } from "./wasm/module.js";

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

/**
 * The WebAssembly kernels' variant: "relaxed" (relaxed SIMD's fused multiply-add: Node 22+,
 * browsers, Node 20 with --experimental-wasm-relaxed-simd), "plain" (SIMD multiply then add), or
 * "none" where the runtime has no WebAssembly SIMD (every product then runs in TypeScript).
 */
export function getSimdVariant(): "relaxed" | "plain" | "none" {
  return wasmKernels()?.variant ?? "none";
}

/** C = alpha op(A) op(B) (+ C) with the current backend's kernel; A, B and C share one element type. */
export function gemmKernel(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  a: Floats, b: Floats, c: Floats, accumulate = false, alpha = 1,
): void {
  if (current === undefined) setBackend("auto");
  // The typed ops check that A, B and C share one element type, so C's type is all three's.
  if (c instanceof Float32Array) gemmKernelFloat32(transA, transB, m, n, k, a as Float32Array, b as Float32Array, c, accumulate, alpha);
  else product(transA, transB, m, n, k, a as Float64Array, b as Float64Array, c, accumulate, alpha);
}

/**
 * C = alpha op(A) op(B) (+ C) on Float32Array matrices (float32 throughout): the WebAssembly f32x4
 * kernel on the "wasm" and "wasm-f32" backends (relaxed SIMD where the runtime has it), the
 * TypeScript kernel over Float32Array on "js".
 */
export function gemmKernelFloat32(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  a: Float32Array, b: Float32Array, c: Float32Array, accumulate = false, alpha = 1,
): void {
  if (current === undefined) setBackend("auto");
  if (current === "js") gemmFloat32(transA, transB, m, n, k, a, b, c, accumulate, alpha);
  else gemmWasmFloat32(transA, transB, m, n, k, a, b, c, accumulate, alpha);
}
