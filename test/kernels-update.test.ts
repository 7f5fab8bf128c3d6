import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { heapFloat32Array, heapFloat64Array } from "../src/kernels/wasm/heap.js";
import { adamFloat32, adamFloat64, allFiniteData, axpyFloat32, axpyFloat64, copyData, momentumFloat32, momentumFloat64 } from "../src/kernels/wasm/update.js";
import { fillRandom } from "./kernels-checks.js";

type Data = Float32Array | Float64Array;
const b1 = 0.9, b2 = 0.999, step = 1e-3 * Math.sqrt(1 - b2 ** 3) / (1 - b1 ** 3), eps = 1e-7 * Math.sqrt(1 - b2 ** 3);

/** The updates from their definitions, in float64 on copies of the inputs. */
const reference = {
  adam(w: Data, g: Data, m: Data, v: Data) {
    const W = Float64Array.from(w), M = Float64Array.from(m), V = Float64Array.from(v);
    for (let i = 0; i < W.length; i++) {
      M[i] = b1 * M[i]! + (1 - b1) * g[i]!;
      V[i] = b2 * V[i]! + (1 - b2) * g[i]! * g[i]!;
      W[i] = W[i]! - step * M[i]! / (Math.sqrt(V[i]!) + eps);
    }
    return [W, M, V];
  },
  momentum(w: Data, g: Data, v: Data) {
    const W = Float64Array.from(w), V = Float64Array.from(v);
    for (let i = 0; i < W.length; i++) {
      V[i] = 0.9 * V[i]! + g[i]!;
      W[i] = W[i]! - 0.05 * V[i]!;
    }
    return [W, V];
  },
  axpy(x: Data, out: Data) {
    return [Float64Array.from(out, (o, i) => o + -0.05 * x[i]!)];
  },
};

/** Largest difference, relative where the value is above 1 (float32 rounding of values of size 1 is absolute); 0 for equal arrays. */
function diff(got: Data[], want: Float64Array[]): number {
  let d = 0;
  got.forEach((x, j) => x.forEach((v, i) => (d = Math.max(d, Math.abs(v - want[j]![i]!) / Math.max(1, Math.abs(want[j]![i]!))))));
  return d;
}

describe.each([
  ["float32, arrays in the kernel heap (WebAssembly)", heapFloat32Array, 2e-6, { adam: adamFloat32, momentum: momentumFloat32, axpy: axpyFloat32 }],
  ["float32, ordinary arrays (TypeScript fallback)", (n: number) => new Float32Array(n), 2e-6, { adam: adamFloat32, momentum: momentumFloat32, axpy: axpyFloat32 }],
  ["float64, arrays in the kernel heap (WebAssembly)", heapFloat64Array, 0, { adam: adamFloat64, momentum: momentumFloat64, axpy: axpyFloat64 }],
  ["float64, ordinary arrays (TypeScript fallback)", (n: number) => new Float64Array(n), 0, { adam: adamFloat64, momentum: momentumFloat64, axpy: axpyFloat64 }],
] as const)("optimizer updates, %s", (_name, make, tol, f) => {
  const arrays = (n: number, seed: number) => {
    const w = fillRandom(make(n), seed), g = fillRandom(make(n), seed + 1), m = fillRandom(make(n), seed + 2), v = fillRandom(make(n), seed + 3);
    for (let i = 0; i < n; i++) v[i] = Math.abs(v[i]!); // a second moment is not negative
    return { w, g, m, v };
  };
  // every length 0..40 (vector steps and tails) and the 784-128-10 network's 100,352 weights;
  // float64 must match the definition's order of operations exactly, float32 to its rounding
  const lengths = fc.oneof(fc.integer({ min: 0, max: 40 }), fc.constant(100352));

  it("adam equals the definition", () => {
    fc.assert(fc.property(lengths, fc.nat(), (n, seed) => {
      const { w, g, m, v } = arrays(n, seed);
      const want = reference.adam(w, g, m, v);
      (f.adam as (w: Data, g: Data, m: Data, v: Data, b1: number, b2: number, s: number, e: number) => void)(w, g, m, v, b1, b2, step, eps);
      expect(diff([w, m, v], want)).toBeLessThanOrEqual(tol);
    }), { numRuns: 40 });
  });

  it("momentum equals the definition", () => {
    fc.assert(fc.property(lengths, fc.nat(), (n, seed) => {
      const { w, g, v } = arrays(n, seed);
      const want = reference.momentum(w, g, v);
      (f.momentum as (w: Data, g: Data, v: Data, beta: number, rate: number) => void)(w, g, v, 0.9, 0.05);
      expect(diff([w, v], want)).toBeLessThanOrEqual(tol);
    }), { numRuns: 40 });
  });

  it("axpy (the gradient-descent step) equals the definition", () => {
    fc.assert(fc.property(lengths, fc.nat(), (n, seed) => {
      const { w, g } = arrays(n, seed);
      const want = reference.axpy(g, w);
      (f.axpy as (x: Data, s: number, out: Data) => void)(g, -0.05, w);
      expect(diff([w], want)).toBeLessThanOrEqual(tol);
    }), { numRuns: 40 });
  });
});

