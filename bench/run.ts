/**
 * `npm run bench`: shapegrad against TensorFlow.js 4.22 on the same work, in one process.
 *
 * First the consistency checks (checks.ts: every TF.js spelling gives the autodiff spelling's loss
 * and update; shapegrad gives TF.js's loss, update and prediction). Then every timed item is
 * warmed up, and ROUNDS rounds alternate the implementations case by case (the order reversed
 * every other round); each sample is timed over at least MIN_MS. Then the type-check rows.
 * Tables show median (min-max) over the rounds; ratios are round-by-round against the fastest
 * TF.js wasm spelling. Writes bench/results.json and bench/README.md (not with --quick).
 */
import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { anchorOf, targetRows, type Group, type Series, type TargetCases } from "./analysis.js";
import { assertAgreements, cnnAgreesWithTf, shapegradAgreesWithTf, tfSpellingsAgree, type Agreement } from "./checks.js";
import { parseOptions, type Options } from "./options.js";
import { renderTable, tables, type ReportInput } from "./report.js";
import { FLOAT32, FLOAT64, IMPLS, cnnTrainingStep, fitSeconds, flavour, microKernelOnly, predictOne, product, tfCnnParamsOf, tfParamsOf, trainingStep } from "./shapegrad.js";
import { secondsPerCall, summarize, warm } from "./stats.js";
import { SPELLING_NAMES, TF_SPELLINGS, tfFit, tfMatmul, tfPredict, tfStep, useBackend, type TfBatch, type TfParams, type TfRun } from "./tf.js";
import { CNN_SPELLING_NAMES, tfCnnStep, type TfCnnParams } from "./tf-cnn.js";
import { TYPECHECK_ROWS, typecheck, type TypecheckResult } from "./typecheck.js";
import { CNN_CASE, FIT_CASE, FIT_EXAMPLES, PREDICT, PRODUCTS, TRAINING, productFlops, randomData } from "./workloads.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..");

/** One timed item: an implementation on a case. */
interface Entry {
  readonly group: Group;
  readonly case: string;
  readonly impl: string;
  readonly unit: string;
  readonly lowerIsBetter: boolean;
  /** Makes the implementation current (shapegrad's backend is global). */
  readonly use: () => void;
  readonly warm: () => void | Promise<void>;
  /** One sample. */
  readonly measure: () => number | Promise<number>;
  readonly dispose: () => void;
}

const nothing = () => {};
const data = randomData(FIT_EXAMPLES, 784, 10);
const batchOf = (batch: number): TfBatch => ({ x: data.x, labels: data.labels, batch });
const examples = Array.from({ length: FIT_EXAMPLES }, (_, j) => data.x.subarray(j * 784, (j + 1) * 784));

/** A timed item doing one unit of work per call of `run`, reported as `perSecond(secondsPerCall)`. */
function timed(o: Options, base: Omit<Entry, "warm" | "measure" | "use" | "dispose">, run: () => void, value: (seconds: number) => number, use = nothing, dispose = nothing): Entry {
  return { ...base, use, dispose, warm: () => warm(run, o.warmMs), measure: () => value(secondsPerCall(run, o.minMs)) };
}

const gflops = (flops: number) => (seconds: number) => flops / seconds / 1e9;
const perSecond = (n: number) => (seconds: number) => n / seconds;
const micros = (seconds: number) => seconds * 1e6;

/** The CNN's initial parameters in TF.js's layout (shapegrad's, seed 1), shared by every TF.js spelling. */
let cnnParams: TfCnnParams | undefined;
const cnnParamsOnce = () => (cnnParams ??= tfCnnParamsOf(cnnTrainingStep(IMPLS[0]!, batchOf(CNN_CASE.batch)).net));

