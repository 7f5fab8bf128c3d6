/**
 * The ReLU steps in WebAssembly SIMD (src/kernels/wasm/relu.ts, relu-f32.wat, relu-f64.wat) against
 * the TypeScript loops of src/nn/activations/relu.ts (run on ordinary copies, which the kernels do
 * not take) and against naive loops written from the definition: equal bit for bit, on random data
 * with zeros, -0, NaN and infinities mixed in, odd lengths, both element types.
 */
import { describe, expect, it } from "vitest";
import { heapFloat32Array, heapFloat64Array, isResident } from "../src/kernels/wasm/heap.js";
import { reluAddBiasThenF, reluTimesDerivative } from "../src/kernels/wasm/relu.js";
import { relu } from "../src/nn/activations/relu.js";
import { fillRandom } from "./kernels-checks.js";

type Data = Float32Array | Float64Array;
const specials = [0, -0, NaN, Infinity, -Infinity, 1e-45, -1e-45];

/** Random values in [-1, 1) with about one in eight replaced by a special value. */
function data(make: (n: number) => Data, n: number, seed: number): Data {
  const x = fillRandom(make(n), seed);
  for (let i = seed % 5; i < n; i += 8) x[i] = specials[(i + seed) % specials.length]!;
  return x;
}

/** Same bits where numbers, NaN where NaN (a NaN's payload is the engine's business). */
function expectSame(got: Data, want: ArrayLike<number>): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < got.length; i++) {
    const g = got[i]!, w = want[i]!;
    if (Number.isNaN(w)) expect(Number.isNaN(g), `entry ${i}`).toBe(true);
    else expect(Object.is(g, w), `entry ${i}: ${g} vs ${w}`).toBe(true);
  }
}

const copy = (x: Data): Data => (x instanceof Float32Array ? Float32Array.from(x) : Float64Array.from(x));
const round = (x: Data) => (v: number) => (x instanceof Float32Array ? Math.fround(v) : v);

describe.each([
  ["float64", heapFloat64Array],
  ["float32", heapFloat32Array],
] as const)("ReLU steps in WebAssembly, %s", (_name, make) => {
  const shapes: [number, number][] = [[1, 1], [1, 3], [3, 1], [7, 7], [3, 1001], [1001, 1], [128, 64], [10, 63]];

  it("the arrays are in the kernel heap (else these tests would test the TypeScript loops twice)", () => {
    expect(isResident(make(4))).toBe(true);
  });

  it.each(shapes)("addBiasThenF %i x %i equals the TypeScript loop and the definition", (rows, cols) => {
    for (const seed of [1, 2, 3]) {
      const z = data(make, rows * cols, seed), bias = data(make, rows, seed + 10), a = make(rows * cols);
      const z0 = copy(z), a0 = copy(a), b0 = copy(bias);
      const r = round(z);
      const zWant = Array.from(z, (v, k) => r(v + bias[Math.floor(k / cols)]!));
      const aWant = zWant.map((v) => (v < 0 ? 0 : v)); // max(0, z) that keeps NaN and -0
      expect(reluAddBiasThenF(z, rows, cols, bias, a)).toBe(true);
      relu.addBiasThenF!(z0, rows, cols, b0, a0); // ordinary arrays: the TypeScript loop
      expectSame(z, z0); expectSame(a, a0);
      expectSame(z, zWant); expectSame(a, aWant);
    }
  });

  it.each([1, 3, 7, 1001, 8192])("timesDerivative over %i entries equals the TypeScript loop and the definition", (n) => {
    for (const seed of [1, 2, 3]) {
      const z = data(make, n, seed), g = data(make, n, seed + 20);
      const z0 = copy(z), g0 = copy(g);
      const gWant = Array.from(g, (v, i) => (z[i]! > 0 ? v : Number.isNaN(z[i]!) ? NaN : 0));
      expect(reluTimesDerivative(z, g)).toBe(true);
      relu.timesDerivative!(z0, z0, g0);
      expectSame(g, g0); expectSame(g, gWant);
    }
  });

  it("a NaN z propagates: addBiasThenF gives NaN z and a, timesDerivative a NaN delta (never a plausible 0)", () => {
    for (const n of [1, 3, 8]) {
      const z = make(n).fill(NaN), bias = make(1).fill(0.5), a = make(n), g = make(n).fill(2);
      relu.addBiasThenF!(z, 1, n, bias, a);
      relu.timesDerivative!(z, a, g);
      for (const x of [z, a, g]) expect(Array.from(x).every(Number.isNaN)).toBe(true);
    }
  });

  it("the network's call goes to WebAssembly on heap arrays and to the loop elsewhere, with the same result", () => {
    const n = 1001, z = data(make, n, 5), g = data(make, n, 6);
    const plain = [copy(z), copy(g)] as const;
    relu.timesDerivative!(z, z, g);
    relu.timesDerivative!(plain[0], plain[0], plain[1]);
    expect(isResident(g)).toBe(true);
    expect(isResident(plain[1])).toBe(false);
    expectSame(g, plain[1]);
  });

  it("declines (returns false, touches nothing) arrays it cannot take: not resident, mixed types, lengths that differ", () => {
    const other = make === heapFloat64Array ? heapFloat32Array : heapFloat64Array;
    const z = data(make, 6, 1), g = data(make, 6, 2), g0 = copy(g);
    expect(reluTimesDerivative(copy(z), g)).toBe(false);
    expect(reluTimesDerivative(z, other(6))).toBe(false);
    expect(reluTimesDerivative(z, make(5))).toBe(false);
    expect(reluAddBiasThenF(z, 2, 3, make(3), g)).toBe(false); // bias of 3 for 2 rows
    expect(reluAddBiasThenF(z, 2, 3, make(2), make(5))).toBe(false);
    expect(reluAddBiasThenF(z, 2, 3, other(2), g)).toBe(false);
    expectSame(g, g0);
  });
});
