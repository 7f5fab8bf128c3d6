import { afterAll, describe, expect, it } from "vitest";
import { gemm as gemmFloat32 } from "../src/kernels/gemm-f32.generated.js";
import { gemm } from "../src/kernels/gemm.js";
import { heapFloat32Array, heapFloat64Array, heapIsShared, isResident } from "../src/kernels/wasm/heap.js";
import { gemmWasm } from "../src/kernels/wasm/gemm-wasm.js";
import { gemmWasmF32, gemmWasmFloat32 } from "../src/kernels/wasm/gemm-wasm-f32.js";
import { relaxedSimdAvailable, setSimdVariant, type SimdVariant } from "../src/kernels/wasm/module.js";
import { getSimdVariant } from "../src/index.js";
import { checkAgree, checkBatchOne, checkEmpty, checkRandomShapes, checkThinShapes, checkInPlaceRows, checkLarge, checkWholeBlocks, type Make } from "./kernels-checks.js";

const f32: Make<Float32Array> = (n) => new Float32Array(n);
const f64: Make<Float64Array> = (n) => new Float64Array(n);
const heap32: Make<Float32Array> = heapFloat32Array, heap64: Make<Float64Array> = heapFloat64Array;

// Float32 tolerance per step of k: float32 rounding of each product and sum (2^-24 is 6e-8).
const F32 = 1e-6, F64 = 1e-12;

describe("the kernel heap on Node 20", () => {
  it("is a shared memory, so arrays can live in it and products read them in place", () => {
    expect(heapIsShared()).toBe(true);
    expect(isResident(heapFloat32Array(3))).toBe(true);
    expect(isResident(new Float32Array(3))).toBe(false);
  });
});

describe("gemmFloat32, the TypeScript kernel over Float32Array (gemm.ts with its element type replaced)", () => {
  it("equals the definition on random shapes, all four transposition cases", () => checkRandomShapes(gemmFloat32, [f32], F32));
  it("equals the definition on thin shapes (a dimension under 4)", () => checkThinShapes(gemmFloat32, [f32], F32, 60));
});

// Both SIMD variants where the runtime has them (Node 22+: both; Node 20: plain here, relaxed in kernels-relaxed.test.ts)
const variants: SimdVariant[] = relaxedSimdAvailable() ? ["plain", "relaxed"] : ["plain"];
afterAll(() => void setSimdVariant("auto"));

describe.each(variants)("WebAssembly products, %s SIMD", (variant) => {
  it("runs the variant asked for, and getSimdVariant says so", () => {
    expect(setSimdVariant(variant)).toBe(variant);
    expect(getSimdVariant()).toBe(variant);
  });

  describe.each([
    ["gemmWasmFloat32 on ordinary Float32Arrays", [f32]],
    ["gemmWasmFloat32 with operands in the kernel heap (read in place) and ordinary ones, mixed", [f32, heap32]],
  ] as const)("%s", (_name, make) => {
    it("equals the definition on random shapes, all four transposition cases", () => {
      setSimdVariant(variant);
      checkRandomShapes(gemmWasmFloat32, make, F32);
    });
    it("equals the definition on whole blocks (the kernel writes C itself, no copy-out)", () => {
      setSimdVariant(variant);
      checkWholeBlocks(gemmWasmFloat32, make, F32);
    });
    it("equals the definition on products of several row blocks and K blocks", () => {
      setSimdVariant(variant);
      checkLarge(gemmWasmFloat32, make, F32);
    });
    it("equals the definition where A is read in place or copied block by block (partial blocks of 4 rows, several row and K blocks)", () => {
      setSimdVariant(variant);
      checkInPlaceRows(gemmWasmFloat32, make, F32);
    });
    it("equals the definition on thin shapes: every branch of the matrix-vector path", () => {
      setSimdVariant(variant);
      checkThinShapes(gemmWasmFloat32, make, F32);
    });
    it("equals the definition on the batch-1 products of the issue's networks", () => {
      setSimdVariant(variant);
      checkBatchOne(gemmWasmFloat32, make, F32);
    });
  });

  describe.each([
    ["gemmWasm (float64) on ordinary arrays", gemmWasm, [f64], F64],
    ["gemmWasm (float64) with operands in the kernel heap and ordinary ones, mixed", gemmWasm, [f64, heap64], F64],
    ["gemmWasmF32 (float64 data, float32 products) with heap and ordinary operands", gemmWasmF32, [f64, heap64], F32],
  ] as const)("%s", (_name, product, make, tol) => {
    it("equals the definition on random and thin shapes", () => {
      setSimdVariant(variant);
      checkRandomShapes(product, make, tol, 100);
      checkWholeBlocks(product, make, tol);
      checkLarge(product, make, tol);
      checkThinShapes(product, make, tol, 100);
      checkBatchOne(product, make, tol);
    });
  });

  it("k = 0 writes zeros (or keeps C when accumulating), for both element types", () => {
    setSimdVariant(variant);
    checkEmpty(gemmWasmFloat32, f32);
    checkEmpty(gemmWasmFloat32, heap32);
    checkEmpty(gemmWasm, f64);
    checkEmpty(gemm, f64);
  });
});

describe.runIf(variants.length === 2)("relaxed and plain SIMD", () => {
  it("agree to float32 rounding on the network's products", () => {
    const run = (v: SimdVariant): typeof gemmWasmFloat32 => (...args) => {
      setSimdVariant(v);
      gemmWasmFloat32(...args);
    };
    checkAgree(run("plain"), run("relaxed"), f32, F32);
  });
});

describe("gemmKernelFloat32, the backend's Float32Array product", () => {
  it("equals the definition on every backend (TypeScript on js, WebAssembly on wasm and wasm-f32)", async () => {
    const { setBackend } = await import("../src/kernels/backend.js");
    const { gemmKernelFloat32 } = await import("../src/kernels/backend.js");
    for (const backend of ["js", "wasm", "wasm-f32"] as const) {
      setBackend(backend);
      checkRandomShapes(gemmKernelFloat32, [f32, heap32], F32, 40);
    }
    setBackend("auto");
  });
});