/** The CNN step on every shapegrad implementation and TF.js wasm (customGrad conv2d: its autodiff cannot run conv2d there). */
function cnnEntries(o: Options): Entry[] {
  const base = { group: "cnn" as const, case: CNN_CASE.name, unit: "samples/s", lowerIsBetter: false };
  const list = IMPLS.map((impl) => timed(o, { ...base, impl: impl.name }, cnnTrainingStep(impl, batchOf(CNN_CASE.batch)).run, perSecond(CNN_CASE.batch), flavour(impl).use));
  const r = tfCnnStep("customGrad", cnnParamsOnce(), batchOf(CNN_CASE.batch));
  list.push(timed(o, { ...base, impl: `tfjs wasm, ${CNN_SPELLING_NAMES.customGrad}` }, r.run, perSecond(CNN_CASE.batch), nothing, r.dispose));
  return list;
}

/** Everything timed on TF.js's wasm backend and on shapegrad, built once. `params` holds each training case's initial parameters. */
function entries(o: Options, params: Map<string, TfParams>): Entry[] {
  const list: Entry[] = [];
  const tfEntry = (base: Omit<Entry, "warm" | "measure" | "use" | "dispose">, r: TfRun, value: (s: number) => number) => timed(o, base, r.run, value, nothing, r.dispose);
  for (const p of PRODUCTS) {
    const base = { group: "products" as const, case: p.name, unit: "GFLOP/s", lowerIsBetter: false };
    for (const impl of IMPLS) list.push(timed(o, { ...base, impl: impl.name }, product(impl, p), gflops(productFlops(p)), flavour(impl).use));
    list.push(tfEntry({ ...base, impl: "tfjs wasm" }, tfMatmul(p.a[0], p.a[1], p.b[0], p.b[1], p.transA, p.transB), gflops(productFlops(p))));
    if (p.target) for (const backend of ["wasm", "wasm-f32"] as const) list.push(timed(o, { ...base, impl: `micro-kernel ${backend}` }, microKernelOnly(backend, p), gflops(productFlops(p))));
  }
  for (const c of TRAINING) {
    const base = { group: "training" as const, case: c.name, unit: "samples/s", lowerIsBetter: false };
    for (const impl of IMPLS) {
      const step = trainingStep(impl, c.sizes, batchOf(c.batch));
      if (!params.has(c.name)) params.set(c.name, tfParamsOf(step.net));
      list.push(timed(o, { ...base, impl: impl.name }, step.run, perSecond(c.batch), flavour(impl).use));
    }
    for (const s of TF_SPELLINGS) list.push(tfEntry({ ...base, impl: `tfjs wasm, ${SPELLING_NAMES[s]}` }, tfStep(s, params.get(c.name)!, batchOf(c.batch)), perSecond(c.batch)));
  }
  list.push(...cnnEntries(o));
  const fitBase = { group: "training" as const, case: FIT_CASE, unit: "samples/s", lowerIsBetter: false };
  for (const impl of IMPLS) {
    const once = () => fitSeconds(impl, examples, data.labels);
    list.push({ ...fitBase, impl: impl.name, use: flavour(impl).use, warm: () => void once(), measure: () => FIT_EXAMPLES / once(), dispose: nothing });
  }
  list.push({
    ...fitBase, impl: `tfjs wasm, ${SPELLING_NAMES.autodiff}`, use: nothing, dispose: nothing,
    warm: async () => void (await tfFit(512, 64, data.x, data.labels)),
    measure: async () => FIT_EXAMPLES / (await tfFit(FIT_EXAMPLES, 64, data.x, data.labels)),
  });
  for (const c of PREDICT) {
    const base = { group: "predict" as const, case: c.name, unit: "microseconds/call", lowerIsBetter: true };
    let first: TfParams | undefined;
    for (const impl of IMPLS) {
      const one = predictOne(impl, c.sizes, batchOf(1));
      first ??= tfParamsOf(one.net);
      list.push(timed(o, { ...base, impl: impl.name }, one.run, micros, flavour(impl).use));
    }
    list.push(tfEntry({ ...base, impl: "tfjs wasm, matMul chain + dataSync" }, tfPredict(first!, data.x), micros));
  }
  return list;
}

