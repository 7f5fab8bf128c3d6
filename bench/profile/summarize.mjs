/**
 * `node bench/profile/summarize.mjs FILE.cpuprofile...`: the share of self time per category of
 * each profile (docs/performance.md), as a Markdown table, plus the top functions of each.
 * WebAssembly functions have no names in the profile (the modules carry no name section), so they
 * are named by the JavaScript function that called them and their index in their module (the
 * order of the `func`s in the .wat source).
 */
import { readFileSync } from "node:fs";
import { basename } from "node:path";

const CATEGORIES = ["micro-kernel", "packing/copies", "matrix-vector", "element-wise", "optimizer", "finite checks", "gathering", "backup copies", "layer loop (JS)", "test measuring", "data loading", "GC", "startup/idle", "other"];
const GEMM = ["micro-kernel", "packing/copies", "packing/copies", "packing/copies"]; // kernel, pack, copyOut, packRows

/** The category of one profile node from its own frame and the frames above it. */
function categorize(frame, callers) {
  const { functionName: name, url } = frame;
  // Whole subtrees of the `npm run train` job (its bundle has one url): the test set's evaluation
  // after each epoch (examples/mnist/measure.ts) and the reading of the MNIST files.
  if (name === "measure" || callers.some((c) => c.functionName === "measure")) return "test measuring";
  if (callers.some((c) => /^(readParts|loadMnist|loadDigits)$/.test(c.functionName)) || /^(readParts|scanNumbers)$/.test(name)) return "data loading";
  if (url.startsWith("wasm://")) {
    const index = Number(/\[(\d+)\]/.exec(name)?.[1] ?? -1);
    const above = callers.map((c) => `${c.functionName}@${c.url}`).join(" ");
    if (/update|axpy|adam|momentum/i.test(above)) return "optimizer";
    if (/gemv|matvec|rank1/i.test(above)) return "matrix-vector";
    if (/convert|toFloat32|fromFloat32/i.test(above)) return "packing/copies";
    if (/thinProduct/.test(above)) return index <= 2 ? "matrix-vector" : "packing/copies"; // gemvN, gemvT, rank1, gather, scatter
    if (/productWith|gemm/i.test(above)) return GEMM[index] ?? "packing/copies";
    return "other";
  }
  if (name === "(garbage collector)") return "GC";
  if (name === "(program)" || name === "(idle)" || name === "(root)" || url.startsWith("node:") || (url === "" && name.startsWith("("))) return "startup/idle";
  if (/^(forwardInto|backwardInto|lossInto|lossAndGradients|forward|backward)$/.test(name)) return "layer loop (JS)"; // the engine's loops over layers, with what V8 inlined into them
  if (name === "trainStep") return "backup copies"; // fit's trainStep: its self time is the parameters' backup (TypedArray set) before each update
  if (/allFinite|isFinite|checkFinite|finite/i.test(name)) return "finite checks";
  if (/optim\/|ops\/update|wasm\/update/.test(url) || /^(step|addScaled|axpy\w*|adam\w*|momentum\w*|update\w*)$/.test(name)) return "optimizer";
  if (/gemv|matvec|rank1/i.test(name) || /matvec/.test(url)) return "matrix-vector";
  if (/kernels\/wasm\/(driver|heap|gemm)|kernels\/gemm/.test(url) || /^(productWith|thinProduct|pack\w*|copyOut\w*|isResident|gemm\w*|copy\w*|transpose\w*|set|resident\w*)$/.test(name)) return "packing/copies";
  if (/train\/batches|data\//.test(url) || /gather|batch|shuffle|subset|convert/i.test(name)) return "gathering";
  if (/activations\/|losses\/|nn\/backprop|kernels\/elementwise|ops\/elementwise|ops\/activations/.test(url)
    || /^(addBias\w*|bias\w*|timesDerivative\w*|weightedInput|f|df|value|softmax\w*|relu\w*|hadamard\w*|sumColumns\w*|map\w*|delta\w*|outputDelta\w*|scale\w*|logSoftmax\w*)$/.test(name)) return "element-wise";
  if (/node_modules\/(?!\.cache)|internal|lexer|esm|cjs/.test(url)) return "startup/idle";
  return "other";
}

function summarize(file) {
  const profile = JSON.parse(readFileSync(file, "utf8"));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byCategory = new Map(CATEGORIES.map((c) => [c, 0]));
  const byFunction = new Map();
  let total = 0;
  for (const [id, us] of self) {
    const node = nodes.get(id);
    const callers = [];
    for (let p = parent.get(id); p !== undefined && callers.length < 200; p = parent.get(p)) callers.push(nodes.get(p).callFrame);
    const category = categorize(node.callFrame, callers);
    byCategory.set(category, byCategory.get(category) + us);
    const caller = node.callFrame.url.startsWith("wasm://") ? ` (under ${callers.find((c) => !c.url.startsWith("wasm") && c.url !== "")?.functionName})` : "";
    const key = `${node.callFrame.functionName || "(anonymous)"}${caller} [${category}]`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    total += us;
  }
  return { name: basename(file, ".cpuprofile"), total, byCategory, byFunction };
}

const results = process.argv.slice(2).map(summarize);
const pct = (x, t) => ((100 * x) / t).toFixed(1);
process.stdout.write(`| profile | sampled s | ${CATEGORIES.join(" | ")} |\n|---|---:|${CATEGORIES.map(() => "---:").join("|")}|\n`);
for (const r of results) process.stdout.write(`| ${r.name} | ${(r.total / 1e6).toFixed(2)} | ${CATEGORIES.map((c) => pct(r.byCategory.get(c), r.total)).join(" | ")} |\n`);
for (const r of results) {
  process.stdout.write(`\n${r.name}: top functions by self time (% of ${(r.total / 1e6).toFixed(2)} s)\n`);
  for (const [k, us] of [...r.byFunction].sort((a, b) => b[1] - a[1]).slice(0, 25)) process.stdout.write(`  ${pct(us, r.total).padStart(5)}  ${k}\n`);
}
