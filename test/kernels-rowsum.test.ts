/**
 * Row sums in WebAssembly SIMD (src/kernels/wasm/rowsum.ts, rowsum-f32.wat, rowsum-f64.wat), as
 * `sumColumnsInto` uses them on heap arrays (the bias gradient's sum over the batch), against the
 * same call on ordinary copies (the TypeScript loop) and a naive sum from the definition (float64,
 * j = 0 upwards, rounded once for float32): equal bit for bit, odd shapes, both element types.
 */
import { describe, expect, it } from "vitest";
import { sumColumnsInto } from "../src/kernels/elementwise.js";
import { heapFloat32Array, heapFloat64Array, isResident } from "../src/kernels/wasm/heap.js";
import { sumRowsResident } from "../src/kernels/wasm/rowsum.js";
import { fillRandom } from "./kernels-checks.js";

type Data = Float32Array | Float64Array;
const copy = (x: Data): Data => (x instanceof Float32Array ? Float32Array.from(x) : Float64Array.from(x));

function definition(m: Data, rows: number, cols: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = 0; j < cols; j++) s += m[i * cols + j]!;
    out.push(m instanceof Float32Array ? Math.fround(s) : s);
  }
  return out;
}

function expectSame(got: Data, want: ArrayLike<number>): void {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < got.length; i++) {
    if (Number.isNaN(want[i]!)) expect(Number.isNaN(got[i]!), `row ${i}`).toBe(true);
    else expect(Object.is(got[i]!, want[i]!), `row ${i}: ${got[i]} vs ${want[i]}`).toBe(true);
  }
}

describe.each([
  ["float64", heapFloat64Array],
  ["float32", heapFloat32Array],
] as const)("row sums in WebAssembly, %s", (_name, make) => {
  const sizes = [1, 3, 7, 64, 1001];
  const shapes = sizes.flatMap((r) => sizes.map((c) => [r, c] as [number, number])).filter(([r, c]) => r * c <= 70_000);

  it.each(shapes)("%i x %i equals the TypeScript loop and the definition", (rows, cols) => {
    for (const seed of [1, 2]) {
      // values of very different sizes, so that a sum in another order would round differently
      const m = fillRandom(make(rows * cols), seed);
      for (let k = 0; k < m.length; k += 3) m[k] = m[k]! * 1e8;
      const out = make(rows), out0 = make(rows).fill(5), plain = copy(out0);
      expect(sumRowsResident(m, rows, cols, out)).toBe(true);
      sumColumnsInto(copy(m), rows, cols, plain); // ordinary arrays: the TypeScript loop
      sumColumnsInto(m, rows, cols, out0); //        heap arrays: through WebAssembly
      expect(isResident(out0)).toBe(true);
      expectSame(out, plain); expectSame(out0, plain);
      expectSame(out, definition(m, rows, cols));
    }
  });

  it("NaN and infinities reach the sum of their row only", () => {
    const m = make(5 * 3).fill(1);
    m[4] = NaN; m[9] = Infinity;
    const out = make(5);
    sumColumnsInto(m, 5, 3, out);
    expectSame(out, [3, NaN, 3, Infinity, 3]);
  });

  it("a one-column m summed into itself (out === m) gives m", () => {
    const m = fillRandom(make(7), 3), want = Array.from(m);
    sumColumnsInto(m, 7, 1, m);
    expectSame(m, want);
  });

  it("declines arrays it cannot take: not resident, mixed types, wrong lengths, overlapping out", () => {
    const other = make === heapFloat64Array ? heapFloat32Array : heapFloat64Array;
    const m = fillRandom(make(12), 1), out = make(3);
    expect(sumRowsResident(copy(m), 3, 4, out)).toBe(false);
    expect(sumRowsResident(m, 3, 4, copy(out))).toBe(false);
    expect(sumRowsResident(m, 3, 4, other(3))).toBe(false);
    expect(sumRowsResident(m, 3, 5, out)).toBe(false);
    expect(sumRowsResident(m, 3, 4, make(4))).toBe(false);
    expect(sumRowsResident(m, 3, 4, m.subarray(2, 5))).toBe(false);
    expect(Array.from(out)).toEqual([0, 0, 0]);
  });
});
