/**
 * The exact-text harness: compiles TypeScript snippets against the library with the compiler API
 * (TypeScript 6) and with `tsgo` (TypeScript 7), and checks each diagnostic against a marker written
 * under the line it must point at:
 *
 *     sequential(dense(784, 128), relu(), dense(127, 10), softmax());
 *     //                                  ^^^^^^^^^^^^^^ sequential layer 3 expects 127 inputs but layer 1 outputs 128
 *
 * The carets give the columns of the diagnostic's span on the nearest line above that is not a
 * marker: the error must start at the first caret and (TypeScript 6) cover exactly as many
 * characters. The text after the carets is the ShapeError message that must stand, exactly, in the
 * FIRST line of the diagnostic (`ShapeError<"...">`); a text starting with `~ ` is instead a
 * fragment the first line must contain (for errors that are not ShapeErrors, e.g. a read-only
 * tuple's missing `reverse`). Every diagnostic must be claimed by a marker and every marker by a
 * diagnostic. A line ending in `// HOLE: why` marks a known hole: it must still compile (so the test
 * says when it is fixed) and is listed. Error codes are not compared: tsgo reports some mistakes with
 * other codes (TS2739 where TypeScript 6 says TS2345).
 *
 * Used by test/type-errors.test.ts (the corpus in test/type-errors/corpus/) and by
 * test/errors-catalogue.test.ts (the snippets of docs/errors.md): one mechanism for both.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import ts from "typescript";

/** A file to compile: a path relative to the repository root (imports resolve from there) and its text. */
export interface Snippet { readonly name: string; readonly code: string }

/** One diagnostic, positions 1-based as compilers print them. */
export interface Found {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Characters covered on that line (TypeScript 6 always; tsgo from its squiggles). */
  readonly length: number | null;
  /** The first line of the message (the only line tsgo prints in plain mode, and what a reader sees first). */
  readonly text: string;
}

/** What a marker expects. */
export interface Marker {
  readonly file: string;
  /** The line of code the carets point into (1-based), and where the marker itself is written. */
  readonly line: number;
  readonly markerLine: number;
  readonly column: number;
  readonly length: number;
  /** A ShapeError message that must be the first line's ShapeError exactly, or a fragment it must contain. */
  readonly expect: { readonly kind: "shape"; readonly message: string } | { readonly kind: "contains"; readonly fragment: string };
}

/** A line that documents a known hole: it compiles today and should not. */
export interface Hole { readonly file: string; readonly line: number; readonly why: string }

const MARKER = /^(\s*)\/\/(\s*)(\^+)\s(.*)$/;

/** The markers and holes of a snippet. */
export function markersOf(name: string, code: string): { markers: Marker[]; holes: Hole[] } {
  const lines = code.split("\n");
  const markers: Marker[] = [];
  const holes: Hole[] = [];
  let target = 0; // the last line (1-based) that is not a marker
  lines.forEach((text, i) => {
    const m = MARKER.exec(text);
    if (m === null) {
      target = i + 1;
      const hole = /\/\/ HOLE: (.*)$/.exec(text);
      if (hole) holes.push({ file: name, line: i + 1, why: hole[1]!.trim() });
      return;
    }
    if (target === 0) throw new Error(`${name}:${i + 1}: a marker with no line above it`);
    const column = m[1]!.length + 2 + m[2]!.length + 1;
    const body = m[4]!.trim();
    const expect = body.startsWith("~ ")
      ? { kind: "contains" as const, fragment: body.slice(2) }
      : { kind: "shape" as const, message: body };
    markers.push({ file: name, line: target, markerLine: i + 1, column, length: m[3]!.length, expect });
  });
  return { markers, holes };
}

/**
 * The message of the first `ShapeError<"...">` on a line, unescaped, or null. In code generic over a
 * size the message is a template (`ShapeError<\`matmul expects ... 21x${ShowDim<B>}\`>`): its text
 * between the backquotes is returned as written.
 */
