/**
 * The kernel checks with the relaxed-SIMD modules forced, run by kernels-relaxed.test.ts in a child
 * `node --experimental-wasm-relaxed-simd` (Node 20 validates relaxed SIMD only with that flag).
 * Prints one line per check and exits with 1 at the first failure.
 */
import { gemmWasm } from "../src/kernels/wasm/gemm-wasm.js";
import { gemmWasmF32, gemmWasmFloat32 } from "../src/kernels/wasm/gemm-wasm-f32.js";
import { heapFloat32Array, heapFloat64Array } from "../src/kernels/wasm/heap.js";
import { setSimdVariant, type SimdVariant } from "../src/kernels/wasm/module.js";
import { checkAgree, checkBatchOne, checkEmpty, checkRandomShapes, checkThinShapes, checkWholeBlocks, checkLarge, checkInPlaceRows } from "./kernels-checks.js";

const f32 = (n: number) => new Float32Array(n), f64 = (n: number) => new Float64Array(n);
const F32 = 1e-6, F64 = 1e-12;

const checks: [string, () => void][] = [
  ["variant", () => { if (setSimdVariant("relaxed") !== "relaxed") throw new Error("the relaxed kernels did not load"); }],
  ["gemmWasmFloat32 random shapes", () => checkRandomShapes(gemmWasmFloat32, [f32, heapFloat32Array], F32)],
  ["gemmWasmFloat32 whole blocks", () => checkWholeBlocks(gemmWasmFloat32, [f32, heapFloat32Array], F32)],
  ["gemmWasmFloat32 several row and K blocks", () => checkLarge(gemmWasmFloat32, [f32, heapFloat32Array], F32)],
  ["gemmWasmFloat32 A in place or copied by blocks", () => checkInPlaceRows(gemmWasmFloat32, [f32, heapFloat32Array], F32)],
  ["gemmWasmFloat32 thin shapes", () => checkThinShapes(gemmWasmFloat32, [f32, heapFloat32Array], F32)],
  ["gemmWasmFloat32 batch 1", () => checkBatchOne(gemmWasmFloat32, [f32, heapFloat32Array], F32)],
  ["gemmWasm (float64)", () => {
    checkRandomShapes(gemmWasm, [f64, heapFloat64Array], F64, 100);
    checkThinShapes(gemmWasm, [f64, heapFloat64Array], F64, 100);
    checkWholeBlocks(gemmWasm, [f64, heapFloat64Array], F64);
    checkLarge(gemmWasm, [f64, heapFloat64Array], F64);
    checkBatchOne(gemmWasm, [f64], F64);
  }],
  ["gemmWasmF32 (float64 data)", () => checkRandomShapes(gemmWasmF32, [f64, heapFloat64Array], F32, 100)],
  ["k = 0", () => { checkEmpty(gemmWasmFloat32, f32); checkEmpty(gemmWasm, f64); }],
  ["relaxed agrees with plain", () => {
    const run = (v: SimdVariant): typeof gemmWasmFloat32 => (...args) => { setSimdVariant(v); gemmWasmFloat32(...args); };
    checkAgree(run("plain"), run("relaxed"), f32, F32);
    const run64 = (v: SimdVariant): typeof gemmWasm => (...args) => { setSimdVariant(v); gemmWasm(...args); };
    checkAgree(run64("plain"), run64("relaxed"), f64, F64);
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