/** TF.js `cpu` items (pure JavaScript, for reference), built per round on their own backend. */
function cpuEntries(o: Options, params: Map<string, TfParams>): Entry[] {
  const list: Entry[] = [];
  for (const p of PRODUCTS.filter((x) => x.tfCpu)) {
    const r = tfMatmul(p.a[0], p.a[1], p.b[0], p.b[1], p.transA, p.transB);
    list.push(timed(o, { group: "products", case: p.name, impl: "tfjs cpu", unit: "GFLOP/s", lowerIsBetter: false }, r.run, gflops(productFlops(p)), nothing, r.dispose));
  }
  for (const c of TRAINING.filter((x) => x.tfCpu)) {
    const r = tfStep("autodiff", params.get(c.name)!, batchOf(c.batch));
    list.push(timed(o, { group: "training", case: c.name, impl: `tfjs cpu, ${SPELLING_NAMES.autodiff}`, unit: "samples/s", lowerIsBetter: false }, r.run, perSecond(c.batch), nothing, r.dispose));
  }
  const cnn = tfCnnStep("autodiff", cnnParamsOnce(), batchOf(CNN_CASE.batch));
  list.push(timed(o, { group: "cnn", case: CNN_CASE.name, impl: `tfjs cpu, ${CNN_SPELLING_NAMES.autodiff}`, unit: "samples/s", lowerIsBetter: false }, cnn.run, perSecond(CNN_CASE.batch), nothing, cnn.dispose));
  return list;
}

/** The consistency checks on every training case up to batch 64, and on the CNN. */
async function runChecks(): Promise<Agreement[]> {
  const agreements: Agreement[] = [];
  for (const c of TRAINING.filter((x) => x.batch <= 64)) {
    const params = tfParamsOf(trainingStep(IMPLS[0]!, c.sizes, batchOf(c.batch)).net);
    agreements.push(...tfSpellingsAgree(params, batchOf(c.batch)));
    for (const impl of IMPLS) agreements.push(...shapegradAgreesWithTf(impl, c.sizes, batchOf(c.batch)));
  }
  agreements.push(...(await cnnAgreesWithTf(IMPLS, batchOf(CNN_CASE.batch))));
  assertAgreements("TF.js spellings and shapegrad on the same parameters and batch", agreements);
  return agreements;
}

const status = (text: string) => process.stdout.write(process.stdout.isTTY ? `\r\x1b[2K${text}` : `${text}\n`);

async function main(o: Options): Promise<void> {
  const started = performance.now(), loadStart = loadavg();
  await useBackend("cpu");
  await useBackend("wasm");
  status("checks ...");
  const agreements = await runChecks();
  const worst = Math.max(...agreements.map((a) => a.difference));
  status(`checks: ${agreements.length} quantities agree (largest difference ${worst.toExponential(1)})\n`);

  const params = new Map<string, TfParams>();
  const list = entries(o, params);
  const samples = new Map<string, { entry: Entry; values: number[] }>();
  const record = (e: Entry, v: number) => {
    const key = `${e.group}|${e.case}|${e.impl}`;
    const s = samples.get(key) ?? { entry: e, values: [] };
    s.values.push(v);
    samples.set(key, s);
  };
  for (const [i, e] of list.entries()) {
    status(`warm-up ${i + 1}/${list.length}: ${e.case}, ${e.impl}`);
    e.use();
    await e.warm();
  }
  const groupsOfCases = [...new Set(list.map((e) => `${e.group}|${e.case}`))];
  const cpu0 = process.cpuUsage(), wall0 = performance.now();
  for (let round = 1; round <= o.rounds; round++) {
    for (const key of groupsOfCases) {
      status(`round ${round}/${o.rounds}: ${key.split("|")[1]}`);
      const items = list.filter((e) => `${e.group}|${e.case}` === key);
      for (const e of round % 2 === 1 ? items : items.reverse()) {
        e.use();
        record(e, await e.measure());
      }
    }
    status(`round ${round}/${o.rounds}: TF.js cpu`);
    await useBackend("cpu");
    for (const e of cpuEntries(o, params)) {
      await e.warm();
      record(e, await e.measure());
      e.dispose();
    }
    await useBackend("wasm");
  }
  const cpu = process.cpuUsage(cpu0);
  const cpuShare = (cpu.user + cpu.system) / 1000 / (performance.now() - wall0);
  for (const e of list) e.dispose();
  const series: Series[] = [...samples.values()].map(({ entry: e, values }) => ({ group: e.group, case: e.case, impl: e.impl, unit: e.unit, lowerIsBetter: e.lowerIsBetter, samples: values }));

  const rows = o.typecheckRows === "all" ? TYPECHECK_ROWS : TYPECHECK_ROWS.slice(0, 1);
  const typechecks: TypecheckResult[] = [];
  for (const row of o.typecheckRepetitions > 0 ? rows : []) {
    status(`type-check: ${row.name}`);
    typechecks.push(typecheck(row, root, o.typecheckRepetitions, o.typecheckTimeoutMs));
  }
  status("");
  report(o, series, typechecks, { agreements: agreements.length, worst }, { seconds: (performance.now() - started) / 1000, loadStart, loadEnd: loadavg(), cpuShare });
}

