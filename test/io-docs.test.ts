/**
 * Keeps docs/model-files.md and docs/interop.md true: every ```ts block compiles against the
 * library (the "shapegrad" and "shapegrad/node" imports resolved to src/), with no error. Blocks of
 * interop.md that use another engine's package (TF.js, ONNX Runtime) show that engine's API, not
 * shapegrad's, and are left out.
 */
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const blocksOf = (doc: string) => [...readFileSync(join(root, doc), "utf8").matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => `${m[1]!}\nexport {};\n`);
const interop = blocksOf("docs/interop.md").filter((b) => !/@tensorflow|onnxruntime|\btf\./.test(b));
const blocks = [...blocksOf("docs/model-files.md"), ...interop];

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

describe("docs/model-files.md and docs/interop.md", () => {
  const found = diagnostics();
  it("have TypeScript examples", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(8);
    expect(interop.length).toBeGreaterThanOrEqual(2);
  });
  it.each(blocks.map((b, i) => [i + 1, b] as const))("example %i compiles", (i) => {
    expect(found[i - 1]).toEqual([]);
  });
});
