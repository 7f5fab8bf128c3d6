/**
 * Keeps docs/model-files.md true: every ```ts block compiles against the library (the "shapegrad"
 * and "shapegrad/node" imports resolved to src/), with no error.
 */
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const blocks = [...readFileSync(join(root, "docs/model-files.md"), "utf8").matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => `${m[1]!}\nexport {};\n`);

function diagnostics(): string[][] {
  const options: ts.CompilerOptions = {
    strict: true, exactOptionalPropertyTypes: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext, noEmit: true, skipLibCheck: true, types: ["node"],
    baseUrl: root, paths: { shapegrad: ["./src/index.ts"], "shapegrad/node": ["./src/node.ts"] }, verbatimModuleSyntax: true,
  };
  const names = blocks.map((_, i) => join(root, "test", `__model_files_${i}.ts`));
  const sources = new Map(names.map((n, i) => [n, blocks[i]!]));
  const host = ts.createCompilerHost(options);
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

describe("docs/model-files.md", () => {
  const found = diagnostics();
  it("has TypeScript examples", () => expect(blocks.length).toBeGreaterThanOrEqual(4));
  it.each(blocks.map((b, i) => [i + 1, b] as const))("example %i compiles", (i) => {
    expect(found[i - 1]).toEqual([]);
  });
});
