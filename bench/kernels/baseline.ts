/** The kernels as they were before this work (gemm js, gemmWasm, gemmWasmF32 on Float64Array): GFLOP/s min/median/max. */
import { gemm } from "../../src/kernels/gemm.js";
import { gemmWasm } from "../../src/kernels/wasm/gemm-wasm.js";
import { gemmWasmF32 } from "../../src/kernels/wasm/gemm-wasm-f32.js";
import { batch1Shapes, flops, mlpShapes, range, secondsPerCall, sizeA, sizeB, type Shape } from "./shapes.js";

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const kernels = { js: gemm, wasm: gemmWasm, "wasm-f32": gemmWasmF32 };
const run = (f: typeof gemm, s: Shape) => {
  const a = Float64Array.from({ length: sizeA(s) }, Math.random), b = Float64Array.from({ length: sizeB(s) }, Math.random);
  const c = new Float64Array(s.m * s.n);
  return () => f(s.transA, s.transB, s.m, s.n, s.k, a, b, c, false, 1);
};
for (const s of [...mlpShapes, ...batch1Shapes]) {
  const cells: string[] = [];
  for (const [name, f] of Object.entries(kernels)) {
    const r = run(f, s);
    const xs: number[] = [];
    for (let i = 0; i < ROUNDS; i++) xs.push(flops(s) / secondsPerCall(r) / 1e9);
    cells.push(`${name} ${range(xs)}`);
  }
  console.log(`${s.name.padEnd(34)} ${cells.join("  ")}`);
}
