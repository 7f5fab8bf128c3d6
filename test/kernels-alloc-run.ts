/**
 * Heap growth per matrix product, run by kernels-alloc.test.ts in a child
 * `node --expose-gc --max-semi-space-size=256` (so that no garbage collection runs while it
 * measures: heapUsed then grows by every byte allocated). For each kernel, after a warm-up long
 * enough for V8 to optimise everything, it runs every path (each transposition case, edge
 * blocks, thin products, alpha and accumulate) many times and prints one JSON line: bytes per
 * product.
 */
import { gemm } from "../src/kernels/gemm.js";
import { gemm as gemmFloat32 } from "../src/kernels/gemm-f32.generated.js";
import { gemmWasm } from "../src/kernels/wasm/gemm-wasm.js";
import { gemmWasmF32, gemmWasmFloat32 } from "../src/kernels/wasm/gemm-wasm-f32.js";
import { heapFloat32Array } from "../src/kernels/wasm/heap.js";

type Data = Float32Array | Float64Array;
type G = (tA: boolean, tB: boolean, m: number, n: number, k: number, a: never, b: never, c: never, acc: boolean, alpha: number) => void;
// [transA, transB, m, n, k, accumulate]: edge blocks (sizes not multiples of the block), thin ones, both K blocks.
// Integers only: a row holding a fraction would be an array of doubles, and every size read from
// it would be boxed when passed (the harness's allocation, not the kernel's).
const shapes = [
  [0, 0, 13, 10, 20, 0], [1, 0, 10, 13, 7, 1], [0, 1, 7, 9, 300, 0], [1, 1, 14, 6, 5, 1],
  [0, 0, 260, 16, 30, 1], [1, 0, 12, 10, 300, 0],
  [0, 0, 13, 1, 20, 0], [1, 0, 13, 1, 20, 1], [0, 1, 13, 20, 1, 0], [0, 0, 2, 30, 20, 1], [0, 0, 9, 3, 6, 0],
] as const;

// alpha as the ops hold it, a tagged heap number: kept in an array that also holds a string, V8
// stores the values tagged, so passing one to a kernel allocates nothing in this harness (taken
// from an array of doubles, each argument would be boxed at the call, the caller's allocation).
const alphas: (number | string)[] = [1, 0.25, 1 / 64, -3, 0.5, 1, 1, 0.5, 1 / 64, 1, 2, "tagged"];

const isThin = (s: (typeof shapes)[number]) => Math.min(s[2], s[3], s[4]) < 4;

function bytesPerProduct(product: G, make: (n: number) => Data, which: (s: (typeof shapes)[number]) => boolean = () => true): number {
  const a = shapes.map((s) => make(s[2] * s[4]).fill(0.5)), b = shapes.map((s) => make(s[4] * s[3]).fill(0.25)), c = shapes.map((s) => make(s[2] * s[3]));
  const step = () => {
    for (let i = 0; i < shapes.length; i++) {
      const s = shapes[i]!;
      if (!which(s)) continue;
      product(s[0] === 1, s[1] === 1, s[2], s[3], s[4], a[i] as never, b[i] as never, c[i] as never, s[5] === 1, alphas[i] as number);
    }
  };
  for (let i = 0; i < 3000; i++) step();
  // the least of three windows: an allocation per call shows in every window, V8 compiling a
  // function late (its code and feedback are heap objects too) only in one
  let least = Infinity;
  for (let window = 0; window < 3; window++) {
    globalThis.gc?.();
    const before = process.memoryUsage().heapUsed, steps = 2000;
    for (let i = 0; i < steps; i++) step();
    least = Math.min(least, (process.memoryUsage().heapUsed - before) / (steps * shapes.length));
  }
  return least / shapes.filter(which).length * shapes.length;
}

const f64 = (n: number) => new Float64Array(n), f32 = (n: number) => new Float32Array(n);
const thin = isThin, packed = (s: (typeof shapes)[number]) => !isThin(s);
// One kernel per process (the name is the first argument), as a program uses one element type:
// measured side by side in one process, V8's inlining choices for one kernel shift with the
// others' feedback, and the figures with them.
const kernels: Record<string, () => number> = {
  "gemm (TypeScript, Float64Array), packed products": () => bytesPerProduct(gemm, f64, packed),
  "gemmFloat32 (TypeScript, Float32Array), packed products": () => bytesPerProduct(gemmFloat32, f32, packed),
  "gemmWasm": () => bytesPerProduct(gemmWasm, f64),
  "gemmWasmF32": () => bytesPerProduct(gemmWasmF32, f64),
  "gemmWasmFloat32": () => bytesPerProduct(gemmWasmFloat32, f32),
  "gemmWasmFloat32, operands in the heap": () => bytesPerProduct(gemmWasmFloat32, heapFloat32Array),
  // The TypeScript kernels' thin path (plain loops for a dimension under 4: batch 1 on the js
  // backend) has measured 16-35 bytes per call in some shapes and runs, 0 in others (source not
  // found: the sampling heap profiler points into thinProduct's optimised code); run by hand.
  "gemm (TypeScript), thin products": () => bytesPerProduct(gemm, f64, thin),
  "gemmFloat32 (TypeScript), thin products": () => bytesPerProduct(gemmFloat32, f32, thin),
};
const name = process.argv[2] ?? "";
if (!(name in kernels)) throw new Error(`kernels-alloc-run: the first argument names a kernel: ${Object.keys(kernels).join("; ")}`);
console.log(JSON.stringify({ gcExposed: typeof globalThis.gc === "function", kernel: name, bytes: kernels[name]!() }));