export function shapeErrorOf(text: string): string | null {
  const m = /ShapeError<(["`])((?:(?!\1)[^\\]|\\.)*)\1>/.exec(text);
  return m ? m[2]!.replace(/\\(.)/g, "$1") : null;
}

/** Whether a diagnostic is the one a marker describes (position, span when known, text). */
export function matches(d: Found, m: Marker): boolean {
  if (d.file !== m.file || d.line !== m.line || d.column !== m.column) return false;
  if (d.length !== null && d.length !== m.length) return false;
  return m.expect.kind === "shape" ? shapeErrorOf(d.text) === m.expect.message : d.text.includes(m.expect.fragment);
}

/** Pairs diagnostics with markers: what no diagnostic satisfies, and what no marker claims. */
export function compare(found: readonly Found[], markers: readonly Marker[]): { unmet: Marker[]; unclaimed: Found[] } {
  const used = new Set<Found>();
  const unmet: Marker[] = [];
  for (const m of markers) {
    const d = found.find((f) => !used.has(f) && matches(f, m));
    if (d === undefined) unmet.push(m);
    else used.add(d);
  }
  return { unmet, unclaimed: found.filter((f) => !used.has(f)) };
}

/** Compiler options: the project's tsconfig.json, with `shapegrad` resolving to src/index.ts (as for a user of the package). */
function optionsFor(root: string): ts.CompilerOptions {
  const config = ts.readConfigFile(join(root, "tsconfig.json"), (f) => ts.sys.readFile(f));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  return { ...parsed.options, noEmit: true, incremental: false, baseUrl: root, paths: { shapegrad: ["./src/index.ts"] } };
}

/** Type-checks all snippets in one program (TypeScript 6, compiler API); returns every diagnostic of each. */
export function compileWithTsc(root: string, snippets: readonly Snippet[]): Found[] {
  const options = optionsFor(root);
  const sources = new Map(snippets.map((s) => [join(root, s.name), s.code]));
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host), fileExists = host.fileExists.bind(host), getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (f) => sources.get(f) ?? readFile(f);
  host.fileExists = (f) => sources.has(f) || fileExists(f);
  host.getSourceFile = (f, v, ...rest) => (sources.has(f) ? ts.createSourceFile(f, sources.get(f)!, v, true) : getSourceFile(f, v, ...rest));
  const program = ts.createProgram([...sources.keys()], options, host);
  return snippets.flatMap((s) => {
    const sf = program.getSourceFile(join(root, s.name))!;
    return [...program.getSyntacticDiagnostics(sf), ...program.getSemanticDiagnostics(sf)].map((d) => {
      const start = d.start ?? 0;
      const { line, character } = sf.getLineAndCharacterOfPosition(start);
      const end = sf.getLineAndCharacterOfPosition(start + (d.length ?? 0));
      const lineEnd = sf.getLineEndOfPosition(start) - start;
      return {
        file: s.name, line: line + 1, column: character + 1,
        // a span that runs past its first line cannot be described by one marker
        length: end.line === line ? (d.length ?? 0) : lineEnd + 1000,
        text: ts.flattenDiagnosticMessageText(d.messageText, "\n").split("\n")[0]!,
      };
    });
  });
}

/**
 * tsgo's pretty output: a header `file:line:col - error TSnnnn: first line`, then the code line and a
 * line of `~` under the span (ANSI colours removed). The squiggle gives the span's length on its first line.
 */
export function parsePretty(output: string): Found[] {
  // eslint-disable-next-line no-control-regex
  const lines = output.replace(/\x1b\[[0-9;]*m/g, "").split("\n");
  const found: Found[] = [];
  lines.forEach((text, i) => {
    const h = /^(.+?):(\d+):(\d+) - error TS\d+: (.*)$/.exec(text);
    if (h === null) return;
    let length: number | null = null;
    // the excerpt follows a blank line: "<gutter><code>" then "<spaces><~~~>"
    const code = lines[i + 2] ?? "", squiggle = lines[i + 3] ?? "";
    const gutter = /^(\s*\d+ )/.exec(code);
    if (gutter && /^\s*~+\s*$/.test(squiggle)) {
      const first = squiggle.indexOf("~");
      const run = /~+/.exec(squiggle.slice(first))![0].length;
      const continues = /^\s*\d+ /.test(lines[i + 4] ?? "") && /~/.test(lines[i + 5] ?? "");
      if (first - gutter[1]!.length + 1 === Number(h[3])) length = continues ? run + 1000 : run;
    }
    found.push({ file: h[1]!, line: Number(h[2]), column: Number(h[3]), length, text: h[4]! });
  });
  return found;
}

/**
 * Type-checks the snippets with tsgo: they are written into a temporary folder beside links to
 * the repository's src/ and node_modules/ (so the work tree is not touched), under a tsconfig that
 * extends the project's. Returns every diagnostic in the snippets.
 */
export function compileWithTsgo(root: string, snippets: readonly Snippet[]): Found[] {
  const tmp = mkdtempSync(join(tmpdir(), "shapegrad-type-errors-"));
  try {
    for (const link of ["src", "node_modules"]) symlinkSync(join(root, link), join(tmp, link), "dir");
    writeFileSync(join(tmp, "package.json"), JSON.stringify({ type: "module" }));
    for (const s of snippets) {
      mkdirSync(dirname(join(tmp, s.name)), { recursive: true });
      writeFileSync(join(tmp, s.name), s.code);
    }
    writeFileSync(join(tmp, "tsconfig.json"), JSON.stringify({
      extends: join(root, "tsconfig.json"),
      compilerOptions: { noEmit: true, incremental: false, paths: { shapegrad: ["./src/index.ts"] } },
      files: snippets.map((s) => s.name), include: [],
    }));
    const tsgo = join(root, "node_modules/@typescript/native-preview/bin/tsgo");
    const r = spawnSync(process.execPath, [tsgo, "-p", "tsconfig.json", "--pretty", "true"], { cwd: tmp, encoding: "utf8", maxBuffer: 64 << 20 });
    if (r.error) throw r.error;
    const found = parsePretty(r.stdout).map((d) => ({ ...d, file: relative(tmp, resolve(tmp, d.file)) }));
    if (!(r.status === 0 || ((r.status === 1 || r.status === 2) && found.length > 0))) {
      throw new Error(`tsgo exited ${r.status} (signal ${r.signal}):\n${r.stdout}\n${r.stderr}`);
    }
    return found;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** A marker or diagnostic as one line of a failure report. */
export function describeMarker(m: Marker): string {
  const text = m.expect.kind === "shape" ? m.expect.message : `~ ${m.expect.fragment}`;
  return `${m.file}:${m.line}:${m.column} (${m.length} chars, marker on line ${m.markerLine}) ${text}`;
}
export function describeFound(d: Found): string {
  return `${d.file}:${d.line}:${d.column} (${d.length ?? "?"} chars) ${d.text}`;
}
