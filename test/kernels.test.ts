import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { gemm } from "../src/kernels/gemm.js";
import { addScaledInto, allFinite } from "../src/kernels/elementwise.js";
import { setWasmMemoryLimit } from "../src/kernels/wasm/driver.js";
import { gemmWasm } from "../src/kernels/wasm/gemm-wasm.js";
import { gemmWasmF32 } from "../src/kernels/wasm/gemm-wasm-f32.js";
import { naiveMatmul, naiveTranspose, maxDiff, randomRows, type Rows } from "./helpers.js";

const flat = (r: Rows) => Float64Array.from(r.flat());
const unflat = (d: Float64Array, rows: number, cols: number): Rows =>
  Array.from({ length: rows }, (_, i) => Array.from(d.subarray(i * cols, (i + 1) * cols)));

// Tolerance per inner step: float64 kernels to rounding; the float32 kernel to float32 rounding.
describe.each([["TypeScript", gemm, 1e-12], ["WebAssembly SIMD", gemmWasm, 1e-12], ["WebAssembly SIMD float32", gemmWasmF32, 1e-6]] as const)("gemm, %s kernel (packed, register-blocked)", (_name, gemm, tol) => {
  it("equals the naive triple loop for all four transposition cases on random shapes, writing or accumulating, scaled or not", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 37 }), fc.integer({ min: 1, max: 37 }), fc.integer({ min: 1, max: 600 }),
        fc.boolean(), fc.boolean(), fc.boolean(), fc.constantFrom(1, 0.25, -3), fc.integer(),
        (m, n, k, tA, tB, accumulate, alpha, seed) => {
          const a = randomRows(m, k, seed), b = randomRows(k, n, seed + 1); // sizes under 4 take the thin path, the rest the packed one
          const before = randomRows(m, n, seed + 2);
          const want = naiveMatmul(a, b).map((row, i) => row.map((v, j) => alpha * v + (accumulate ? before[i]![j]! : 0)));
          const c = flat(before);
          gemm(tA, tB, m, n, k, flat(tA ? naiveTranspose(a) : a), flat(tB ? naiveTranspose(b) : b), c, accumulate, alpha);
          expect(maxDiff(unflat(c, m, n), want)).toBeLessThan(3 * tol * k);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("stays right above the WebAssembly memory limit (the TypeScript kernel takes over) and below it again", () => {
    const previous = setWasmMemoryLimit(64 * 1024);
    try {
      for (const [m, n, k] of [[40, 50, 60], [120, 130, 140], [5, 6, 7]] as const) {
        const a = randomRows(m, k, m + 1), b = randomRows(k, n, n + 1);
        const c = new Float64Array(m * n);
        gemm(true, false, m, n, k, flat(naiveTranspose(a)), flat(b), c);
        expect(maxDiff(unflat(c, m, n), naiveMatmul(a, b))).toBeLessThan(tol * k);
      }
    } finally {
      setWasmMemoryLimit(previous);
    }
  });

  it("stays right when a larger product grows the kernel's memory between two small ones", () => {
    for (const [m, n, k] of [[6, 5, 7], [300, 290, 310], [9, 11, 13]] as const) {
      const a = randomRows(m, k, m), b = randomRows(k, n, n);
      const c = new Float64Array(m * n);
      gemm(false, true, m, n, k, flat(a), flat(naiveTranspose(b)), c);
      expect(maxDiff(unflat(c, m, n), naiveMatmul(a, b))).toBeLessThan(tol * k);
    }
  });

  it("accumulates into C when asked (C += AB)", () => {
    const a = randomRows(5, 300, 1), b = randomRows(300, 6, 2);
    const c = new Float64Array(30).fill(1);
    gemm(false, false, 5, 6, 300, flat(a), flat(b), c, true);
    const want = naiveMatmul(a, b).map((r) => r.map((v) => v + 1));
    expect(maxDiff(unflat(c, 5, 6), want)).toBeLessThan(tol * 300);
  });

  it("overwrites C (no leftovers from a previous product) across K blocks", () => {
    const a = randomRows(9, 700, 3), b = randomRows(700, 9, 4);
    const c = new Float64Array(81).fill(123);
    gemm(false, false, 9, 9, 700, flat(a), flat(b), c);
    expect(maxDiff(unflat(c, 9, 9), naiveMatmul(a, b))).toBeLessThan(tol * 700);
  });
});

describe("allFinite (the finiteness check of inputs and gradients)", () => {
  it("is false exactly when some entry is NaN or infinite, wherever it sits (the 4-way loop and its tail)", () => {
    fc.assert(fc.property(
      fc.integer({ min: 0, max: 23 }), fc.nat(), fc.constantFrom(Number.NaN, Infinity, -Infinity, 1e308, -0, 5e-324),
      (length, at, bad) => {
        const d = Float64Array.from({ length }, (_, i) => Math.sin(i) * 1e300);
        const naive = (x: Float64Array) => x.every((v) => Number.isFinite(v));
        expect(allFinite(d)).toBe(true);
        if (length > 0) d[at % length] = bad;
        expect(allFinite(d)).toBe(naive(d));
      },
    ), { numRuns: 300 });
  });
});

describe("addScaledInto (the gradient-descent update, four entries per iteration)", () => {
  it("equals out[i] + s x[i] entry by entry for every length (the unrolled loop and its tail)", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 23 }), fc.double({ min: -10, max: 10, noNaN: true }), fc.integer(), (length, s, seed) => {
      const x = Float64Array.from(randomRows(1, length, seed)[0] ?? []), out = Float64Array.from(randomRows(1, length, seed + 1)[0] ?? []);
      const want = Array.from(out, (v, i) => v + s * x[i]!);
      addScaledInto(x, s, out);
      expect(Array.from(out)).toEqual(want);
    }), { numRuns: 200 });
  });
});

describe("kernel backends", () => {
  it("auto picks the WebAssembly SIMD kernel on this runtime (Node 20 has SIMD); js stays available", async () => {
    const { setBackend, getBackend } = await import("../src/index.js");
    expect(setBackend("auto")).toBe("wasm");
    expect(setBackend("js")).toBe("js");
    expect(getBackend()).toBe("js");
    expect(setBackend("wasm-f32")).toBe("wasm-f32");
    expect(() => setBackend("gpu" as never)).toThrow('setBackend expects "js", "wasm", "wasm-f32" or "auto", got gpu');
    setBackend("auto");
  });
});
