/**
 * `npx tsx bench/typecheck/run.ts`: the type checker's cost on generated model definitions
 * (bench/typecheck/generate.ts), with TypeScript 6 (`tsc --extendedDiagnostics`) and tsgo
 * (`tsgo --extendedDiagnostics`): check time, total time and instantiations, median of ROUNDS runs
 * (default 3), the compilers alternating program by program. Each program is written to a temporary
 * folder beside links to src/, dist/ and node_modules/ and checked alone. Prints a Markdown table and
 * writes bench/typecheck/results.json (results-dist.json with FROM=dist: the programs then import the
 * built declarations, as a package user's compiler sees them, and the library's sources are not
 * checked with them). ARGS=125,250 chooses the list lengths.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { baselineProgram, cnnProgram, sequentialProgram, summaryProgram } from "./generate.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const ARGS = (process.env.ARGS ?? "125,250,500,1000").split(",").filter(Boolean).map(Number);

interface Measure { checkSeconds: number; totalSeconds: number; instantiations: number; wallSeconds: number; errors: string[] }

const compilers = {
  tsc: join(root, "node_modules/typescript/bin/tsc"),
  tsgo: join(root, "node_modules/@typescript/native-preview/bin/tsgo"),
};
const flags = ["--noEmit", "--strict", "--skipLibCheck", "--target", "es2022", "--module", "nodenext", "--moduleResolution", "nodenext", "--types", "node", "--extendedDiagnostics", "--ignoreConfig"];

function once(dir: string, file: string, compiler: keyof typeof compilers): Measure {
  const t0 = performance.now();
  let out: string;
  try {
    out = execFileSync(process.execPath, [compilers[compiler], ...flags, file], { cwd: dir, encoding: "utf8", maxBuffer: 64 << 20 });
  } catch (e) {
    out = String((e as { stdout?: string }).stdout ?? e); // type errors exit non-zero; the figures are still printed
  }
  const wallSeconds = (performance.now() - t0) / 1000;
  const read = (name: string) => Number(new RegExp(`${name}:\\s+([\\d.]+)`).exec(out)?.[1] ?? Number.NaN);
  const errors = out.split("\n").filter((l) => /error TS\d+/.test(l));
  return { checkSeconds: read("Check time"), totalSeconds: read("Total time"), instantiations: read("Instantiations"), wallSeconds, errors };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function measure(programs: Record<string, string>): Record<string, Record<string, Measure>> {
  const dir = mkdtempSync(join(tmpdir(), "shapegrad-typecheck-bench-"));
  try {
    for (const link of ["src", "dist", "node_modules"]) symlinkSync(join(root, link), join(dir, link), "dir");
    writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module" }));
    const runs: Record<string, Record<string, Measure[]>> = {};
    for (const [name, code] of Object.entries(programs)) writeFileSync(join(dir, `${name}.ts`), code);
    for (let round = 0; round < ROUNDS; round++) {
      for (const name of Object.keys(programs)) {
        for (const compiler of Object.keys(compilers) as (keyof typeof compilers)[]) {
          process.stderr.write(`round ${round + 1}/${ROUNDS} ${name} ${compiler}        \r`);
          ((runs[name] ??= {})[compiler] ??= []).push(once(dir, `${name}.ts`, compiler));
        }
      }
    }
    process.stderr.write("\n");
    const result: Record<string, Record<string, Measure>> = {};
    for (const [name, byCompiler] of Object.entries(runs)) {
      for (const [compiler, list] of Object.entries(byCompiler)) {
        (result[name] ??= {})[compiler] = {
          checkSeconds: median(list.map((m) => m.checkSeconds)), totalSeconds: median(list.map((m) => m.totalSeconds)),
          instantiations: median(list.map((m) => m.instantiations)), wallSeconds: median(list.map((m) => m.wallSeconds)), errors: list[0]!.errors,
        };
      }
    }
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function main(): void {
  const programs: Record<string, string> = { baseline: baselineProgram(), cnn20: cnnProgram() };
  for (const n of ARGS) {
    programs[`sequential${n}`] = sequentialProgram(n);
    programs[`summary${n}`] = summaryProgram(n);
  }
  const r = measure(programs);
  const row = (label: string, name: string) => {
    const c = r[name]!.tsc!, g = r[name]!.tsgo!;
    const bad = [...c.errors, ...g.errors];
    return `| ${label} | ${c.checkSeconds.toFixed(2)} | ${c.totalSeconds.toFixed(2)} | ${c.instantiations.toLocaleString("en-US")} | ` +
      `${g.checkSeconds.toFixed(2)} | ${g.totalSeconds.toFixed(2)} | ${g.instantiations.toLocaleString("en-US")} |${bad.length ? ` ERRORS: ${bad.slice(0, 2).join(" ")}` : ""}`;
  };
  const lines = [
    "| program | tsc check s | tsc total s | tsc instantiations | tsgo check s | tsgo total s | tsgo instantiations |",
    "|---|---:|---:|---:|---:|---:|---:|",
    row("baseline: sequential of 3 arguments", "baseline"),
    ...ARGS.map((n) => row(`sequential, ${n} arguments (${Math.ceil(n / 2)} dense + ${Math.floor(n / 2)} relu)`, `sequential${n}`)),
    ...ARGS.map((n) => row(`the same + summary(net) (${Math.ceil(n / 2)} layers)`, `summary${n}`)),
    row("CNN of 20 layers (12 conv2d, 6 maxPool2d, flatten, dense) + summary", "cnn20"),
  ];
  console.log(lines.join("\n"));
  const out = process.env.FROM === "dist" ? "results-dist.json" : "results.json";
  writeFileSync(join(here, out), JSON.stringify({ from: process.env.FROM ?? "src", rounds: ROUNDS, args: ARGS, results: r }, null, 2) + "\n");
}

main();