describe.each([
  ["float32, arrays in the kernel heap (WebAssembly)", heapFloat32Array],
  ["float32, ordinary arrays (TypeScript fallback)", (n: number) => new Float32Array(n)],
  ["float64, arrays in the kernel heap (WebAssembly)", heapFloat64Array],
  ["float64, ordinary arrays (TypeScript fallback)", (n: number) => new Float64Array(n)],
] as const)("fit's finite check and backup copy, %s", (_name, make) => {
  const specials = [Number.NaN, Infinity, -Infinity];
  const edgy = [0, -0, 1e-310, 1e-45, -3.4e38, 3.4e38, Number.MAX_VALUE, -Number.MIN_VALUE];

  it("allFinite is false exactly when some entry is NaN or infinite, wherever it is (vector steps and tail)", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 70 }), fc.nat(), fc.nat(), fc.nat(), (n, seed, at, which) => {
      const d = fillRandom(make(n), seed);
      for (let i = 0; i < n; i += 3) d[i] = edgy[(i + seed) % edgy.length]!; // finite extremes, -0, subnormals
      const finite = Array.from(d).every(Number.isFinite); // float32 rounds MAX_VALUE to Infinity
      expect(allFiniteData(d)).toBe(finite);
      if (n === 0) return;
      d[at % n] = specials[which % 3]!;
      expect(allFiniteData(d)).toBe(false);
    }));
    const big = fillRandom(make(100352), 5);
    expect(allFiniteData(big)).toBe(true);
    big[100351] = Number.NaN;
    expect(allFiniteData(big)).toBe(false);
  });

  it("copyData copies every entry bit for bit (NaN payloads aside), the arrays' neighbours untouched", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 70 }), fc.nat(), (n, seed) => {
      const src = fillRandom(make(n), seed), dst = make(n + 2).subarray(1, n + 1), guard = dst.constructor === Float32Array ? new Float32Array(dst.buffer, dst.byteOffset - 4, n + 2) : new Float64Array(dst.buffer, dst.byteOffset - 8, n + 2);
      guard[0] = 7; guard[n + 1] = 9;
      copyData(src, dst);
      expect(Array.from(dst)).toEqual(Array.from(src));
      expect([guard[0], guard[n + 1]]).toEqual([7, 9]);
    }));
  });

  it("copyData between element types converts each value (never copies the bytes as they are)", () => {
    const src = fillRandom(make(8), 3), other = src instanceof Float32Array ? heapFloat64Array(8) : heapFloat32Array(8);
    copyData(src, other);
    expect(Array.from(other)).toEqual(Array.from(src, (v) => (other instanceof Float32Array ? Math.fround(v) : v)));
    // the same bytes but not the same numbers (8 float32 = 4 float64): refused, not copied byte for byte
    const half = src instanceof Float32Array ? heapFloat64Array(4) : heapFloat32Array(16);
    expect(() => copyData(src, half)).toThrow("copyData expects arrays of one length, got 8 and");
  });
});
