/**
 * Every name src/index.ts exports appears in the type tests (test-d/), and every exported function
 * is called at least once inside an `expectError(...)`: the type suite says what each export
 * accepts and what it rejects.
 */
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as api from "../src/index.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const index = readFileSync(join(root, "src/index.ts"), "utf8");
const names = [...index.matchAll(/export (?:type )?\{([^}]*)\}/g)].flatMap((m) => m[1]!.split(",").map((n) => n.trim()).filter(Boolean));
const typeTests = readdirSync(join(root, "test-d")).filter((f) => f.endsWith(".ts")).map((f) => readFileSync(join(root, "test-d", f), "utf8")).join("\n");
const functions = Object.entries(api).filter(([, v]) => typeof v === "function" && !/^[A-Z]/.test(v.name)).map(([k]) => k);

describe("the type tests cover the public API", () => {
  it("reads the export list", () => {
    expect(names.length).toBeGreaterThan(100);
    expect(functions).toContain("matmul");
  });
  it.each(names)("%s appears in test-d/", (name) => {
    expect(typeTests).toMatch(new RegExp(`\\b${name}\\b`));
  });
  it.each(functions)("%s has a rejected case (expectError)", (name) => {
    const rejected = typeTests.split("\n").some((line) => line.includes("expectError") && new RegExp(`\\b${name}\\(|\\.${name}\\(`).test(line));
    expect(rejected).toBe(true);
  });
});
