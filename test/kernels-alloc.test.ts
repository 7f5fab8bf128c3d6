import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";

/** Bytes allocated per product by one kernel, measured in a child node (kernels-alloc-run.ts). */
function bytesPerProduct(kernel: string): number {
  const out = execFileSync(process.execPath, ["--expose-gc", "--max-semi-space-size=256", "--import", "tsx", "test/kernels-alloc-run.ts", kernel], {
    encoding: "utf8", cwd: `${import.meta.dirname}/..`,
  });
  const result = JSON.parse(out.trim().split("\n").pop()!) as { gcExposed: boolean; kernel: string; bytes: number };
  expect(result).toMatchObject({ gcExposed: true, kernel });
  return result.bytes;
}

describe("matrix products allocate nothing per call (heap growth with no GC running, after warm-up)", () => {
  it.each([
    "gemm (TypeScript, Float64Array), packed products",
    "gemmFloat32 (TypeScript, Float32Array), packed products",
    "gemmWasm",
    "gemmWasmF32",
    "gemmWasmFloat32",
    "gemmWasmFloat32, operands in the heap",
  ])("%s: under 4 bytes per product (one boxed double per call would be 16)", (kernel) => {
    expect(bytesPerProduct(kernel)).toBeLessThan(4);
  }, 60_000);
});
