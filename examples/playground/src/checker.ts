/**
 * The code box's compiler: the real TypeScript compiler over an in-memory file system holding
 * shapegrad's declarations (from `npm run build`) and the standard library. `check(text)` returns
 * the diagnostics (with the ShapeError text pulled out of the message) and, when the text compiles,
 * the layers it describes. The compiler marks the offending argument of `sequential(...)` itself
 * (shapegrad checks the layers argument by argument), so each diagnostic is shown where it points.
 * Runs in checker-worker.ts; tested in Node by test/browser/page-logic.test.ts.
 */
import type TS from "typescript";
import { interpret } from "./interpret.js";
import type { LayerSpec } from "./network.js";

export interface Diagnostic {
  readonly line: number;
  readonly from: number;
  readonly to: number;
  /** The text inside ShapeError<"...">, when the compiler's message names one. */
  readonly shapeError?: string;
  readonly message: string;
}

export interface CheckResult {
  readonly diagnostics: Diagnostic[];
  /** The layers, when the text compiles and the interpreter can build it. */
  readonly layers?: LayerSpec[];
  /** Why Apply cannot build a text that compiles. */
  readonly applyError?: string;
}

/** Checks layers that compile before Apply is offered (the page's own limits); returns why not, or undefined. */
export type Validate = (layers: LayerSpec[]) => string | undefined;

const FILE = "/model.ts";

export function createChecker(ts: typeof TS, files: Readonly<Record<string, string>>, validate: Validate = () => undefined): (code: string) => CheckResult {
  const options: TS.CompilerOptions = {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler,
    strict: true, lib: ["lib.es2022.d.ts"], types: [], noEmit: true, skipLibCheck: true,
  };
  // Library and declaration files are parsed once; only the learner's file changes.
  const parsed = new Map<string, TS.SourceFile>();
  let program: TS.Program | undefined;
  let text = "";
  const host: TS.CompilerHost = {
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

  return (code) => {
    text = code;
    program = ts.createProgram({ rootNames: [FILE], options, host, ...(program ? { oldProgram: program } : {}) });
    const source = program.getSourceFile(FILE)!;
    const found = [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)];
    const diagnostics = found.map((d): Diagnostic => {
      const message = ts.flattenDiagnosticMessageText(d.messageText, "\n");
      const shape = shapeErrorText(message);
      const from = d.start ?? 0, to = from + (d.length ?? 0);
      return { line: source.getLineAndCharacterOfPosition(from).line + 1, from, to, message, ...(shape ? { shapeError: shape } : {}) };
    });
    if (diagnostics.length) return { diagnostics };
    const result = interpret(ts, source);
    if ("error" in result) return { diagnostics, applyError: result.error };
    const refused = validate(result.layers);
    return refused === undefined ? { diagnostics, layers: result.layers } : { diagnostics, applyError: refused };
  };
}

/** The text inside the first `ShapeError<"...">` of a compiler message (TypeScript escapes quotes in it as JSON does). */
export function shapeErrorText(message: string): string | undefined {
  const quoted = /ShapeError<("(?:[^"\\]|\\.)*")>/.exec(message)?.[1];
  if (quoted === undefined) return undefined;
  try {
    return JSON.parse(quoted) as string;
  } catch {
    return quoted.slice(1, -1);
  }
}