const TARGET_CASES: TargetCases = {
  trainingSmall: TRAINING[0]!.name,
  trainingWide: TRAINING.filter((c) => c.sizes.length > 3).map((c) => c.name),
  predict: PREDICT.map((c) => c.name),
  targetProducts: PRODUCTS.filter((p) => p.target).map((p) => p.name),
};

function report(o: Options, series: Series[], typechecks: TypecheckResult[], checks: { agreements: number; worst: number }, run: { seconds: number; loadStart: number[]; loadEnd: number[]; cpuShare: number }) {
  const input: ReportInput = {
    series, typecheck: typechecks, typecheckRepetitions: o.typecheckRepetitions, typecheckTimeoutMs: o.typecheckTimeoutMs,
    ours: IMPLS.map((i) => i.name), targetImpls: { float64: FLOAT64, float32: FLOAT32, float32Kernel: "micro-kernel wasm-f32" }, targetCases: TARGET_CASES,
  };
  const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(" ");
  const machine = `${cpus()[0]?.model.trim() ?? "unknown CPU"}, ${cpus().length} cores, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
  const conditions = `${o.rounds} rounds, samples of at least ${o.minMs} ms, ${run.seconds.toFixed(0)} s in all. Load average ${load(run.loadStart)} at the start, ${load(run.loadEnd)} at the end; during the rounds the bench process had ${(100 * run.cpuShare).toFixed(0)}% of a core (CPU time over wall time; about 100% on a quiet machine)`;
  const list = tables(input);
  console.log(`\n${machine}\n${conditions.replace(". Load", ".\nLoad")}\n\n${list.map((t) => renderTable(t, true)).join("\n\n")}\n`);
  if (!o.write) {
    console.log("(--quick: a smoke run; bench/README.md and bench/results.json are left as they were)");
    return;
  }
  const anchors = [...new Set(series.map((s) => `${s.group}|${s.case}`))].map((key) => {
    const [group, name] = key.split("|") as [Group, string];
    return { group, case: name, fastestTfWasm: anchorOf(series, group, name)?.impl ?? null };
  });
  const json = {
    machine, conditions, options: o, checks,
    series: series.map((s) => ({ ...s, ...summarize(s.samples) })),
    anchors, targets: targetRows(series, input.targetImpls, TARGET_CASES), typecheck: typechecks,
  };
  writeFileSync(join(here, "results.json"), JSON.stringify(json, null, 2) + "\n");
  writeFileSync(join(here, "README.md"), readme(machine, conditions, checks, list.map((t) => renderTable(t)).join("\n\n")));
}

function readme(machine: string, conditions: string, checks: { agreements: number; worst: number }, body: string): string {
  return `# Benchmarks

Generated by \`npm run bench\` (bench/run.ts; \`npm run bench -- --quick\` for a smoke run that
writes nothing). shapegrad against TensorFlow.js 4.22 on the same work, in one process: every
timed item is warmed up, then each round times every implementation of a case back to back (the
order reversed every other round). Cells are **median (min-max) over the rounds**. Ratios are
computed round by round (ours and theirs measured seconds apart) and shown as median (min-max);
every ratio and target is against the **fastest TF.js wasm spelling** of its case.

- "shapegrad js" is the TypeScript kernel tier and "shapegrad wasm" the WebAssembly SIMD tier, both
  on float64 networks (the default); "shapegrad float32" is a float32 network (\`mlp(sizes, { dtype:
  "float32" })\`, Float32Array matrices, the f32x4 kernels): the "float32" of the targets. The
  WebAssembly kernels use relaxed SIMD (fused multiply-add) where the runtime validates it (Node 22+,
  Chromium; Node 20 only with \`--experimental-wasm-relaxed-simd\`), and the networks' arrays live in
  the kernel heap, read in place. "micro-kernel wasm" and "micro-kernel wasm-f32" time only the
  WebAssembly micro-kernel, on panels already packed in its memory: the ceiling of the product.
- TF.js \`wasm\` (XNNPACK, SIMD, one thread) runs each training step in four spellings, all SGD on
  softmax cross-entropy of a ReLU network: "autodiff" (\`optimizer.minimize\` over the forward
  pass, as TF.js's tutorials write it); "customGrad + matMul flags" and "customGrad + tf.transpose"
  (\`tf.customGrad\` with the notes' backward pass, its transposed products spelled as matMul's
  transposeA/transposeB flags or as an explicit \`tf.transpose\` then matMul); and "by hand +
  tf.transpose" (the same backward pass and the SGD update in one \`tf.tidy\`: no tape, no
  optimizer object). Before timing, the bench checks that every spelling computes autodiff's loss
  and update, and that shapegrad computes TF.js's loss, update and batch-1 prediction from the
  same parameters and batch (${checks.agreements} quantities; largest difference ${checks.worst.toExponential(1)}, relative for losses).
  Batch-1 predict in TF.js is \`tf.tidy\` over the matMul + add + relu chain and softmax, then
  \`dataSync()\`, per call. TF.js \`cpu\` (pure JavaScript) is timed on the small cases only, for
  reference. The fit column's TF.js figure is \`model.fit\` (autodiff) over the same examples.
- The CNN (issue 12): \`input(1, 28, 28), conv2d(8, 5), relu(), maxPool2d(2), conv2d(16, 5, {
  padding: "same" }), relu(), maxPool2d(2), flatten(), dense(10), softmax()\`, one SGD step at batch
  64 on the same random examples. TF.js runs it NHWC (bench/tf-cnn.ts). Its wasm backend has no
  Conv2DBackpropFilter kernel, so plain autodiff over \`tf.conv2d\` (and a \`tf.layers\` model's
  \`trainOnBatch\`) throws there; the wasm spelling is autodiff (\`optimizer.minimize\` over
  tf.conv2d, tf.maxPool, tf.matMul, softmax cross-entropy) with each conv2d wrapped in
  \`tf.customGrad\`: the input's gradient by \`tf.conv2dTranspose\`, the filter's as a conv2d of the
  input (batch and channels swapped) by the output's gradient. Plain autodiff is timed on TF.js
  \`cpu\`, for reference. The checks compare the wasm spelling with cpu autodiff (loss, update) and
  every shapegrad implementation with the wasm spelling (the losses of two consecutive steps), from
  shapegrad's initial weights converted to TF.js's layout (conv F x (C*KH*KW) to [KH, KW, C, F];
  the dense layer's inputs from (c, h, w) to (h, w, c) order).
- Products: those a training step runs at batch 64, named by layer (W^l is Out x In). Not shown:
  the input layer's W^T delta, which neither library computes in training. The output layer's
  products (10 rows) are under 2% of a step's work and stay outside the 45 GFLOP/s target.
- Raw samples, per round, are in results.json.

Machine: ${machine}.

Run: ${conditions}. The two cores are shared with other work: absolute figures move by 10-30%
from run to run on a quiet machine, far more under load; the round-by-round ratios hold better.

${body}
`;
}

await main(parseOptions(process.argv.slice(2), process.env));
