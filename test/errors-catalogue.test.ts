/**
 * Keeps docs/errors.md true: every `ts compile-error` snippet must fail to compile with exactly one
 * error whose text contains the message under it, and every `ts throws` snippet must compile and
 * then throw that message at run time. Also compiles every TypeScript example of README.md (their
 * deliberate mistakes are marked @ts-expect-error, so those must still be errors).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const doc = readFileSync(join(root, "docs/errors.md"), "utf8");
const entry = /```ts (compile-error|throws)\n([\s\S]*?)```\nMessage: `([^`]+)`/g;
const readmeBlocks = [...readFileSync(join(root, "README.md"), "utf8").matchAll(/```ts\n([\s\S]*?)```/g)].map((m, i) => ({
  kind: "compiles", code: `${m[1]!}\nexport {};\n`, message: "", name: `README.md example ${i + 1} compiles (its marked errors included)`,
}));
const entries = [
  ...[...doc.matchAll(entry)].map((m, i) => ({ kind: m[1]!, code: m[2]!, message: m[3]!, name: `snippet ${i + 1}: ${m[3]!}` })),
  ...readmeBlocks,
];

/** Type-checks all snippets in one program; returns each snippet's diagnostics as text. */
function compileAll(): string[][] {
  const options: ts.CompilerOptions = {
    strict: true, exactOptionalPropertyTypes: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext, noEmit: true, skipLibCheck: true, types: ["node"],
    baseUrl: root, paths: { shapegrad: ["./src/index.ts"] }, verbatimModuleSyntax: true,
  };
  const names = entries.map((_, i) => join(root, "test", `__catalogue_${i}.ts`));
  const host = ts.createCompilerHost(options);
  const sources = new Map(names.map((n, i) => [n, entries[i]!.code]));
  const readFile = host.readFile.bind(host), fileExists = host.fileExists.bind(host), getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (f) => sources.get(f) ?? readFile(f);
  host.fileExists = (f) => sources.has(f) || fileExists(f);
  host.getSourceFile = (f, v, ...rest) => (sources.has(f) ? ts.createSourceFile(f, sources.get(f)!, v) : getSourceFile(f, v, ...rest));
  const program = ts.createProgram(names, options, host);
  return names.map((n) => {
    const sf = program.getSourceFile(n)!;
    return [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"));
  });
}

const diagnostics = entries.length > 0 ? compileAll() : [];
const scratch = join(root, "test", ".catalogue");
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("docs/errors.md", () => {
  it("has entries of both kinds", () => {
    expect(entries.filter((e) => e.kind === "compile-error").length).toBeGreaterThan(10);
    expect(entries.filter((e) => e.kind === "throws").length).toBeGreaterThan(5);
    expect(entries.filter((e) => e.kind === "compiles").length).toBeGreaterThanOrEqual(3);
  });

  it.each(entries.map((e, i) => [e.name, e, i] as const))("%s", async (_name, e, i) => {
    const found = diagnostics[i]!;
    if (e.kind === "compiles") {
      expect(found).toEqual([]);
      return;
    }
    if (e.kind === "compile-error") {
      expect(found).toHaveLength(1);
      expect(found[0]).toContain(e.message);
      return;
    }
    expect(found).toEqual([]); // a run-time example must be valid code
    mkdirSync(scratch, { recursive: true });
    const file = join(scratch, `snippet_${i}.ts`);
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
