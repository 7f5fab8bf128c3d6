/**
 * Where long-lived arrays live. A network's parameters, its workspaces and its optimizer state are
 * read by every product of every step; placed in the kernel heap (the shared WebAssembly memory,
 * where the runtime allows one) the WebAssembly kernels read and write them in place instead of
 * copying them in and out per product (12-14% of a step's products, and 3x at batch 1: see
 * docs/kernels.md). Elsewhere (no SharedArrayBuffer, e.g. a page without cross-origin isolation)
 * they are ordinary arrays and the kernels copy, as before.
 *
 * A heap array's block returns to the heap when the array is garbage collected, but the collector
 * does not see WebAssembly memory, so a program that makes many networks should `dispose` them.
 */
import type { DType, DataOf } from "../shape/matrix.js";
import { freeHeapArray, heapFloat32Array, heapFloat64Array } from "../kernels/wasm/heap.js";

/** A zeroed array of `n` numbers of element type `dtype`, in the kernel heap where there is one. */
export function longLived<D extends DType>(dtype: D, n: number): DataOf<D> {
  // DataOf<D> is Float32Array exactly when D is "float32"; a run-time branch cannot narrow D itself.
  return (dtype === "float32" ? heapFloat32Array(n) : heapFloat64Array(n)) as DataOf<D>;
}

/** Gives the arrays' heap blocks back at once (they must not be used afterwards); ordinary arrays are left alone. */
export function releaseArrays(arrays: readonly (Float64Array | Float32Array | null | undefined)[]): void {
  for (const a of arrays) if (a) freeHeapArray(a);
}
