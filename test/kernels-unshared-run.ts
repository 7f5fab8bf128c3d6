/**
 * The kernels where the heap's memory cannot be shared (a browser page that is not cross-origin
 * isolated has no SharedArrayBuffer): run by kernels-heap.test.ts in a child node, which deletes
 * the SharedArrayBuffer global before loading the kernels (`--no-harmony-sharedarraybuffer` would
 * do the same, but tsx's loader needs it). The heap is then an ordinary memory, which detaches its
 * views when it grows, so it hands out no arrays and every product copies its operands in. Prints
 * one line per check and exits with 1 at the first failure.
 */
import { checkBatchOne, checkLarge, checkRandomShapes, checkThinShapes, checkWholeBlocks } from "./kernels-checks.js";

Reflect.deleteProperty(globalThis, "SharedArrayBuffer");
const { gemmWasm } = await import("../src/kernels/wasm/gemm-wasm.js");
const { gemmWasmF32, gemmWasmFloat32 } = await import("../src/kernels/wasm/gemm-wasm-f32.js");
const { heapFloat32Array, heapFloat64Array, heapIsShared, isResident } = await import("../src/kernels/wasm/heap.js");
const { adamFloat32 } = await import("../src/kernels/wasm/update.js");
const { relu } = await import("../src/nn/activations/relu.js");
const { reluAddBiasThenF } = await import("../src/kernels/wasm/relu.js");
const { sumColumnsInto } = await import("../src/kernels/elementwise.js");

const f32 = (n: number) => new Float32Array(n), f64 = (n: number) => new Float64Array(n);
const checks: [string, () => void][] = [
  ["no shared memory", () => {
    if (typeof SharedArrayBuffer !== "undefined") throw new Error("SharedArrayBuffer exists");
    if (heapIsShared()) throw new Error("the heap is shared");
    const x = heapFloat32Array(5);
    if (isResident(x) || x.length !== 5) throw new Error("heapFloat32Array did not return an ordinary array");
  }],
  ["gemmWasmFloat32", () => {
    checkRandomShapes(gemmWasmFloat32, [f32, heapFloat32Array], 1e-6, 100);
    checkWholeBlocks(gemmWasmFloat32, [f32], 1e-6);
    checkLarge(gemmWasmFloat32, [f32], 1e-6);
    checkThinShapes(gemmWasmFloat32, [f32], 1e-6, 100);
    checkBatchOne(gemmWasmFloat32, [f32], 1e-6);
  }],
  ["gemmWasm", () => {
    checkRandomShapes(gemmWasm, [f64, heapFloat64Array], 1e-12, 100);
    checkLarge(gemmWasm, [f64], 1e-12);
    checkThinShapes(gemmWasm, [f64], 1e-12, 100);
  }],
  ["gemmWasmF32", () => checkRandomShapes(gemmWasmF32, [f64], 1e-6, 100)],
  ["adamFloat32 falls back to the loop", () => {
    const w = Float32Array.of(1, 2), g = Float32Array.of(0.5, -0.5), m = new Float32Array(2), v = new Float32Array(2);
    adamFloat32(w, g, m, v, 0.9, 0.999, 0.1, 1e-7);
    if (!(w[0]! < 1 && w[1]! > 2 && m[0]! !== 0)) throw new Error(`adam did not update: ${w.join()}`);
  }],
  ["the ReLU steps and row sums fall back to the loops", () => {
    const z = heapFloat64Array(3), b = heapFloat64Array(1), a = heapFloat64Array(3), g = heapFloat64Array(3), s = heapFloat64Array(1);
    z.set([-1, 2, NaN]); b[0] = 0.5; g.fill(3);
    if (reluAddBiasThenF(z, 1, 3, b, a)) throw new Error("the WebAssembly ReLU took ordinary arrays");
    relu.addBiasThenF!(z, 1, 3, b, a);
    relu.timesDerivative!(z, a, g);
    sumColumnsInto(z, 1, 3, s);
    const got = [...z, ...a, ...g, ...s].join();
    if (got !== "-0.5,2.5,NaN,0,2.5,NaN,0,3,NaN,NaN") throw new Error(`got ${got}`);
  }],
];

for (const [name, check] of checks) {
  try {
    check();
    console.log(`ok ${name}`);
  } catch (error) {
    console.log(`FAILED ${name}: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
