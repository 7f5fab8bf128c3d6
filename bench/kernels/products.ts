/**
 * GFLOP/s of the kernels on the shapes, implementations alternating within each round
 * (one process), min/median/max over ROUNDS rounds (default 5), each sample timed over 150 ms.
 *
 *   node --experimental-wasm-relaxed-simd --import tsx bench/kernels/products.ts [mlp|batch1|pass] [impl,impl,...]
 *
 * Implementations: js64 (gemm.ts), js32 (gemm.ts on Float32Array), wasm64, wasm64r (float64,
 * plain / relaxed SIMD), f32 / f32r (gemmWasmFloat32 plain / relaxed, ordinary arrays), f32rh
 * (relaxed, operands in the kernel heap), f32h (plain, heap), micro / micror (the f32 micro-kernel
 * alone on packed panels: the ceiling), f32p / f32rp / f32hp / f32rhp (the same f32 products
 * with op(A) packed rather than read in place and A copied whole: setReadInPlace(false)), and with BEFORE=/path/to/an/older/checkout: old-f32 and
 * old-f64 (that checkout's wasm-f32 and wasm backends, on Float64Array).
 */
import { pathToFileURL } from "node:url";
import { KC } from "../../src/kernels/gemm.js";
import { gemm } from "../../src/kernels/gemm.js";
import { gemm as gemmFloat32 } from "../../src/kernels/gemm-f32.generated.js";
import { gemmWasm } from "../../src/kernels/wasm/gemm-wasm.js";
import { gemmWasmFloat32 } from "../../src/kernels/wasm/gemm-wasm-f32.js";
import { setReadInPlace } from "../../src/kernels/wasm/driver.js";
import { allocate, heapFloat32Array, heapFloat64Array, heapViews } from "../../src/kernels/wasm/heap.js";
import { kernels, relaxedSimdAvailable, setSimdVariant, type SimdVariant } from "../../src/kernels/wasm/module.js";
import { batch1Shapes, flops, median, mlpShapes, passShapes, range, secondsPerCall, sizeA, sizeB, type Shape } from "./shapes.js";

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const group = process.argv[2] ?? "mlp";
const shapes = group === "batch1" ? batch1Shapes : group === "pass" ? passShapes([784, 1024, 1024, 10], 64) : mlpShapes;
const wanted = (process.argv[3] ?? "js64,js32,wasm64,wasm64r,f32,f32r,f32rh,micror").split(",");

type Run = () => void;
type Maker = (s: Shape) => Run;
type G<T> = (tA: boolean, tB: boolean, m: number, n: number, k: number, a: T, b: T, c: T, acc: boolean, alpha: number) => void;

/** Random values written in place (TypedArray.map would return a new, ordinary array, not one in the heap). */
function random<T extends Float32Array | Float64Array>(x: T): T {
  for (let i = 0; i < x.length; i++) x[i] = Math.random();
  return x;
}

function with32(f: G<Float32Array>, make: (n: number) => Float32Array, variant?: SimdVariant): Maker {
  return (s) => {
    const a = random(make(sizeA(s))), b = random(make(sizeB(s))), c = make(s.m * s.n);
    return () => {
      if (variant) setSimdVariant(variant);
      f(s.transA, s.transB, s.m, s.n, s.k, a, b, c, false, 1);
    };
  };
}
/** The same, op(A) packed and A copied whole as before kernelInPlace (setReadInPlace(false)), for A/B runs. */
function packed32(make: (n: number) => Float32Array, variant: SimdVariant): Maker {
  return (s) => {
    const run = with32(gemmWasmFloat32, make, variant)(s);
    return () => {
      setReadInPlace(false);
      run();
      setReadInPlace(true);
    };
  };
}
function with64(f: G<Float64Array>, make: (n: number) => Float64Array, variant?: SimdVariant): Maker {
  return (s) => {
    const a = random(make(sizeA(s))), b = random(make(sizeB(s))), c = make(s.m * s.n);
    return () => {
      if (variant) setSimdVariant(variant);
      f(s.transA, s.transB, s.m, s.n, s.k, a, b, c, false, 1);
    };
  };
}
/** The f32 micro-kernel alone on panels already packed in the heap, over the driver's K blocks. */
function micro(variant: SimdVariant): Maker {
  return (s) => {
    const mPanels = Math.ceil(s.m / 4), nPanels = Math.ceil(s.n / 8), kBlock = Math.min(KC, s.k);
    const pb = 16 * mPanels * kBlock, pc = pb + 32 * nPanels * kBlock;
    const pa = allocate(pc + 128 * mPanels * nPanels)!;
    heapViews()!.f32.subarray(pa / 4, (pa + pc) / 4).fill(0.5);
    return () => {
      const g = kernels()!.f32;
      setSimdVariant(variant);
      for (let k0 = 0; k0 < s.k; k0 += KC) g.kernel(pa, pa + pb, pa + pc, mPanels, nPanels, Math.min(KC, s.k - k0), k0 === 0 ? 1 : 0, 32 * nPanels, 1);
    };
  };
}

