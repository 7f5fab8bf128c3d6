/** The tsgo runner (test/typecheck-tsgo.ts, `npm run test:tsgo`) can fail: it is run on planted mistakes. */
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { parseDiagnostics, sitesOf, tsgoVerdicts } from "./typecheck-tsgo.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const project = mkdtempSync(join(tmpdir(), "shapegrad-tsgo-selftest-"));
afterAll(() => rmSync(project, { recursive: true, force: true }));

const PLANTED = `import { expectError, expectNotAssignable, expectType } from "tsd";
import { matmul, zeros, type Matrix } from "../src/index.js";

expectError(matmul(zeros(3, 4), zeros(5, 5)));       // 4: right, an error
expectError(matmul(zeros(3, 4), zeros(4, 5)));       // 5: WRONG, this compiles
expectError(
  matmul(zeros(3, 4),
    zeros(5, 5)),                                    // 8: right, the error is on a later line of the call
);
expectNotAssignable<Matrix<4, 3>>(zeros(3, 4));      // 10: right, not assignable
expectNotAssignable<Matrix<3, 4>>(zeros(3, 4));      // 11: WRONG, assignable
expectType<Matrix<3, 5>>(matmul(zeros(3, 4), zeros(4, 5))); // 12: fine
const n: number = "three";                           // 13: WRONG, an error outside any expectError
export { n };
`;

describe("the tsgo verdict runner", () => {
  it("finds expectError and expectNotAssignable calls with their lines, and keeps every line in place", () => {
    const { sites, rewritten } = sitesOf("x.ts", PLANTED);
    expect(sites.map((s) => [s.kind, s.first, s.last])).toEqual([
      ["expectError", 4, 4], ["expectError", 5, 5], ["expectError", 6, 9], ["expectNotAssignable", 10, 10], ["expectNotAssignable", 11, 11],
    ]);
    expect(rewritten.split("\n").slice(0, 14).map((l) => l.replace("tsgoExpectNotAssignable", "expectNotAssignable"))).toEqual(PLANTED.split("\n").slice(0, 14));
  });

  it("reads tsgo's plain diagnostics, dropping continuation lines", () => {
    expect(parseDiagnostics("test-d/a.test-d.ts(7,33): error TS2739: Type 'X' is missing\n  Type 'Y' ...\nsrc/b.ts(1,1): error TS1: z\n"))
      .toEqual([{ file: "test-d/a.test-d.ts", line: 7, text: "TS2739: Type 'X' is missing" }, { file: "src/b.ts", line: 1, text: "TS1: z" }]);
  });

  it("reports an expectError that compiles, an expectNotAssignable that is assignable, and an error elsewhere", () => {
    mkdirSync(join(project, "test-d"));
    for (const link of ["src", "node_modules"]) symlinkSync(join(root, link), join(project, link), "dir");
    cpSync(join(root, "tsconfig.json"), join(project, "tsconfig.json"));
    writeFileSync(join(project, "test-d", "planted.test-d.ts"), PLANTED);
    const v = tsgoVerdicts(project);
    expect(v.files).toEqual(["test-d/planted.test-d.ts"]);
    expect(v.missing.map((s) => [s.kind, s.first])).toEqual([["expectError", 5], ["expectNotAssignable", 11]]);
    expect(v.unexpected.map((d) => [d.file, d.line, d.text.slice(0, 6)])).toEqual([["test-d/planted.test-d.ts", 13, "TS2322"]]);
  });
});
