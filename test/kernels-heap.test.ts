import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { allocate, freeHeapArray, heapFloat32Array, heapFloat64Array, heapUsage, heapViews, isResident, release } from "../src/kernels/wasm/heap.js";
import { gemmWasmFloat32 } from "../src/kernels/wasm/gemm-wasm-f32.js";
import { gemmWasm } from "../src/kernels/wasm/gemm-wasm.js";
import { checkOne, fillRandom, naiveProduct } from "./kernels-checks.js";

const child = (script: string, flags: string[] = []) =>
  execFileSync(process.execPath, [...flags, "--import", "tsx", script], { encoding: "utf8", cwd: `${import.meta.dirname}/..` });

describe("the kernel heap's allocator", () => {
  it("hands out 64-byte-aligned blocks that never overlap, inside the memory, and takes them all back", () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 300_000 }), fc.nat()), { maxLength: 120 }), (ops) => {
      const start = heapUsage();
      const live = new Map<number, number>();
      for (const [free, bytes, pick] of ops) {
        if (free && live.size > 0) {
          const at = [...live.keys()][pick % live.size]!;
          live.delete(at);
          release(at);
          continue;
        }
        const at = allocate(bytes)!;
        expect(at % 64).toBe(0);
        expect(at + bytes).toBeLessThanOrEqual(heapViews()!.buffer.byteLength);
        for (const [o, b] of live) expect(at + Math.max(bytes, 1) <= o || o + Math.max(b, 1) <= at).toBe(true);
        live.set(at, bytes);
      }
      for (const at of live.keys()) release(at);
      expect(heapUsage()).toEqual(start); // every block merged back: the top where it was, no free blocks left
    }), { numRuns: 100 });
  });

  it("refuses to release a block it did not hand out", () => {
    expect(() => release(12_345)).toThrow("release: no block at byte 12345 of the kernel heap");
  });
});

describe("heap arrays (shared memory on Node 20)", () => {
  it("keep their values and stay usable in place when the memory grows under them", () => {
    const a = fillRandom(heapFloat32Array(128 * 784), 1), b = fillRandom(heapFloat32Array(784 * 64), 2), c = heapFloat32Array(128 * 64);
    const copy = Float32Array.from(a), buffers = new Set([heapViews()!.buffer]), big: number[] = [];
    for (let i = 0; i < 3; i++) {
      big.push(allocate(heapViews()!.buffer.byteLength - heapUsage().top + 1)!); // one byte past the end: the memory must grow
      buffers.add(heapViews()!.buffer);
    }
    expect(buffers.size).toBe(4); // three growths, each a new buffer object over the same memory
    expect(a).toEqual(copy);
    expect([a, b, c].every(isResident)).toBe(true);
    gemmWasmFloat32(false, false, 128, 64, 784, a, b, c); // in place, on arrays made before the growths
    const want = naiveProduct(false, false, 128, 64, 784, a, b, c, false, 1);
    expect(Math.max(...c.map((v, i) => Math.abs(v - want[i]!)))).toBeLessThan(1e-6 * 784 * 3);
    checkOne(gemmWasmFloat32, [heapFloat32Array], 1e-6, true, false, 300, 40, 200, true, 0.5, 3); // and new ones after them
    for (const x of [a, b, c]) freeHeapArray(x);
    for (const at of big) release(at);
  });

  it("are zeroed, returned by freeHeapArray (once: a second call and a subarray do nothing), and reused", () => {
    const start = heapUsage().live;
    const x = heapFloat64Array(1000);
    expect(x.every((v) => v === 0)).toBe(true);
    expect(heapUsage().live).toBe(start + 8000 + 64 - (8000 % 64 || 64));
    freeHeapArray(x.subarray(1));
    expect(heapUsage().live).toBeGreaterThan(start);
    freeHeapArray(x);
    expect(heapUsage().live).toBe(start);
    freeHeapArray(x);
    expect(heapUsage().live).toBe(start);
    const y = heapFloat64Array(1000);
    expect(y.byteOffset).toBe(x.byteOffset);
    freeHeapArray(y);
  });

  it("dropped without freeHeapArray, go back to the heap once collected (FinalizationRegistry; child node with --expose-gc)", () => {
    const out = JSON.parse(child("test/kernels-heap-gc-run.ts", ["--expose-gc"]).trim()) as { gcExposed: boolean; dropped: number; after: number };
    expect(out.gcExposed).toBe(true);
    expect(out.dropped).toBeGreaterThanOrEqual(200 * 40_000);
    expect(out.after).toBe(0);
  }, 60_000);
});

