import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { relaxedSimdAvailable } from "../src/kernels/wasm/module.js";

describe("the relaxed-SIMD kernels (f32x4 / f64x2.relaxed_madd)", () => {
  it("are not chosen where the runtime does not validate them (Node 20 without the flag), and are when it does", async () => {
    const { kernels } = await import("../src/kernels/wasm/module.js");
    expect(kernels()?.variant).toBe(relaxedSimdAvailable() ? "relaxed" : "plain");
  });

  it("pass every kernel check in a child node that has relaxed SIMD (--experimental-wasm-relaxed-simd on Node 20)", () => {
    const flags = relaxedSimdAvailable() ? [] : ["--experimental-wasm-relaxed-simd"];
    const out = execFileSync(process.execPath, [...flags, "--import", "tsx", "test/kernels-relaxed-run.ts"], { encoding: "utf8", cwd: `${import.meta.dirname}/..` });
    expect(out).toContain("ok variant");
    expect(out).toContain("ok relaxed agrees with plain");
    expect(out).not.toContain("FAILED");
  }, 120_000);
});
