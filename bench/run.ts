/**
 * `npm run bench`: shapegrad against TensorFlow.js 4.22 on the same work, in one process,
 * implementations alternating round by round, after warm-up; medians of BENCH_ROUNDS rounds
 * (default 9). Writes bench/results.json and bench/README.md.
 *
 * (a) matmul GFLOP/s: squares and the three products of the 784-128-10 network at batch 64;
 * (b) training samples/s, 784-128-10, batch 64 and batch 1, through the public API;
 * (c) the same in TensorFlow.js, `cpu` and `wasm` backends;
 * (d) type-check cost of a 200-layer model definition.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  createWorkspace, dataset, fit, fromArray, lossAndGradients, matmul, matmulTransA, matmulTransB, mlp, oneHot, rng, setBackend, sgd, zeros,
  type Backend,
} from "../src/index.js";
import { KC } from "../src/kernels/gemm.js";
import { GEMM_F32_WASM_BASE64, GEMM_WASM_BASE64 } from "../src/kernels/wasm/gemm-wasm.generated.js";
import { instantiate, memoryOf } from "../src/kernels/wasm/module.js";
import { tfFit, tfMatmul, tfStep, useBackend, type TfBackend } from "./tf.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..");
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9);
const MIN_MS = Number(process.env.BENCH_MIN_MS ?? 250);

/** Seconds per call of `run`, timed over at least MIN_MS. */
function secondsPerCall(run: () => void): number {
  let calls = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < MIN_MS) {
    run();
    calls++;
    t = performance.now();
  }
  return (t - t0) / 1000 / calls;
}

