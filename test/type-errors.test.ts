/**
 * The compile-error corpus (test/type-errors/corpus/): every diagnostic TypeScript 6 and tsgo
 * report must be the one a marker states (exact ShapeError text on the first line, exact start, and
 * exact span where the compiler tells it), no marker may go unmet, and a file without markers must
 * compile. See test/type-errors/harness.ts for the marker syntax. The audit corpus (corpus/audit/)
 * also has to keep its size: at least 100 programs, about half mis-wired.
 */
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  compare, compileWithTsc, compileWithTsgo, describeFound, describeMarker, markersOf, parsePretty, shapeErrorOf,
  type Found, type Hole, type Marker, type Snippet,
} from "./type-errors/harness.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const corpusDir = join(root, "test/type-errors/corpus");

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []);
}

const snippets: Snippet[] = filesUnder(corpusDir).sort().map((f) => ({ name: relative(root, f), code: readFileSync(f, "utf8") }));
const parsed = snippets.map((s) => ({ ...s, ...markersOf(s.name, s.code) }));
const markers: Marker[] = parsed.flatMap((p) => p.markers);
const holes: Hole[] = parsed.flatMap((p) => p.holes);

/**
 * The audit's programs: each starts at a line `// <ID> <what it tries>` (ID like U07) and runs to the
 * next. A program whose heading says "(refused: why)" is a correct program the library refuses (a
 * limitation, listed in the report); the others are mis-wired when they hold a marker or a HOLE.
 */
export function programsOf(code: string): { id: string; first: number; last: number; refused: boolean }[] {
  const lines = code.split("\n");
  const starts = lines.flatMap((l, i) => {
    const m = /^\/\/ ([A-Z]+\d+) /.exec(l);
    return m ? [{ id: m[1]!, first: i + 1 }] : [];
  });
  return starts.map((s, k) => {
    const last = k + 1 < starts.length ? starts[k + 1]!.first - 1 : lines.length;
    const heading = lines.slice(s.first - 1, last).filter((l) => l.startsWith("//")).join(" ");
    return { ...s, last, refused: heading.includes("(refused: ") };
  });
}

function check(found: readonly Found[], compiler: string): void {
  const { unmet, unclaimed } = compare(found, markers);
  const onHoles = found.filter((d) => holes.some((h) => h.file === d.file && h.line === d.line));
  const report = [
    ...unmet.map((m) => `${compiler}: no such error: ${describeMarker(m)}`),
    ...unclaimed.map((d) => `${compiler}: unexpected error: ${describeFound(d)}`),
    ...onHoles.map((d) => `${compiler}: a known hole is an error now (turn its HOLE comment into a marker): ${describeFound(d)}`),
  ];
  expect(report).toEqual([]);
}

describe("the compile-error corpus", () => {
  it("has markers, programs and a known-hole list to check", () => {
    expect(snippets.length).toBeGreaterThan(5);
    expect(markers.length).toBeGreaterThan(100);
    for (const h of holes) console.log(`known hole ${h.file}:${h.line}: ${h.why}`);
  });

  it("the audit holds at least 100 programs, about half of them mis-wired", () => {
    const audit = parsed.filter((p) => p.name.includes("/audit/"));
    const programs = audit.flatMap((p) => programsOf(p.code).map((prog) => {
      const wrong = p.markers.some((m) => m.line >= prog.first && m.line <= prog.last) || p.holes.some((h) => h.line >= prog.first && h.line <= prog.last);
      return { file: p.name, ...prog, wrong };
    }));
    const ids = programs.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const refused = programs.filter((p) => p.refused);
    const wrong = programs.filter((p) => p.wrong && !p.refused).length;
    console.log(`audit: ${programs.length} programs, ${wrong} mis-wired (each an error or a listed HOLE), ${programs.length - wrong} correct, ` +
      `of which ${refused.length} refused on purpose (${refused.map((p) => p.id).join(", ")}); ${holes.length} known holes`);
    expect(refused.every((p) => p.wrong)).toBe(true); // a "refused" program must be shown refused by a marker
    expect(programs.length).toBeGreaterThanOrEqual(100);
    expect(wrong / programs.length).toBeGreaterThan(0.35);
    expect(wrong / programs.length).toBeLessThan(0.65);
  });

  it("TypeScript 6 (compiler API): each marker's error, exactly, and no other", () => {
    check(compileWithTsc(root, snippets), "tsc");
  });

  it("tsgo (TypeScript 7): the same errors at the same places", () => {
    check(compileWithTsgo(root, snippets), "tsgo");
  });
});

