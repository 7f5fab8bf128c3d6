/**
 * Which matrix-product kernel the ops use: "js" (the TypeScript kernel, always there) or "wasm"
 * (the WebAssembly SIMD kernel, where the runtime has SIMD). The default, "auto", picks wasm when
 * it is available. Matrices and their types are the same either way.
 */
import { gemm } from "./gemm.js";
import { gemmWasm, wasmAvailable } from "./wasm/gemm-wasm.js";

/** A kernel backend. */
export type Backend = "js" | "wasm";

let current: Backend | undefined;
let product: typeof gemm = gemm;

/** `setBackend("wasm")`, `setBackend("js")`, or `setBackend("auto")`; returns the backend now in use. */
export function setBackend(name: Backend | "auto"): Backend {
  if (name === "wasm" && !wasmAvailable()) throw new Error("setBackend: the wasm backend needs WebAssembly SIMD, which this runtime lacks");
  if (name !== "js" && name !== "wasm" && name !== "auto") throw new RangeError(`setBackend expects "js", "wasm" or "auto", got ${String(name)}`);
  current = name === "auto" ? (wasmAvailable() ? "wasm" : "js") : name;
  product = current === "wasm" ? gemmWasm : gemm;
  return current;
}

/** The backend in use ("auto" is resolved on first use). */
export function getBackend(): Backend {
  return current ?? setBackend("auto");
}

/** C = op(A) op(B) (+ C) with the current backend's kernel. */
export function gemmKernel(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  a: Float64Array, b: Float64Array, c: Float64Array, accumulate = false,
): void {
  if (current === undefined) setBackend("auto");
  product(transA, transB, m, n, k, a, b, c, accumulate);
}