function warm(run: () => void): void {
  const t0 = performance.now();
  while (performance.now() - t0 < 2 * MIN_MS) run();
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

// ---- (a) matrix products -------------------------------------------------------------------
interface Product { name: string; a: [number, number]; b: [number, number]; transA: boolean; transB: boolean }
const products: Product[] = [
  { name: "128 x 128 square", a: [128, 128], b: [128, 128], transA: false, transB: false },
  { name: "256 x 256 square", a: [256, 256], b: [256, 256], transA: false, transB: false },
  { name: "512 x 512 square", a: [512, 512], b: [512, 512], transA: false, transB: false },
  { name: "W a (128x784 . 784x64)", a: [128, 784], b: [784, 64], transA: false, transB: false },
  { name: "W^T delta (128x784^T . 128x64)", a: [128, 784], b: [128, 64], transA: true, transB: false },
  { name: "delta a^T (128x64 . 784x64^T)", a: [128, 64], b: [784, 64], transA: false, transB: true },
];
const flops = (p: Product) => {
  const m = p.transA ? p.a[1] : p.a[0], k = p.transA ? p.a[0] : p.a[1], n = p.transB ? p.b[0] : p.b[1];
  return 2 * m * n * k;
};

function shapegradProduct(p: Product): () => void {
  const r = rng(1);
  const fillRandom = (rows: number, cols: number) => fromArray(Array.from({ length: rows * cols }, () => r.next()), rows, cols);
  const a = fillRandom(...p.a), b = fillRandom(...p.b);
  const m = p.transA ? p.a[1] : p.a[0], n = p.transB ? p.b[0] : p.b[1];
  const out = zeros(m, n);
  if (p.transA) return () => void matmulTransA(a, b, out);
  if (p.transB) return () => void matmulTransB(a, b, out);
  return () => void matmul(a, b, out);
}

type Gemm32 = (tA: boolean, tB: boolean, m: number, n: number, k: number, a: Float32Array, b: Float32Array, c: Float32Array) => void;
/** The same kernel over Float32Array storage, generated from src/kernels/gemm.ts (separate functions: no shared type feedback). */
async function loadGemm32(): Promise<Gemm32> {
  const source = readFileSync(join(root, "src/kernels/gemm.ts"), "utf8").replace(/Float64Array/g, "Float32Array");
  mkdirSync(join(here, ".tmp"), { recursive: true });
  const file = join(here, ".tmp", "gemm-f32.ts");
  writeFileSync(file, source);
  return ((await import(pathToFileURL(file).href)) as { gemm: Gemm32 }).gemm;
}

function float32Product(gemm32: Gemm32, p: Product): () => void {
  const a = new Float32Array(p.a[0] * p.a[1]).map(Math.random), b = new Float32Array(p.b[0] * p.b[1]).map(Math.random);
  const m = p.transA ? p.a[1] : p.a[0], k = p.transA ? p.a[0] : p.a[1], n = p.transB ? p.b[0] : p.b[1];
  const c = new Float32Array(m * n);
  return () => gemm32(p.transA, p.transB, m, n, k, a, b, c);
}

/**
 * The WebAssembly micro-kernel alone, on panels already packed in its module's memory (its own
 * instance), over the same K blocks as the driver: what the product costs without moving data in,
 * packing and copying out, i.e. the ceiling of the full product at this shape.
 */
function microKernelOnly(backend: "wasm" | "wasm-f32", p: Product): () => void {
  const [base64, bytes, width] = backend === "wasm" ? [GEMM_WASM_BASE64, 8, 4] : [GEMM_F32_WASM_BASE64, 4, 8];
  const g = instantiate(base64);
  if (g === null) throw new Error("bench: WebAssembly SIMD is not available");
  const m = p.transA ? p.a[1] : p.a[0], k = p.transA ? p.a[0] : p.a[1], n = p.transB ? p.b[0] : p.b[1];
  const mPanels = Math.ceil(m / 4), nPanels = Math.ceil(n / width), kBlock = Math.min(KC, k);
  const pa = 0, pb = 4 * mPanels * kBlock * bytes, pc = pb + width * nPanels * kBlock * bytes;
  const buffer = memoryOf(g, pc + 4 * mPanels * width * nPanels * bytes);
  const panels = bytes === 8 ? new Float64Array(buffer, 0, pc / 8) : new Float32Array(buffer, 0, pc / 4);
  for (let i = 0; i < panels.length; i++) panels[i] = Math.random();
  return () => {
    for (let k0 = 0; k0 < k; k0 += KC) g.kernel(pa, pb, pc, mPanels, nPanels, Math.min(KC, k - k0), k0 === 0 ? 1 : 0);
  };
}

// ---- (b) training -----------------------------------------------------------------------------
const N = 4096;
const data = (() => {
  const r = rng(2);
  const x = new Float32Array(N * 784).map(() => r.next());
  const labels = Int32Array.from({ length: N }, () => r.int(10));
  return { x, labels };
})();

function shapegradStep(batch: number): () => void {
  const net = mlp([784, 128, 10], { seed: 1 });
  const x = fromArray(Float64Array.from(data.x.subarray(0, batch * 784)), 784, batch); // values only: layout irrelevant to speed
  const t = oneHot(Array.from(data.labels.subarray(0, batch)), 10);
  const ws = createWorkspace(net, batch);
  const optimizer = sgd({ learningRate: 0.01 });
  return () => optimizer.step(net, lossAndGradients(net, x, t, ws).gradients);
}

const examples = Array.from({ length: N }, (_, j) => data.x.subarray(j * 784, (j + 1) * 784));
const trainSet = dataset(examples, data.labels, { features: 784, classes: 10 });
function shapegradFitSeconds(): number {
  const net = mlp([784, 128, 10], { seed: 1 });
  const t0 = performance.now();
  fit(net, trainSet, { epochs: 1, batchSize: 64, optimizer: sgd({ learningRate: 0.01 }), seed: 1 });
  return (performance.now() - t0) / 1000;
}

// ---- (d) type-check cost ----------------------------------------------------------------------
function typeCheckSeconds(layers: number, kind: "mlp" | "sequential"): { seconds: number; instantiations: number } {
  const r = rng(layers);
  const sizes = Array.from({ length: layers + 1 }, () => 2 + r.int(999));
  const body = kind === "mlp"
    ? `export const net = mlp([${sizes.join(", ")}]);\nexport const last = net.weights[${layers - 1}];\n`
    : `export const net = sequential(${sizes.slice(1).map((s, i) => `dense(${sizes[i]}, ${s}), relu()`).join(", ")});\n`;
  const file = join(here, ".tmp", `typecheck-${kind}-${layers}.ts`);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `import { dense, mlp, relu, sequential } from "../../src/index.js";\nvoid [dense, relu, sequential, mlp];\n${body}`);
  const tsc = join(root, "node_modules/typescript/bin/tsc");
  const args = [tsc, "--noEmit", "--strict", "--skipLibCheck", "--target", "es2022", "--module", "nodenext", "--moduleResolution", "nodenext", "--types", "node", "--extendedDiagnostics", "--ignoreConfig", file];
  const times: number[] = [];
  let instantiations = 0;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const out = execFileSync(process.execPath, args, { cwd: root, encoding: "utf8" });
    times.push((performance.now() - t0) / 1000);
    instantiations = Number(/Instantiations:\s+(\d+)/.exec(out)?.[1] ?? 0);
  }
  return { seconds: median(times), instantiations };
}