/** The harness itself can fail: planted mistakes in the markers are each reported. */
const PLANTED = `import { matmul, zeros } from "../../../src/index.js";
void matmul(zeros(3, 4), zeros(5, 5));
//                       ^^^^^^^^^^^ matmul expects b.rows = a.cols = 4, got 3x4 times 5x5
void matmul(zeros(3, 4), zeros(5, 5));
//                       ^^^^^^^^^^ matmul expects b.rows = a.cols = 4, got 3x4 times 5x5
void matmul(zeros(3, 4), zeros(5, 5));
//                      ^^^^^^^^^^^ matmul expects b.rows = a.cols = 4, got 3x4 times 5x5
void matmul(zeros(3, 4), zeros(5, 5));
//                       ^^^^^^^^^^^ matmul expects b.rows = a.cols = 5, got 3x4 times 5x5
void matmul(zeros(3, 4), zeros(5, 5));
void matmul(zeros(3, 4), zeros(4, 5));
//                       ^^^^^^^^^^^ matmul expects b.rows = a.cols = 4, got 3x4 times 4x5
void matmul(zeros(3, 4), zeros(4, 5)); // HOLE: planted, compiles
const n: number = "3"; // HOLE: planted, does not compile
`;

describe("the harness", () => {
  const name = "test/type-errors/corpus/__planted.ts";
  const { markers: planted, holes: plantedHoles } = markersOf(name, PLANTED);

  it("reads markers (column, span, text) and holes", () => {
    expect(planted.map((m) => [m.line, m.column, m.length])).toEqual([[2, 26, 11], [4, 26, 10], [6, 25, 11], [8, 26, 11], [11, 26, 11]]);
    expect(planted[0]!.expect).toEqual({ kind: "shape", message: "matmul expects b.rows = a.cols = 4, got 3x4 times 5x5" });
    expect(plantedHoles.map((h) => h.line)).toEqual([13, 14]);
    expect(shapeErrorOf(`x 'ShapeError<"a \\"b\\" c">' y`)).toBe('a "b" c');
  });

  it("reports a wrong span, a wrong column, a wrong text, an unmarked error and a marker with no error", () => {
    const found = compileWithTsc(root, [{ name, code: PLANTED }]);
    const { unmet, unclaimed } = compare(found, planted);
    expect(unmet.map((m) => m.markerLine)).toEqual([5, 7, 9, 12]);
    expect(unclaimed.map((d) => d.line).sort((a, b) => a - b)).toEqual([4, 6, 8, 10, 14]);
  });

  it("reads tsgo's pretty output: position, first line, and the span from the squiggle", () => {
    const out = [
      "x.ts:2:26 - \u001b[91merror\u001b[0m TS2739: Type 'Matrix<5, 5>' is missing the following properties from type 'ShapeError<\"m\">': message, name",
      "",
      "\u001b[7m2\u001b[0m void matmul(zeros(3, 4), zeros(5, 5));",
      "\u001b[7m \u001b[0m \u001b[91m                         ~~~~~~~~~~~\u001b[0m",
      "",
    ].join("\n");
    expect(parsePretty(out)).toEqual([{ file: "x.ts", line: 2, column: 26, length: 11, text: "Type 'Matrix<5, 5>' is missing the following properties from type 'ShapeError<\"m\">': message, name" }]);
  });
});
