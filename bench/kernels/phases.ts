/**
 * Where a float32 / float64 product's time goes: copying A and B into the kernel heap, packing op(A)
 * and op(B), the micro-kernel, writing C (copyOut) and copying C back out; each phase timed alone
 * on the heap, in one process, phases alternating, median of ROUNDS (default 5) rounds.
 *
 *   node --experimental-wasm-relaxed-simd --import tsx bench/kernels/phases.ts [f32|f64]
 */
import { KC } from "../../src/kernels/gemm.js";
import { allocate, heapViews } from "../../src/kernels/wasm/heap.js";
import { kernels } from "../../src/kernels/wasm/module.js";
import { flops, median, mlpShapes, secondsPerCall, type Shape } from "./shapes.js";

const ROUNDS = Number(process.env.ROUNDS ?? 5);
const type = process.argv[2] ?? "f32";
const e = type === "f32" ? 4 : 8, w = type === "f32" ? 8 : 4;
const set = kernels()!;
const g = type === "f32" ? set.f32 : set.f64;
console.log(`${type}, ${set.variant} SIMD: microseconds per phase (median of ${ROUNDS}), and share of the sum`);

function phases(s: Shape): Record<string, () => void> {
  const { m, n, k, transA, transB } = s;
  const mPanels = (m + 3) >> 2, nPanels = Math.ceil(n / w), kBlock = Math.min(KC, k);
  const aAt = allocate(e * m * k)!, bAt = allocate(e * k * n)!, cAt = allocate(e * m * n)!;
  const pa = allocate(4 * mPanels * kBlock * e)!, pb = allocate(w * nPanels * kBlock * e)!, pc = allocate(4 * mPanels * w * nPanels * e)!;
  const v = heapViews()!, view = e === 4 ? v.f32 : v.f64;
  const src = e === 4 ? new Float32Array(m * k * 2).map(Math.random) : new Float64Array(m * k * 2).map(Math.random);
  const a = src.subarray(0, m * k), b = src.subarray(0, k * n), c = e === 4 ? new Float32Array(m * n) : new Float64Array(m * n);
  view.set(a, aAt / e); view.set(b, bAt / e);
  const ldc = w * nPanels * e;
  const cView = view.subarray(cAt / e, cAt / e + m * n);
  return {
    "copy A in": () => view.set(a, aAt / e),
    "copy B in": () => view.set(b, bAt / e),
    "pack A": () => { for (let k0 = 0; k0 < k; k0 += KC) { const kc = Math.min(KC, k - k0); if (transA) g.packRows(aAt + e * k0 * m, e * m, m, 4, kc, pa); else g.pack(aAt + e * k0, e * k, m, 4, kc, pa); } },
    "pack B": () => { for (let k0 = 0; k0 < k; k0 += KC) { const kc = Math.min(KC, k - k0); if (transB) g.pack(bAt + e * k0, e * k, n, w, kc, pb); else g.packRows(bAt + e * k0 * n, e * n, n, w, kc, pb); } },
    kernel: () => { for (let k0 = 0; k0 < k; k0 += KC) g.kernel(pa, pb, pc, mPanels, nPanels, Math.min(KC, k - k0), k0 === 0 ? 1 : 0, ldc, 1); },
    copyOut: () => g.copyOut(pc, ldc, m, n, cAt, 0, 1),
    "copy C out": () => c.set(cView),
  };
}

const all = mlpShapes.map((s) => ({ s, p: phases(s) }));
const names = Object.keys(all[0]!.p);
const samples = all.map(() => names.map(() => [] as number[]));
for (let r = 0; r < ROUNDS; r++) all.forEach(({ p }, si) => names.forEach((name, ni) => samples[si]![ni]!.push(secondsPerCall(p[name]!, 60) * 1e6)));
console.log(`| product | ${names.join(" | ")} | kernel GFLOP/s | kernel share |\n|---|${names.map(() => "---:").join("|")}|---:|---:|`);
all.forEach(({ s }, si) => {
  const med = samples[si]!.map(median), sum = med.reduce((x, y) => x + y, 0), kernel = med[names.indexOf("kernel")]!;
  console.log(`| ${s.name} | ${med.map((t) => `${t.toFixed(0)} (${(100 * t / sum).toFixed(0)}%)`).join(" | ")} | ${(flops(s) / kernel / 1e3).toFixed(1)} | ${(100 * kernel / sum).toFixed(0)}% |`);
});
