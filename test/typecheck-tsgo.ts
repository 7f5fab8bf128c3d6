/**
 * The type tests' verdicts under tsgo, TypeScript 7's native compiler (`npm run test:tsgo`).
 *
 * tsd runs test-d/ on TypeScript 6 through the compiler API, which tsgo does not have. This runner
 * compiles every test-d/*.test-d.ts with the `tsgo` binary instead and compares by LINE:
 * - every `expectError(...)` must have at least one error on its line(s);
 * - every `expectNotAssignable<T>(v)` is rewritten to a call whose parameter is T (tsd declares
 *   it with an `any` parameter, so a plain compiler checks nothing) and must then have an error;
 * - no other line of the program may have an error.
 * Lines, not error codes: tsgo may give another code for the same mistake (TS2739 or TS2741 where
 * TypeScript 6 says TS2345). What a plain compiler cannot check: tsd's `expectType<T>(v)` is an
 * IDENTITY check done through the compiler API; compiled by tsgo it only checks that v is
 * assignable to T (so an expectType that became too wide or too narrow the other way passes here).
 * `expectNotType` checks nothing under tsgo. Those stay tsd's job.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";

/** A call whose argument must not compile: lines are 1-based and inclusive. */
export interface Site { readonly file: string; readonly kind: "expectError" | "expectNotAssignable"; readonly first: number; readonly last: number }
export interface Diagnostic { readonly file: string; readonly line: number; readonly text: string }
export interface Verdicts {
  readonly files: readonly string[];
  readonly sites: readonly Site[];
  /** Sites with no error on their lines under tsgo. */
  readonly missing: readonly Site[];
  /** Errors on lines that are no site's. */
  readonly unexpected: readonly Diagnostic[];
  readonly seconds: number;
}

const NOT_ASSIGNABLE = "tsgoExpectNotAssignable";

/** The sites of a file, and its text with every expectNotAssignable made checkable. */
export function sitesOf(file: string, text: string): { sites: Site[]; rewritten: string } {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const sites: Site[] = [];
  const renames: number[] = [];
  const line = (pos: number) => source.getLineAndCharacterOfPosition(pos).line + 1;
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression)) {
      const name = node.expression.text;
      if (name === "expectError" || name === "expectNotAssignable") {
        sites.push({ file, kind: name, first: line(node.getStart(source)), last: line(node.end) });
        if (name === "expectNotAssignable") renames.push(node.expression.getStart(source));
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  let rewritten = text;
  for (const at of renames.sort((a, b) => b - a)) rewritten = rewritten.slice(0, at) + NOT_ASSIGNABLE + rewritten.slice(at + "expectNotAssignable".length);
  // Declared after the last line, so that no line number moves: a parameter of type T.
  if (renames.length > 0) rewritten += `${rewritten.endsWith("\n") ? "" : "\n"}declare function ${NOT_ASSIGNABLE}<T>(expression: T): void;\n`;
  return { sites, rewritten };
}

/** `file(line,col): error TSnnnn: text` lines of tsgo's plain output (continuation lines dropped). */
export function parseDiagnostics(output: string): Diagnostic[] {
  return [...output.matchAll(/^(.+?)\((\d+),\d+\): error (TS\d+: .*)$/gm)].map((m) => ({ file: m[1]!, line: Number(m[2]), text: m[3]! }));
}

/** Compares sites and diagnostics by file and line. */
export function compare(sites: readonly Site[], diagnostics: readonly Diagnostic[]): { missing: Site[]; unexpected: Diagnostic[] } {
  const within = (d: Diagnostic, s: Site) => d.file === s.file && d.line >= s.first && d.line <= s.last;
  return {
    missing: sites.filter((s) => !diagnostics.some((d) => within(d, s))),
    unexpected: diagnostics.filter((d) => !sites.some((s) => within(d, s))),
  };
}

/**
 * Compiles `root`/test-d/*.test-d.ts with tsgo and the options of `root`/tsconfig.json. The files
 * are copied (rewritten) into a temporary folder beside links to `root`'s src/ and node_modules/,
 * so their imports resolve as in place and the work tree is not touched.
 */
export function tsgoVerdicts(root: string): Verdicts {
  const tmp = mkdtempSync(join(tmpdir(), "shapegrad-tsgo-"));
  try {
    for (const link of ["src", "node_modules"]) symlinkSync(join(root, link), join(tmp, link), "dir");
    writeFileSync(join(tmp, "package.json"), JSON.stringify({ type: "module" })); // as the root's: ESM
    mkdirSync(join(tmp, "test-d"));
    const names = readdirSync(join(root, "test-d")).filter((f) => f.endsWith(".ts")).sort();
    const files = names.filter((f) => f.endsWith(".test-d.ts")).map((f) => `test-d/${f}`);
    const sites: Site[] = [];
    for (const name of names) {
      const file = `test-d/${name}`;
      const { sites: found, rewritten } = sitesOf(file, readFileSync(join(root, file), "utf8"));
      sites.push(...found);
      writeFileSync(join(tmp, file), rewritten);
    }
    writeFileSync(join(tmp, "tsconfig.json"), JSON.stringify({
      extends: join(root, "tsconfig.json"), compilerOptions: { noEmit: true, incremental: false }, files, include: [],
    }));
    const started = performance.now();
    const tsgo = join(root, "node_modules/@typescript/native-preview/bin/tsgo");
    const r = spawnSync(process.execPath, [tsgo, "-p", "tsconfig.json", "--pretty", "false"], { cwd: tmp, encoding: "utf8", maxBuffer: 64 << 20 });
    const seconds = (performance.now() - started) / 1000;
    if (r.error) throw r.error;
    const diagnostics = parseDiagnostics(r.stdout);
    // Exit codes: 0 no errors, 1 or 2 errors reported. Anything else, or an exit 1/2 with no
    // parsable error, is tsgo failing to run: say so rather than compare nothing.
    if (!(r.status === 0 || ((r.status === 1 || r.status === 2) && diagnostics.length > 0))) {
      throw new Error(`tsgo exited ${r.status} (signal ${r.signal}):\n${r.stdout}\n${r.stderr}`);
    }
    return { files, sites, ...compare(sites, diagnostics), seconds };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

function main(): number {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  const v = tsgoVerdicts(root);
  const problems = [
    ...v.missing.map((s) => `${s.file}:${s.first}: ${s.kind}(...) compiles under tsgo, but must not`),
    ...v.unexpected.map((d) => `${d.file}:${d.line}: unexpected error under tsgo: ${d.text}`),
  ];
  for (const p of problems.slice(0, 40)) console.error(p);
  if (problems.length > 40) console.error(`... and ${problems.length - 40} more`);
  const count = (kind: Site["kind"]) => v.sites.filter((s) => s.kind === kind).length;
  console.log(`tsgo: ${v.files.length} type-test files in ${v.seconds.toFixed(1)}s; ${count("expectError")} expectError and ${count("expectNotAssignable")} expectNotAssignable ` +
    `sites, ${v.sites.length - v.missing.length} with their error; ${v.missing.length} compiling that must not, ${v.unexpected.length} unexpected error${v.unexpected.length === 1 ? "" : "s"}`);
  if (v.files.length === 0 || v.sites.length === 0) {
    console.error("tsgo: no type tests found in test-d/");
    return 1;
  }
  return v.missing.length + v.unexpected.length === 0 ? 0 : 1;
}

if (process.argv[1] !== undefined && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) process.exitCode = main();
