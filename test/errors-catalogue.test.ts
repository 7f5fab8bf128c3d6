/**
 * Keeps docs/errors.md true, with the same harness as the compile-error corpus
 * (test/type-errors/harness.ts): every `ts compile-error` snippet must fail to compile with exactly
 * one error, under TypeScript 6 and under tsgo, whose FIRST line carries exactly the ShapeError
 * message written under it (`Message: ...`); every `ts throws` snippet must compile (under both) and
 * then throw that message at run time. Also compiles every TypeScript example of README.md (their
 * deliberate mistakes are marked @ts-expect-error, so those must still be errors).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { compileWithTsc, compileWithTsgo, shapeErrorOf, type Found } from "./type-errors/harness.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const doc = readFileSync(join(root, "docs/errors.md"), "utf8");
const entry = /```ts (compile-error|throws)\n([\s\S]*?)```\nMessage: `([^`]+)`/g;
const readmeBlocks = [...readFileSync(join(root, "README.md"), "utf8").matchAll(/```ts\n([\s\S]*?)```/g)].map((m, i) => ({
  kind: "compiles", code: `${m[1]!}\nexport {};\n`, message: "", name: `README.md example ${i + 1} compiles (its marked errors included)`,
}));
const entries = [
  ...[...doc.matchAll(entry)].map((m, i) => ({ kind: m[1]!, code: m[2]!, message: m[3]!, name: `snippet ${i + 1}: ${m[3]!}` })),
  ...readmeBlocks,
].map((e, i) => ({ ...e, file: `test/__catalogue_${i}.ts` }));

const snippets = entries.map((e) => ({ name: e.file, code: e.code }));
const byFile = (found: readonly Found[]) => (file: string) => found.filter((d) => d.file === file);
const tsc = byFile(entries.length > 0 ? compileWithTsc(root, snippets) : []);
const tsgo = byFile(entries.length > 0 ? compileWithTsgo(root, snippets) : []);
const scratch = join(root, "test", ".catalogue");
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("docs/errors.md", () => {
  it("has entries of both kinds", () => {
    expect(entries.filter((e) => e.kind === "compile-error").length).toBeGreaterThan(25);
    expect(entries.filter((e) => e.kind === "throws").length).toBeGreaterThan(5);
    expect(entries.filter((e) => e.kind === "compiles").length).toBeGreaterThanOrEqual(3);
  });

  it.each(entries.map((e) => [e.name, e] as const))("%s", async (_name, e) => {
    for (const found of [tsc(e.file), tsgo(e.file)]) {
      if (e.kind !== "compile-error") {
        expect(found).toEqual([]); // README examples and run-time examples are valid code
        continue;
      }
      expect(found).toHaveLength(1);
      expect(shapeErrorOf(found[0]!.text)).toBe(e.message);
    }
    if (e.kind !== "throws") return;
    mkdirSync(scratch, { recursive: true });
    const file = join(scratch, `${e.file.slice("test/".length)}`);
    writeFileSync(file, e.code.replace(/from "shapegrad"/g, `from ${JSON.stringify(pathToFileURL(join(root, "src/index.ts")).href)}`));
    let thrown: unknown;
    try {
      await import(pathToFileURL(file).href);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(Error);
    expect((thrown as Error).message).toContain(e.message);
  });
});