// ---- the run ---------------------------------------------------------------------------------
interface Result { group: string; name: string; impl: string; unit: string; samples: number[]; median: number }

async function main() {
  const gemm32 = await loadGemm32();
  const samples = new Map<string, { group: string; name: string; impl: string; unit: string; values: number[] }>();
  const record = (group: string, name: string, impl: string, unit: string, value: number) => {
    const key = `${group}|${name}|${impl}`;
    const entry = samples.get(key) ?? { group, name, impl, unit, values: [] };
    entry.values.push(value);
    samples.set(key, entry);
  };
  const gflops = (p: Product, run: () => void) => flops(p) / secondsPerCall(run) / 1e9;

  // Build and warm everything once.
  const sgProducts = products.map((p) => shapegradProduct(p));
  const f32Products = products.map((p) => float32Product(gemm32, p));
  const mlpProducts = products.slice(3);
  const micro = (["wasm", "wasm-f32"] as const).map((backend) => ({ backend, runs: mlpProducts.map((p) => microKernelOnly(backend, p)) }));
  const steps = { 64: shapegradStep(64), 1: shapegradStep(1) };
  for (const run of [...sgProducts, ...f32Products, ...micro.flatMap((x) => x.runs), steps[64], steps[1]]) warm(run);
  shapegradFitSeconds();

  for (let round = 1; round <= ROUNDS; round++) {
    process.stdout.write(`round ${round}/${ROUNDS}\r`);
    for (const backend of ["js", "wasm", "wasm-f32"] as Backend[]) {
      setBackend(backend);
      const impl = `shapegrad ${backend}`;
      if (round === 1) for (const run of [...sgProducts, steps[64], steps[1]]) warm(run);
      products.forEach((p, i) => record("matmul", p.name, impl, "GFLOP/s", gflops(p, sgProducts[i]!)));
      record("training", "step, batch 64 (lossAndGradients + sgd.step)", impl, "samples/s", 64 / secondsPerCall(steps[64]));
      record("training", "step, batch 1 (lossAndGradients + sgd.step)", impl, "samples/s", 1 / secondsPerCall(steps[1]));
      record("training", "fit, batch 64, one epoch of 4096", impl, "samples/s", N / shapegradFitSeconds());
    }
    products.forEach((p, i) => record("matmul", p.name, "shapegrad js, f32 storage", "GFLOP/s", gflops(p, f32Products[i]!)));
    for (const { backend, runs } of micro) {
      mlpProducts.forEach((p, i) => record("matmul", `micro-kernel alone, packed: ${p.name}`, `shapegrad ${backend}`, "GFLOP/s", gflops(p, runs[i]!)));
    }
    for (const backend of ["cpu", "wasm"] as TfBackend[]) {
      await useBackend(backend);
      const impl = `tfjs ${backend}`;
      for (const p of products) {
        const m = tfMatmul(p.a[0], p.a[1], p.b[0], p.b[1], p.transA, p.transB);
        if (round === 1) warm(m.run);
        record("matmul", p.name, impl, "GFLOP/s", gflops(p, m.run));
        m.dispose();
      }
      for (const batch of [64, 1]) {
        const s = tfStep(batch, data.x, data.labels);
        warm(s.run);
        record("training", `step, batch ${batch} (lossAndGradients + sgd.step)`, impl, "samples/s", batch / secondsPerCall(s.run));
        s.dispose();
      }
      if (round === 1) await tfFit(512, 64, data.x, data.labels);
      record("training", "fit, batch 64, one epoch of 4096", impl, "samples/s", N / (await tfFit(N, 64, data.x, data.labels)));
    }
  }
  process.stdout.write("\n");

  const results: Result[] = [...samples.values()].map((s) => ({ group: s.group, name: s.name, impl: s.impl, unit: s.unit, samples: s.values, median: median(s.values) }));
  const typecheck = {
    "2 layers (baseline)": typeCheckSeconds(2, "mlp"),
    "mlp, 200 layers": typeCheckSeconds(200, "mlp"),
    "sequential, 200 dense + 200 relu": typeCheckSeconds(200, "sequential"),
    "sequential, 500 dense + 500 relu (1,000 arguments)": typeCheckSeconds(500, "sequential"),
  };
  report(results, typecheck);
}

