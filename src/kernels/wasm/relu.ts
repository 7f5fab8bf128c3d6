/**
 * The ReLU steps of a training step (relu-f32.wat, relu-f64.wat) for arrays that live in the kernel
 * heap (heap.ts): the fused forward step z += b, a = max(0, z) and the backward step
 * g = f'(z) (.) g, worked in place. Each returns false, doing nothing, when WebAssembly cannot take
 * the arrays (one of them not in the heap, element types or lengths that differ, no WebAssembly
 * SIMD); the caller (src/nn/activations/relu.ts) then runs its TypeScript loop. Where they run,
 * the results equal those loops' bit for bit, NaN and -0 included (test/kernels-relu.test.ts).
 */
import { isResident } from "./heap.js";
import { kernels, type ReluExports } from "./module.js";

type Floats = Float32Array | Float64Array;

/** The module of the arrays' element type when all are in the heap and of x's type, else undefined (no rest array: called every step). */
function module(x: Floats, y: Floats, w: Floats): ReluExports | undefined {
  const f32 = x instanceof Float32Array;
  if (y instanceof Float32Array !== f32 || w instanceof Float32Array !== f32) return undefined;
  if (!isResident(x) || !isResident(y) || !isResident(w)) return undefined;
  const set = kernels();
  return set === null ? undefined : f32 ? set.relu32 : set.relu64;
}

/** z += bias per row of the rows x cols z, then a = max(0, z) (NaN kept); true when done here. */
export function reluAddBiasThenF(z: Floats, rows: number, cols: number, bias: Floats, a: Floats): boolean {
  // the lengths the loop reads, checked so that the kernel never reads or writes past an array
  if (z.length !== rows * cols || a.length !== z.length || bias.length !== rows) return false;
  const m = module(z, bias, a);
  if (m === undefined) return false;
  m.addBiasThenF(z.byteOffset, rows, cols, bias.byteOffset, a.byteOffset);
  return true;
}

/** g = f'(z) (.) g: g where z > 0, NaN where z is NaN, else 0; true when done here. */
export function reluTimesDerivative(z: Floats, g: Floats): boolean {
  if (z.length !== g.length) return false;
  const m = module(z, g, g);
  if (m === undefined) return false;
  m.timesDerivative(z.byteOffset, g.byteOffset, g.length);
  return true;
}
