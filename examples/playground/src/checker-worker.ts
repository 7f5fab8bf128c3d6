/**
 * The code box's compiler: the real TypeScript compiler in a worker, over an in-memory file system
 * holding shapegrad's declarations (from `npm run build`) and the standard library. For each
 * version of the text it reports the diagnostics (with the ShapeError text pulled out of the
 * message) and, when the text compiles, the layers it describes. Loaded only when the box opens.
 */
import ts from "typescript";
import files from "virtual:type-files";
import { findModelCall, interpret } from "./interpret.js";
import type { LayerSpec } from "./network.js";

export interface Diagnostic {
  readonly line: number;
  readonly from: number;
  readonly to: number;
  /** The text inside ShapeError<"...">, when the compiler's message names one. */
  readonly shapeError?: string;
  readonly message: string;
}

export type CheckerReply =
  | { readonly type: "ready"; readonly ms: number; readonly version: string }
  | { readonly type: "checked"; readonly id: number; readonly ms: number; readonly diagnostics: Diagnostic[]; readonly layers?: LayerSpec[]; readonly applyError?: string };

const FILE = "/model.ts";
const options: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler,
  strict: true, lib: ["lib.es2022.d.ts"], types: [], noEmit: true, skipLibCheck: true,
};
const parsed = new Map<string, ts.SourceFile>();
let program: ts.Program | undefined;
let text = "";

const host: ts.CompilerHost = {
  getSourceFile: (name, languageVersion) => {
    if (name === FILE) return ts.createSourceFile(FILE, text, languageVersion, true);
    const content = files[name];
    if (content === undefined) return undefined;
    let file = parsed.get(name);
    if (!file) parsed.set(name, (file = ts.createSourceFile(name, content, languageVersion, true)));
    return file;
  },
  getDefaultLibFileName: () => "/lib/lib.es2022.d.ts",
  getDefaultLibLocation: () => "/lib",
  writeFile: () => {},
  getCurrentDirectory: () => "/",
  getDirectories: () => [],
  fileExists: (name) => name === FILE || name in files,
  readFile: (name) => (name === FILE ? text : files[name]),
  getCanonicalFileName: (name) => name,
  useCaseSensitiveFileNames: () => true,
  getNewLine: () => "\n",
};

function check(code: string): Omit<Extract<CheckerReply, { type: "checked" }>, "type" | "id" | "ms"> {
  text = code;
  program = ts.createProgram({ rootNames: [FILE], options, host, ...(program ? { oldProgram: program } : {}) });
  const source = program.getSourceFile(FILE)!;
  const found = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
  const call = findModelCall(ts, source);
  const diagnostics = found.map((d): Diagnostic => {
    const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
    const shape = /ShapeError<"([^"]*)">/.exec(message)?.[1];
    let from = d.start ?? 0, to = from + (d.length ?? 0);
    // The compiler marks the whole argument list of sequential(...); the message names the layer
    // ("sequential layer 3 expects ..."), so the error is moved to that argument.
    const layer = shape ? /^sequential layer (\d+) /.exec(shape)?.[1] : undefined;
    const argument = layer && call ? (call.expression.getText(source) === "sequentialWith" ? undefined : call.arguments[Number(layer) - 1]) : undefined;
    if (argument) {
      from = argument.getStart(source);
      to = argument.getEnd();
    }
    return { line: source.getLineAndCharacterOfPosition(from).line + 1, from, to, message, ...(shape ? { shapeError: shape } : {}) };
  });
  if (diagnostics.length) return { diagnostics };
  const result = interpret(ts, source);
  return "error" in result ? { diagnostics, applyError: result.error } : { diagnostics, layers: result.layers };
}

const started = performance.now();
check("export {};");
postMessage({ type: "ready", ms: performance.now() - started, version: ts.version } satisfies CheckerReply);

addEventListener("message", (event: MessageEvent<{ id: number; code: string }>) => {
  const t0 = performance.now();
  const result = check(event.data.code);
  postMessage({ type: "checked", id: event.data.id, ms: performance.now() - t0, ...result } satisfies CheckerReply);
});
