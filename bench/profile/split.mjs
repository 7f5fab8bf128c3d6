/**
 * `node --experimental-wasm-relaxed-simd bench/profile/split.mjs [rounds] [case...]`: for each
 * training-step case of cases.mjs, the whole step against its products alone (the same shapes,
 * through matmul / matmulTransA / matmulTransB), timed alternately in this process, ROUNDS rounds
 * (default 9), each sample at least 200 ms. Prints median (min-max) of ms per step, of the
 * products' ms and GFLOP/s, and of the products' share of the step (computed round by round).
 */
import { CASES, build } from "./cases.mjs";

const [roundsArg = "9", ...names] = process.argv.slice(2);
const rounds = Number(roundsArg);
const chosen = names.length > 0 ? names : Object.keys(CASES).filter((n) => n.startsWith("step"));
const stats = (xs) => { const s = [...xs].sort((a, b) => a - b); return { med: s[s.length >> 1], min: s[0], max: s[s.length - 1] }; };
const show = (xs, digits = 3) => { const { med, min, max } = stats(xs); return `${med.toPrecision(digits)} (${min.toPrecision(digits)}-${max.toPrecision(digits)})`; };

/** ms per call of `f`, over at least 200 ms. */
function time(f) {
  let n = 0;
  const t0 = performance.now();
  do { f(); n++; } while (performance.now() - t0 < 200);
  return (performance.now() - t0) / n;
}

const cpu0 = process.cpuUsage(), wall0 = performance.now();
process.stdout.write(`| case | step ms | products ms | products GFLOP/s | products / step | step at 45 GFLOP/s products ms |\n|---|---:|---:|---:|---:|---:|\n`);
for (const name of chosen) {
  const { run, products, flops } = build(name);
  for (let i = 0; i < 5; i++) { run(); products(); }
  const step = [], prod = [], share = [];
  for (let r = 0; r < rounds; r++) {
    let a, b; // the order swapped every other round
    if (r % 2 === 0) { a = time(run); b = time(products); } else { b = time(products); a = time(run); }
    step.push(a); prod.push(b); share.push(b / a);
  }
  const gflops = prod.map((ms) => flops / ms / 1e6);
  const rest = step.map((s, i) => s - prod[i]);
  process.stdout.write(`| ${name} | ${show(step)} | ${show(prod)} | ${show(gflops)} | ${show(share.map((x) => 100 * x), 3)}% | rest ${show(rest)} + ${(flops / 45e6).toFixed(3)} |\n`);
}
const cpu = process.cpuUsage(cpu0), wall = performance.now() - wall0;
process.stdout.write(`\nCPU time / wall time of this process: ${((cpu.user + cpu.system) / 1000 / wall * 100).toFixed(0)}%\n`);
