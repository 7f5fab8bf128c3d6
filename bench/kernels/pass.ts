/**
 * The products of one training step (forward W a, backward W^T delta except the input layer's, and
 * delta a^T with alpha = 1/batch), run back to back: operands copied into the kernel heap per
 * product ("copied") against operands living in it ("heap", read and written in place). One process,
 * alternating, milliseconds per step min/median/max over ROUNDS (default 7) rounds.
 *
 *   node --experimental-wasm-relaxed-simd --import tsx bench/kernels/pass.ts
 */
import { gemmWasm } from "../../src/kernels/wasm/gemm-wasm.js";
import { gemmWasmFloat32 } from "../../src/kernels/wasm/gemm-wasm-f32.js";
import { heapFloat32Array, heapFloat64Array } from "../../src/kernels/wasm/heap.js";
import { kernels } from "../../src/kernels/wasm/module.js";
import { flops, median, passShapes, secondsPerCall, sizeA, sizeB } from "./shapes.js";

const ROUNDS = Number(process.env.ROUNDS ?? 7);
type Data = Float32Array | Float64Array;
type G<T> = (tA: boolean, tB: boolean, m: number, n: number, k: number, a: T, b: T, c: T, acc: boolean, alpha: number) => void;

function step<T extends Data>(sizes: number[], batch: number, make: (n: number) => T, product: G<T>): () => void {
  const shapes = passShapes(sizes, batch);
  const ops = shapes.map((s) => ({ s, a: make(sizeA(s)).fill(0.01) as T, b: make(sizeB(s)).fill(0.02) as T, c: make(s.m * s.n) }));
  return () => {
    for (const { s, a, b, c } of ops) product(s.transA, s.transB, s.m, s.n, s.k, a, b, c, false, s.transB ? 1 / batch : 1);
  };
}

console.log(`one step's products, ms min/median/max over ${ROUNDS} rounds, ${kernels()!.variant} SIMD`);
const f32 = (n: number) => new Float32Array(n), f64 = (n: number) => new Float64Array(n);
for (const [sizes, batch] of [[[784, 128, 10], 64], [[784, 1024, 1024, 10], 64], [[784, 1024, 1024, 10], 256]] as const) {
  const work = passShapes([...sizes], batch).reduce((s, x) => s + flops(x), 0);
  const impls: [string, () => void][] = [
    ["f32 copied", step([...sizes], batch, f32, gemmWasmFloat32)], ["f32 heap", step([...sizes], batch, heapFloat32Array, gemmWasmFloat32)],
    ["f64 copied", step([...sizes], batch, f64, gemmWasm)], ["f64 heap", step([...sizes], batch, heapFloat64Array, gemmWasm)],
  ];
  const samples = impls.map(() => [] as number[]);
  for (const [, run] of impls) secondsPerCall(run, 100);
  for (let r = 0; r < ROUNDS; r++) impls.forEach(([, run], i) => samples[i]!.push(secondsPerCall(run, 200) * 1e3));
  console.log(`\n${sizes.join("-")}, batch ${batch} (${(work / 1e6).toFixed(0)} MFLOP):\n| impl | ms min/median/max | GFLOP/s (median) | copied / heap |\n|---|---:|---:|---:|`);
  impls.forEach(([name], i) => {
    const xs = samples[i]!, partner = samples[i % 2 === 0 ? i + 1 : i]!;
    const ratio = i % 2 === 0 ? `${(median(xs) / median(partner)).toFixed(2)}x` : "";
    console.log(`| ${name} | ${Math.min(...xs).toFixed(2)}/${median(xs).toFixed(2)}/${Math.max(...xs).toFixed(2)} | ${(work / (median(xs) / 1e3) / 1e9).toFixed(1)} | ${ratio} |`);
  });
}
