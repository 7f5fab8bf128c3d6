/**
 * The WebAssembly SIMD matrix product (tier 2). JavaScript packs op(A) and op(B) straight into the
 * module's memory with the same packing as the TypeScript kernel, the f64x2 micro-kernel of
 * gemm.wat multiplies the panels, and the padded result is copied into C. Float64 throughout, so
 * it agrees with the TypeScript kernel to rounding and every test runs on both.
 */
import { KC, packColsB, packRowsA, thin } from "../gemm.js";
import { GEMM_WASM_BASE64 } from "./gemm-wasm.generated.js";
import type { GemmModule } from "./module.js";
import { instantiate, memoryOf } from "./module.js";

let loaded: GemmModule | null | undefined;
let view = new Float64Array(0);

function load(): GemmModule | null {
  if (loaded === undefined) loaded = instantiate(GEMM_WASM_BASE64);
  return loaded;
}

/** True when this runtime runs the WebAssembly SIMD kernels. */
export function wasmAvailable(): boolean {
  return load() !== null;
}

function memoryFor(g: GemmModule, bytes: number): Float64Array {
  const buffer = memoryOf(g, bytes);
  if (view.buffer !== buffer) view = new Float64Array(buffer);
  return view;
}

/** Same contract as `gemm` in ../gemm.ts: C (m x n) = op(A) op(B), plus C when `accumulate`. */
export function gemmWasm(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  a: Float64Array, b: Float64Array, c: Float64Array, accumulate = false,
): void {
  const g = load();
  if (g === null) throw new Error("gemmWasm: WebAssembly SIMD is not available in this runtime");
  if (k === 0 || m < 4 || n < 4 || k < 4) {
    thin(transA, transB, m, n, k, a, b, c, accumulate);
    return;
  }
  const mPanels = (m + 3) >> 2, nPanels = (n + 3) >> 2;
  const kBlock = Math.min(KC, k);
  // Layout in float64 units: packed A, packed B, padded C (each start 16-byte aligned).
  const aAt = 0, bAt = mPanels * kBlock * 4, cAt = bAt + nPanels * kBlock * 4;
  const ldc = nPanels * 4;
  const mem = memoryFor(g, 8 * (cAt + mPanels * 4 * ldc));
  for (let k0 = 0; k0 < k; k0 += KC) {
    const kc = Math.min(KC, k - k0);
    packRowsA(a, transA, m, k, k0, kc, mem, aAt);
    packColsB(b, transB, n, k, k0, kc, mem, bAt);
    g.kernel(8 * aAt, 8 * bAt, 8 * cAt, mPanels, nPanels, kc, k0 === 0 ? 1 : 0);
  }
  for (let i = 0; i < m; i++) {
    const from = cAt + i * ldc, to = i * n;
    if (accumulate) for (let j = 0; j < n; j++) c[to + j]! += mem[from + j]!;
    else for (let j = 0; j < n; j++) c[to + j] = mem[from + j]!;
  }
}