/** The performance targets of the issue that asked for this benchmark, each checked against the medians above. */
function targets(results: Result[]): string[] {
  const get = (name: string, impl: string) => results.find((r) => r.name === name && r.impl === impl)?.median ?? NaN;
  const step = "step, batch 64 (lossAndGradients + sgd.step)";
  const mlp = products.slice(3).map((p) => p.name);
  const span = (impl: string, prefix = "") => {
    const values = mlp.map((name) => get(prefix + name, impl));
    return { low: Math.min(...values), text: `${Math.min(...values).toFixed(2)}-${Math.max(...values).toFixed(2)}` };
  };
  const ratio = (a: string, b: string) => get(step, a) / get(step, b);
  const js = span("shapegrad js"), f32 = span("shapegrad wasm-f32"), f32Micro = span("shapegrad wasm-f32", "micro-kernel alone, packed: ");
  const rows: [string, string, boolean][] = [
    ["tier 1: training step >= TF.js wasm", `js ${ratio("shapegrad js", "tfjs wasm").toFixed(2)}x`, ratio("shapegrad js", "tfjs wasm") >= 1],
    ["tier 1: training step >= 5x TF.js cpu", `js ${ratio("shapegrad js", "tfjs cpu").toFixed(2)}x`, ratio("shapegrad js", "tfjs cpu") >= 5],
    ["tier 1: >= 4.5 GFLOP/s on the MLP products", `js ${js.text}`, js.low >= 4.5],
    ["tier 2: training step >= 2x TF.js wasm (aim 3x)", `wasm ${ratio("shapegrad wasm", "tfjs wasm").toFixed(2)}x, wasm-f32 ${ratio("shapegrad wasm-f32", "tfjs wasm").toFixed(2)}x`, ratio("shapegrad wasm", "tfjs wasm") >= 2],
    ["tier 2: >= 45 GFLOP/s f32 on the MLP products", `wasm-f32 ${f32.text} (micro-kernel alone ${f32Micro.text})`, f32.low >= 45],
  ];
  return ["### Targets (this run)", "", "| target | measured | met |", "|---|---|---|", ...rows.map(([t, m, ok]) => `| ${t} | ${m} | ${ok ? "yes" : "no"} |`)];
}

