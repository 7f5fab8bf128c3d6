/**
 * Optimizer updates: the TypeScript loop of src/optim/adam.ts (copied here, on ordinary arrays)
 * against adamFloat64 / adamFloat32 (WebAssembly SIMD on arrays in the kernel heap), and the same
 * for the gradient-descent step (addScaledInto against axpy), over the parameter counts of
 * 784-128-10 and 784-1024-1024-10. One process, alternating, microseconds per update
 * min/median/max over ROUNDS (default 7) rounds, CPU time.
 *
 *   node --import tsx bench/kernels/update.ts
 */
import { addScaledInto } from "../../src/kernels/elementwise.js";
import { heapFloat32Array, heapFloat64Array } from "../../src/kernels/wasm/heap.js";
import { adamFloat32, adamFloat64, axpyFloat32, axpyFloat64 } from "../../src/kernels/wasm/update.js";
import { median, secondsPerCall } from "./shapes.js";

const ROUNDS = Number(process.env.ROUNDS ?? 7);
const b1 = 0.9, b2 = 0.999, stepSize = 1e-3, eps = 1e-7;

/** The optimizer's TypeScript loop (adamLoop in src/kernels/wasm/update.ts), verbatim, on Float64Array: the baseline. */
function adamTs64(w: Float64Array, g: Float64Array, m: Float64Array, v: Float64Array): void {
  for (let i = 0; i < w.length; i++) {
    const gi = g[i]!;
    const mi = b1 * m[i]! + (1 - b1) * gi;
    const vi = b2 * v[i]! + (1 - b2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    w[i]! -= stepSize * mi / (Math.sqrt(vi) + eps);
  }
}
/** The same loop on Float32Array (a separate function: its own type feedback). */
function adamTs32(w: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array): void {
  for (let i = 0; i < w.length; i++) {
    const gi = g[i]!;
    const mi = b1 * m[i]! + (1 - b1) * gi;
    const vi = b2 * v[i]! + (1 - b2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    w[i]! -= stepSize * mi / (Math.sqrt(vi) + eps);
  }
}

for (const [name, n] of [["784-128-10", 101770], ["784-1024-1024-10", 1863690]] as const) {
  const four = <T>(make: (n: number) => T) => [make(n), make(n), make(n), make(n)] as const;
  const o64 = four((k) => new Float64Array(k).fill(0.01)), h64 = four((k) => heapFloat64Array(k).fill(0.01));
  const o32 = four((k) => new Float32Array(k).fill(0.01)), h32 = four((k) => heapFloat32Array(k).fill(0.01));
  const impls: [string, () => void][] = [
    ["adam, TypeScript loop, Float64Array", () => adamTs64(...o64)],
    ["adam, adamFloat64 (WebAssembly, heap)", () => adamFloat64(...h64, b1, b2, stepSize, eps)],
    ["adam, TypeScript loop, Float32Array", () => adamTs32(...o32)],
    ["adam, adamFloat32 (WebAssembly, heap)", () => adamFloat32(...h32, b1, b2, stepSize, eps)],
    ["sgd, addScaledInto, Float64Array", () => addScaledInto(o64[1], -0.01, o64[0])],
    ["sgd, axpyFloat64 (WebAssembly, heap)", () => axpyFloat64(h64[1], -0.01, h64[0])],
    ["sgd, axpyFloat32 (WebAssembly, heap)", () => axpyFloat32(h32[1], -0.01, h32[0])],
  ];
  const samples = impls.map(() => [] as number[]);
  for (const [, run] of impls) secondsPerCall(run, 100);
  for (let r = 0; r < ROUNDS; r++) impls.forEach(([, run], i) => samples[i]!.push(secondsPerCall(run, 100) * 1e6));
  console.log(`\n${name} (${n.toLocaleString("en-US")} parameters), us per update min/median/max:\n| update | us | vs the TypeScript loop (same element type and rule) |\n|---|---:|---:|`);
  const base = [0, 0, 2, 2, 4, 4, 4];
  impls.forEach(([label], i) => {
    const xs = samples[i]!;
    console.log(`| ${label} | ${Math.min(...xs).toFixed(0)}/${median(xs).toFixed(0)}/${Math.max(...xs).toFixed(0)} | ${(median(samples[base[i]!]!) / median(xs)).toFixed(2)}x |`);
  });
}
