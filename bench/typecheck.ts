/**
 * Type-check cost: `tsc --noEmit` of one generated file per row, timed, with a time limit, so a
 * definition that makes the compiler give up (TS2589) or run away is reported, not waited for.
 * Adding a row is one line in TYPECHECK_ROWS.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { summarize, type Summary } from "./stats.js";

/** A generated program: `imports` from the library, then `body`. */
export interface TypecheckRow { readonly name: string; readonly imports: readonly string[]; readonly body: string }

/** Layer sizes 2..1000 from a seeded generator, so each row's file is the same from run to run. */
function sizes(count: number, seed: number): number[] {
  let s = seed;
  return Array.from({ length: count }, () => 2 + ((s = (s * 16807) % 2147483647) % 999));
}

/** `mlp([...])` with `layers` layers, and a read of its last weight matrix (forces the tuple type). */
export function mlpRow(name: string, layers: number): TypecheckRow {
  const s = sizes(layers + 1, layers);
  return { name, imports: ["mlp"], body: `export const net = mlp([${s.join(", ")}]);\nexport const last = net.weights[${layers - 1}];\n` };
}

/** `sequential(dense(a, b), relu(), ...)` with `dense` dense layers, each followed by an activation layer. */
export function sequentialRow(name: string, dense: number): TypecheckRow {
  const s = sizes(dense + 1, dense);
  const layers = s.slice(1).map((n, i) => `dense(${s[i]}, ${n}), relu()`);
  return { name, imports: ["dense", "relu", "sequential"], body: `export const net = sequential(${layers.join(", ")});\n` };
}

/**
 * A CNN of `blocks` conv blocks on a 1x32x32 image: conv2d(8, 3, same) + relu() per block, a
 * maxPool2d(2) after every third, then flatten() and dense(10), softmax(): 2 + 2*blocks + pools + 3
 * layers. Every shape is computed by the compiler (issue 12 asks for a 20-layer CNN under 3 s).
 */
export function cnnRow(name: string, blocks: number): TypecheckRow {
  const layers = ["input(1, 32, 32)"];
  for (let i = 1; i <= blocks; i++) {
    layers.push('conv2d(8, 3, { padding: "same" })', "relu()");
    if (i % 3 === 0) layers.push("maxPool2d(2)");
  }
  layers.push("flatten()", "dense(10)", "softmax()");
  return { name: `${name} (${layers.length} layers)`, imports: ["conv2d", "dense", "flatten", "input", "maxPool2d", "relu", "sequential", "softmax"], body: `export const net = sequential(${layers.join(", ")});\nexport const shapes = net.shapes;\n` };
}

export const TYPECHECK_ROWS: readonly TypecheckRow[] = [
  mlpRow("2 layers (baseline)", 2),
  mlpRow("mlp, 200 layers", 200),
  sequentialRow("sequential, 200 dense + 200 relu", 200),
  sequentialRow("sequential, 500 dense + 500 relu (1,000 layers)", 500),
  cnnRow("CNN, 8 conv blocks", 8),
];

export interface TypecheckResult {
  readonly name: string;
  /** "ok", "failed: TS2589" (the first error codes), or "timeout". */
  readonly outcome: string;
  /** Seconds of each run (a failed or timed-out run is the last, and stops the repetitions). */
  readonly seconds: readonly number[];
  readonly summary: Summary;
  readonly instantiations: number | null;
}

/** What one tsc run's exit, output and time limit say. */
export function outcomeOf(exitCode: number, output: string, timedOut: boolean): string {
  if (timedOut) return "timeout";
  if (exitCode === 0) return "ok";
  const codes = [...new Set([...output.matchAll(/error (TS\d+)/g)].map((m) => m[1]))];
  return `failed: ${codes.length > 0 ? codes.slice(0, 3).join(", ") : `exit code ${exitCode}`}`;
}

export const instantiationsOf = (output: string): number | null => {
  const m = /Instantiations:\s+(\d+)/.exec(output);
  return m ? Number(m[1]) : null;
};

/** Runs tsc on `row`'s file up to `repetitions` times, each stopped after `timeoutMs`. */
export function typecheck(row: TypecheckRow, root: string, repetitions: number, timeoutMs: number): TypecheckResult {
  const file = join(root, "bench", ".tmp", `typecheck-${row.name.replace(/[^a-z0-9]+/gi, "-")}.ts`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `import { ${row.imports.join(", ")} } from "../../src/index.js";\n${row.body}`);
  const tsc = join(root, "node_modules/typescript/bin/tsc");
  const args = [tsc, "--noEmit", "--strict", "--skipLibCheck", "--target", "es2022", "--module", "nodenext", "--moduleResolution", "nodenext", "--types", "node", "--extendedDiagnostics", "--ignoreConfig", file];
  const seconds: number[] = [];
  let outcome = "ok", instantiations: number | null = null;
  for (let i = 0; i < repetitions && outcome === "ok"; i++) {
    const t0 = performance.now();
    let output: string, exitCode = 0, timedOut = false;
    try {
      output = execFileSync(process.execPath, args, { cwd: root, encoding: "utf8", timeout: timeoutMs, killSignal: "SIGKILL", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 << 20 });
    } catch (e) {
      const err = e as { stdout?: string; status?: number | null; signal?: string | null };
      output = err.stdout ?? "";
      exitCode = err.status ?? 1;
      timedOut = err.signal === "SIGKILL" && performance.now() - t0 >= timeoutMs - 50;
    }
    seconds.push((performance.now() - t0) / 1000);
    outcome = outcomeOf(exitCode, output, timedOut);
    instantiations = instantiationsOf(output) ?? instantiations;
  }
  return { name: row.name, outcome, seconds, summary: summarize(seconds), instantiations };
}