describe("without shared memory (a browser page that is not cross-origin isolated)", () => {
  it("every product copies its operands and stays right; heap arrays are ordinary ones (child node without SharedArrayBuffer)", () => {
    const out = child("test/kernels-unshared-run.ts");
    expect(out).toContain("ok no shared memory");
    expect(out).toContain("ok gemmWasmFloat32");
    expect(out).toContain("ok the ReLU steps and row sums fall back to the loops");
    expect(out).not.toContain("FAILED");
  }, 120_000);
});

describe("a product whose C is one of its operands (matmul(x, x, x))", () => {
  it("is right with the arrays in the heap too (C then goes through scratch), packed and thin, both element types", () => {
    for (const [make, product, tol] of [[heapFloat32Array, gemmWasmFloat32, 1e-6], [heapFloat64Array, gemmWasm, 1e-12]] as const) {
      for (const n of [300, 40, 1]) {
        const x = fillRandom(make(n * n), n), y = fillRandom(make(n * n), n + 1);
        const want = naiveProduct(false, false, n, n, n, x, x, x, false, 1);
        (product as (tA: boolean, tB: boolean, m: number, n: number, k: number, a: typeof x, b: typeof x, c: typeof x) => void)(false, false, n, n, n, x, x, x);
        expect(Math.max(...Array.from(x, (v, i) => Math.abs(v - want[i]!)))).toBeLessThan(tol * n * 3);
        const wantT = naiveProduct(true, false, n, n, n, y, x, y, true, 1);
        (product as (tA: boolean, tB: boolean, m: number, n: number, k: number, a: typeof x, b: typeof x, c: typeof x, acc: boolean) => void)(true, false, n, n, n, y, x, y, true);
        expect(Math.max(...Array.from(y, (v, i) => Math.abs(v - wantT[i]!)))).toBeLessThan(tol * n * 3);
      }
    }
  });
});

describe("fit and evaluate give their buffers back to the heap when they end", () => {
  it("the heap's live bytes after fit / evaluate are what they were before (parameters and optimizer state aside)", async () => {
    const { adam, dataset, evaluate, fit, sequentialWith, input, conv2d, relu, maxPool2d, flatten, dense, softmax } = await import("../src/index.js");
    const net = sequentialWith({ seed: 1 }, [input(1, 8, 8), conv2d(4, 3), relu(), maxPool2d(2), flatten(), dense(3), softmax()]);
    const r = Array.from({ length: 40 }, (_, j) => Array.from({ length: 64 }, (_, i) => ((i * 7 + j * 13) % 17) / 17));
    const data = dataset(r, r.map((_, j) => j % 3), { features: 64, classes: 3 });
    const optimizer = adam({ learningRate: 1e-3 });
    fit(net, data, { epochs: 1, batchSize: 8, optimizer, validation: data }); // optimizer state made once
    const before = heapUsage().live;
    for (let i = 0; i < 5; i++) fit(net, data, { epochs: 2, batchSize: 8, optimizer, validation: data });
    evaluate(net, data);
    expect(heapUsage().live).toBe(before);
    // the check can fail: buffers kept alive stay counted
    const kept = heapFloat64Array(1000);
    expect(heapUsage().live).toBeGreaterThan(before);
    freeHeapArray(kept);
  });
});
