/**
 * The float32 WebAssembly kernel (backend "wasm-f32", chosen explicitly): matrices stay
 * Float64Array; packing converts op(A) and op(B) to float32 panels in the module's memory, the
 * f32x4 micro-kernel of gemm-f32.wat multiplies them, and the result is converted back. Twice the
 * lanes of the float64 kernel, at float32 precision (about 1e-7 relative per product).
 *
 * The packers are separate functions from the float64 ones in ../gemm.ts on purpose: V8 shares type
 * feedback between call sites of one function, and mixing Float32Array and Float64Array outputs in
 * one packer slowed both in the prototypes.
 */
import { KC, thin } from "../gemm.js";
import { GEMM_F32_WASM_BASE64 } from "./gemm-wasm.generated.js";
import type { GemmModule } from "./module.js";
import { instantiate, memoryOf } from "./module.js";

let loaded: GemmModule | null | undefined;
let view = new Float32Array(0);

function load(): GemmModule | null {
  if (loaded === undefined) loaded = instantiate(GEMM_F32_WASM_BASE64);
  return loaded;
}

/** op(A)[all rows, k0..k0+kc) as float32 panels of 4 rows, k-major, from out[at]. */
function packRows4(a: Float64Array, transA: boolean, m: number, k: number, k0: number, kc: number, out: Float32Array, at: number): void {
  for (let i = 0; i < ((m + 3) & ~3); i++) {
    const base = at + (i >> 2) * kc * 4 + (i & 3);
    if (i >= m) for (let q = 0; q < kc; q++) out[base + q * 4] = 0;
    else if (transA) for (let q = 0; q < kc; q++) out[base + q * 4] = a[(k0 + q) * m + i]!;
    else for (let q = 0, row = i * k + k0; q < kc; q++) out[base + q * 4] = a[row + q]!;
  }
}

/** op(B)[k0..k0+kc), all columns] as float32 panels of 8 columns, k-major, from out[at]. */
function packCols8(b: Float64Array, transB: boolean, n: number, k: number, k0: number, kc: number, out: Float32Array, at: number): void {
  for (let j = 0; j < ((n + 7) & ~7); j++) {
    const base = at + (j >> 3) * kc * 8 + (j & 7);
    if (j >= n) for (let q = 0; q < kc; q++) out[base + q * 8] = 0;
    else if (transB) for (let q = 0, row = j * k + k0; q < kc; q++) out[base + q * 8] = b[row + q]!;
    else for (let q = 0; q < kc; q++) out[base + q * 8] = b[(k0 + q) * n + j]!;
  }
}

/** Same contract as `gemm` in ../gemm.ts, computed in float32. */
export function gemmWasmF32(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  a: Float64Array, b: Float64Array, c: Float64Array, accumulate = false,
): void {
  const g = load();
  if (g === null) throw new Error("gemmWasmF32: WebAssembly SIMD is not available in this runtime");
  if (k === 0 || m < 4 || n < 4 || k < 4) {
    thin(transA, transB, m, n, k, a, b, c, accumulate);
    return;
  }
  const mPanels = (m + 3) >> 2, nPanels = (n + 7) >> 3;
  const kBlock = Math.min(KC, k);
  // Layout in float32 units: packed A, packed B, padded C (each start 16-byte aligned).
  const aAt = 0, bAt = mPanels * kBlock * 4, cAt = bAt + nPanels * kBlock * 8;
  const ldc = nPanels * 8;
  const buffer = memoryOf(g, 4 * (cAt + mPanels * 4 * ldc));
  if (view.buffer !== buffer) view = new Float32Array(buffer);
  const mem = view;
  for (let k0 = 0; k0 < k; k0 += KC) {
    const kc = Math.min(KC, k - k0);
    packRows4(a, transA, m, k, k0, kc, mem, aAt);
    packCols8(b, transB, n, k, k0, kc, mem, bAt);
    g.kernel(4 * aAt, 4 * bAt, 4 * cAt, mPanels, nPanels, kc, k0 === 0 ? 1 : 0);
  }
  for (let i = 0; i < m; i++) {
    const from = cAt + i * ldc, to = i * n;
    if (accumulate) for (let j = 0; j < n; j++) c[to + j]! += mem[from + j]!;
    else for (let j = 0; j < n; j++) c[to + j] = mem[from + j]!;
  }
}