const f32 = (n: number) => new Float32Array(n), f64 = (n: number) => new Float64Array(n);
const makers: Record<string, Maker> = {
  js64: with64(gemm, f64), js32: with32(gemmFloat32, f32),
  wasm64: with64(gemmWasm, f64, "plain"), wasm64r: with64(gemmWasm, f64, "relaxed"), wasm64rh: with64(gemmWasm, heapFloat64Array, "relaxed"),
  f32: with32(gemmWasmFloat32, f32, "plain"), f32r: with32(gemmWasmFloat32, f32, "relaxed"),
  f32h: with32(gemmWasmFloat32, heapFloat32Array, "plain"), f32rh: with32(gemmWasmFloat32, heapFloat32Array, "relaxed"),
  micro: micro("plain"), micror: micro("relaxed"),
  f32p: packed32(f32, "plain"), f32rp: packed32(f32, "relaxed"), f32hp: packed32(heapFloat32Array, "plain"), f32rhp: packed32(heapFloat32Array, "relaxed"),
};
if (wanted.includes("tfjs")) {
  // TensorFlow.js 4.22's wasm backend (XNNPACK, SIMD, one thread), the issue's reference; its
  // products include reading the result back (dataSync), as a caller needs it.
  const tf = await import("../tf.js");
  await tf.useBackend("wasm");
  makers.tfjs = (s) => {
    const [ar, ac] = s.transA ? [s.k, s.m] : [s.m, s.k], [br, bc] = s.transB ? [s.n, s.k] : [s.k, s.n];
    return tf.tfMatmul(ar, ac, br, bc, s.transA, s.transB).run;
  };
}
if (process.env.BEFORE) {
  const url = (p: string) => pathToFileURL(`${process.env.BEFORE}/src/kernels/${p}`).href;
  const old32 = (await import(url("wasm/gemm-wasm-f32.ts"))) as { gemmWasmF32: G<Float64Array> };
  const old64 = (await import(url("wasm/gemm-wasm.ts"))) as { gemmWasm: G<Float64Array> };
  const oldJs = (await import(url("gemm.ts"))) as { gemm: G<Float64Array> };
  makers["old-f32"] = with64(old32.gemmWasmF32, f64);
  makers["old-f64"] = with64(old64.gemmWasm, f64);
  makers["old-js"] = with64(oldJs.gemm, f64);
}
const impls = wanted.filter((w) => makers[w] && (relaxedSimdAvailable() || !/r(h)?$|micror/.test(w)));

console.log(`${group}: ${impls.join(", ")}; ${ROUNDS} rounds, GFLOP/s min/median/max; relaxed SIMD ${relaxedSimdAvailable() ? "on" : "off"}`);
const runs = shapes.map((s) => impls.map((i) => makers[i]!(s)));
for (const r of runs.flat()) secondsPerCall(r, 60);
const samples = runs.map((r) => r.map(() => [] as number[]));
for (let round = 0; round < ROUNDS; round++) {
  shapes.forEach((s, si) => runs[si]!.forEach((run, ii) => samples[si]![ii]!.push(flops(s) / secondsPerCall(run) / 1e9)));
}
console.log(`| product | ${impls.join(" | ")} |\n|---|${impls.map(() => "---:").join("|")}|`);
shapes.forEach((s, si) => console.log(`| ${s.name} | ${samples[si]!.map((xs) => range(xs)).join(" | ")} |`));
const medians = impls.map((_, ii) => shapes.map((_, si) => median(samples[si]![ii]!)));
console.log(`| lowest median | ${medians.map((m) => Math.min(...m).toFixed(1)).join(" | ")} |`);
