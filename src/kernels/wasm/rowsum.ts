/**
 * Row sums (rowsum-f32.wat, rowsum-f64.wat) for arrays in the kernel heap (heap.ts): the bias
 * gradient's sum of delta over the batch. Vectorised across rows, each row summed in float64 from
 * its first column on, as the TypeScript loop (sumColumnsInto) does: the same bits. Returns false,
 * doing nothing, when WebAssembly cannot take the arrays (not in the heap, element types or lengths
 * that differ, out overlapping m other than as m itself with one column, no WebAssembly SIMD).
 */
import { isResident } from "./heap.js";
import { kernels } from "./module.js";

type Floats = Float32Array | Float64Array;

/** Off: every row sum runs as the TypeScript loop (bench/kernels/elementwise.ts times the step both ways). */
export const rowSumKernel = { enabled: true };

/** out[i] = sum over j of m[i][j] for a rows x cols m; true when done here. */
export function sumRowsResident(m: Floats, rows: number, cols: number, out: Floats): boolean {
  const f32 = m instanceof Float32Array;
  if (!rowSumKernel.enabled) return false;
  if (out instanceof Float32Array !== f32 || m.length !== rows * cols || out.length !== rows) return false;
  if (!isResident(m) || !isResident(out)) return false;
  // a sum is written after its row is read: out may be m itself only when each row is one entry
  const disjoint = out.byteOffset + out.byteLength <= m.byteOffset || m.byteOffset + m.byteLength <= out.byteOffset;
  if (!disjoint && !(cols === 1 && out.byteOffset === m.byteOffset)) return false;
  const set = kernels();
  if (set === null) return false;
  (f32 ? set.sum32 : set.sum64).sumRows(m.byteOffset, rows, cols, out.byteOffset);
  return true;
}