function report(results: Result[], typecheck: Record<string, { seconds: number; instantiations: number }>) {
  const machine = `${cpus()[0]?.model ?? "unknown CPU"}, ${cpus().length} cores, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
  const impls = ["shapegrad js", "shapegrad wasm", "shapegrad wasm-f32", "shapegrad js, f32 storage", "tfjs cpu", "tfjs wasm"];
  const fmt = (v: number | undefined, unit: string) => (v === undefined ? "-" : unit === "GFLOP/s" ? v.toFixed(2) : Math.round(v).toLocaleString("en-US"));
  const lines: string[] = [];
  for (const group of ["matmul", "training"]) {
    const rows = results.filter((r) => r.group === group);
    const names = [...new Set(rows.map((r) => r.name))];
    const present = impls.filter((i) => rows.some((r) => r.impl === i));
    const unit = rows[0]!.unit;
    lines.push(`### ${group === "matmul" ? "Matrix products, GFLOP/s" : "Training, 784-128-10 network, samples/s"}`, "");
    lines.push(`| ${group === "matmul" ? "product" : "work"} | ${present.join(" | ")} | js / tfjs cpu | js / tfjs wasm | wasm / tfjs wasm | wasm-f32 / tfjs wasm |`);
    lines.push(`|---|${present.map(() => "---:").join("|")}|---:|---:|---:|---:|`);
    for (const name of names) {
      const get = (impl: string) => rows.find((r) => r.name === name && r.impl === impl)?.median;
      const ratio = (ours: string, other: string) => (get(ours) && get(other) ? `${(get(ours)! / get(other)!).toFixed(2)}x` : "-");
      lines.push(`| ${name} | ${present.map((i) => fmt(get(i), unit)).join(" | ")} | ${ratio("shapegrad js", "tfjs cpu")} | ${ratio("shapegrad js", "tfjs wasm")} | ${ratio("shapegrad wasm", "tfjs wasm")} | ${ratio("shapegrad wasm-f32", "tfjs wasm")} |`);
    }
    lines.push("");
  }
  lines.push(...targets(results), "");
  lines.push("### Type-check cost (tsc --noEmit of one generated file, median of 3)", "");
  lines.push("| definition | seconds | instantiations |", "|---|---:|---:|");
  for (const [name, t] of Object.entries(typecheck)) lines.push(`| ${name} | ${t.seconds.toFixed(2)} | ${t.instantiations.toLocaleString("en-US")} |`);
  const table = lines.join("\n");
  console.log(`\n${machine}\n\n${table}`);
  writeFileSync(join(here, "results.json"), JSON.stringify({ machine, rounds: ROUNDS, minMsPerSample: MIN_MS, results, typecheck }, null, 2) + "\n");
  writeFileSync(join(here, "README.md"), `# Benchmarks

Measured by \`npm run bench\` (bench/run.ts): one process, implementations alternating round by
round after warm-up, median of ${ROUNDS} rounds, each sample timed over at least ${MIN_MS} ms.
Same work for both libraries: random inputs, the 784-128-10 network (ReLU, softmax,
cross-entropy), plain SGD. "shapegrad js" is the TypeScript kernel tier, "shapegrad wasm" the
WebAssembly SIMD tier (f64x2), "shapegrad wasm-f32" its float32 variant (f32x4, converting while
packing), all on Float64Array matrices; "shapegrad js, f32 storage" is the
TypeScript kernel over Float32Array (generated at bench time) to measure whether float32 storage
pays. The "micro-kernel alone" rows time only the WebAssembly micro-kernel on panels already packed
in its memory (no copying in, packing or copying out): the ceiling of the product above them.
Raw samples are in results.json.

Machine: ${machine}. Two shared cores: absolute figures move by 10-30% from run to run; the ratios
hold better.

${table}
`);
}

await main();
