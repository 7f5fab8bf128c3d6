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
  compare, compileWithTsc, compileWithTsgo, describeFound, describeMarker, markersOf, type Found, type Hole, type Marker, type Snippet,
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

/** The audit's programs: each starts at a line `// <ID> <what it tries>` (ID like U07) and runs to the next. */
export function programsOf(code: string): { id: string; first: number; last: number }[] {
  const lines = code.split("\n");
  const starts = lines.flatMap((l, i) => {
    const m = /^\/\/ ([A-Z]+\d+) /.exec(l);
    return m ? [{ id: m[1]!, first: i + 1 }] : [];
  });
  return starts.map((s, k) => ({ ...s, last: k + 1 < starts.length ? starts[k + 1]!.first - 1 : lines.length }));
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
    const wrong = programs.filter((p) => p.wrong).length;
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
